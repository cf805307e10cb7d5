//! An earlier period's figures, read back from what qcdc itself wrote for it
//! (`aggregate --compare FILE`): its workbook or its long CSV.
//!
//! The workbook is recognised by its custom document properties
//! (`write::report::marker`), never by its file name, and its figures are read
//! from the very hidden sheet [`READBACK_SHEET`], a machine-readable copy of the
//! long CSV with each unit's status. Reading that sheet, not the printed ones,
//! means the figures come back exactly whatever the layout of Tổng hợp and
//! Chi tiết (made for paper, and free to change) and whatever Excel's number
//! formats; Excel and LibreOffice keep hidden sheets and custom properties
//! when a workbook is saved again. The long CSV is recognised by its exact
//! header; its `ky` column names the period.

use super::{Cell, CellValue, Format, Limits, ReadError, Sheet, a1};
use crate::period::Period;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

/// The hidden sheet of the report that carries its figures for reading back.
pub const READBACK_SHEET: &str = "qcdc_so_lieu";

/// The columns of the long CSV, in order (`cli.md`); the workbook's hidden sheet
/// has them too, then [`STATUS_COLUMN`].
pub use crate::write::long::HEADER as LONG_HEADER;
/// The status of each unit, which only the workbook's hidden sheet carries.
pub const STATUS_COLUMN: &str = "trang_thai";

/// Which of qcdc's outputs the figures came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarlierSource {
    Workbook,
    LongCsv,
}

/// One unit of the earlier period, as that period's output listed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierUnit {
    /// Upper-cased, trimmed: matched to this period's units by code alone.
    pub code: String,
    pub name: String,
    pub unit_type: String,
    /// The status code written by qcdc (`on_time`, `late`…); the long CSV has none.
    pub status: Option<String>,
    /// Count indicator code to value, as reported.
    pub values: BTreeMap<String, u64>,
}

/// An earlier period's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierPeriod {
    pub period: Period,
    pub source: EarlierSource,
    /// The schema the workbook says it follows (`qcdc_bieu_mau`), if it says.
    pub schema: Option<String>,
    /// Sorted by code.
    pub units: Vec<EarlierUnit>,
}

/// Why a `--compare` file cannot be used. Messages are for the officer.
#[derive(Debug, thiserror::Error)]
pub enum EarlierError {
    #[error("không đọc được tệp: {0}")]
    Read(#[from] ReadError),
    #[error(
        "không phải biểu tổng hợp hay tệp số liệu dạng dài (--long) do qcdc lập: {0}; hãy chọn tệp tong-hop-<KỲ>.xlsx hoặc tệp --long của kỳ trước"
    )]
    NotQcdc(String),
    #[error("ô {cell}: kỳ báo cáo '{value}' không hiểu được")]
    BadPeriod { cell: String, value: String },
    #[error(
        "có số liệu của nhiều kỳ ({first} ở ô {first_cell}, {other} ở ô {cell}); hãy chọn tệp của một kỳ"
    )]
    MixedPeriods {
        first: Period,
        first_cell: String,
        other: Period,
        cell: String,
    },
    #[error("ô {cell}: giá trị '{value}' của chỉ tiêu {code} không phải số nguyên không âm")]
    BadValue {
        cell: String,
        code: String,
        value: String,
    },
    #[error("không có dòng số liệu nào, nên không biết là kỳ nào")]
    Empty,
}

/// Reads an earlier period's figures from a file qcdc wrote.
pub fn read_earlier(path: &Path, limits: &Limits) -> Result<EarlierPeriod, EarlierError> {
    let bytes = super::bounded_bytes(path, limits)?;
    if bytes.is_empty() {
        return Err(ReadError::Empty.into());
    }
    match super::sniff::detect(&bytes, path, limits)? {
        Format::Xlsx => from_workbook(&bytes, path, limits),
        Format::Csv => {
            let book = super::read_bytes(&bytes, path, limits)?;
            let sheet = book.sheets.into_iter().next().unwrap_or_default();
            let header = header_columns(&sheet).ok_or_else(|| {
                EarlierError::NotQcdc(format!("dòng đầu không phải '{}'", LONG_HEADER.join(",")))
            })?;
            let (period, units) = table(&sheet, &header)?;
            let period = period.ok_or(EarlierError::Empty)?;
            Ok(EarlierPeriod {
                period,
                source: EarlierSource::LongCsv,
                schema: None,
                units,
            })
        }
        other => Err(EarlierError::NotQcdc(format!(
            "tệp dạng {other:?}, không phải .xlsx hay .csv"
        ))),
    }
}

fn from_workbook(
    bytes: &[u8],
    path: &Path,
    limits: &Limits,
) -> Result<EarlierPeriod, EarlierError> {
    let props = custom_properties(bytes);
    let marker = crate::write::report::marker::KIND;
    if props.get(marker).map(String::as_str) != Some(crate::write::report::marker::KIND_REPORT) {
        return Err(EarlierError::NotQcdc(
            "bảng tính không mang dấu hiệu biểu tổng hợp của qcdc (thuộc tính tài liệu 'qcdc')"
                .into(),
        ));
    }
    let named = props
        .get(crate::write::report::marker::PERIOD)
        .ok_or_else(|| {
            EarlierError::NotQcdc("biểu không ghi kỳ báo cáo (thuộc tính 'qcdc_ky')".into())
        })?;
    let period: Period = named.parse().map_err(|_| EarlierError::BadPeriod {
        cell: "thuộc tính qcdc_ky".into(),
        value: named.clone(),
    })?;
    let book = super::read_bytes(bytes, path, limits)?;
    let sheet = book
        .sheets
        .iter()
        .find(|s| s.name == READBACK_SHEET)
        .ok_or_else(|| {
            EarlierError::NotQcdc(format!(
                "biểu tổng hợp của kỳ {period} thiếu trang ẩn '{READBACK_SHEET}' (do phiên bản qcdc cũ lập); hãy dùng tệp --long của kỳ đó"
            ))
        })?;
    let header = header_columns(sheet).ok_or_else(|| {
        EarlierError::NotQcdc(format!("trang '{READBACK_SHEET}' không có dòng tiêu đề"))
    })?;
    let (seen, units) = table(sheet, &header)?;
    if let Some(other) = seen.filter(|p| *p != period) {
        return Err(EarlierError::MixedPeriods {
            first: period,
            first_cell: "thuộc tính qcdc_ky".into(),
            other,
            cell: READBACK_SHEET.into(),
        });
    }
    Ok(EarlierPeriod {
        period,
        source: EarlierSource::Workbook,
        schema: props.get(crate::write::report::marker::SCHEMA).cloned(),
        units,
    })
}

/// The custom document properties of an `.xlsx` (`docProps/custom.xml`), name
/// to text; empty when there are none.
fn custom_properties(bytes: &[u8]) -> BTreeMap<String, String> {
    use quick_xml::events::Event;
    let mut props = BTreeMap::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return props;
    };
    let Ok(part) = zip.by_name("docProps/custom.xml") else {
        return props;
    };
    // The part is a few hundred bytes; a hostile one is cut short.
    let mut xml_text = String::new();
    if part.take(1 << 20).read_to_string(&mut xml_text).is_err() {
        return props;
    }
    let mut xml = quick_xml::Reader::from_str(&xml_text);
    let mut name: Option<String> = None;
    loop {
        match xml.read_event() {
            Ok(Event::Eof) | Err(_) => return props,
            Ok(Event::Start(e)) if e.local_name().as_ref() == "property" => {
                name = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == "name")
                    .map(|a| a.value.into_owned());
            }
            Ok(Event::Text(t)) => {
                if let (Some(n), Ok(text)) = (&name, quick_xml::escape::unescape(&t)) {
                    props.insert(n.clone(), text.into_owned());
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "property" => name = None,
            _ => {}
        }
    }
}

/// Column of each header name, when the first row is the long CSV's header
/// (exactly, in order), optionally followed by the status column.
struct Header {
    status: Option<u32>,
}

fn header_columns(sheet: &Sheet) -> Option<Header> {
    let first: Vec<&Cell> = sheet.cells.iter().take_while(|c| c.row == 0).collect();
    let names: Vec<String> = first
        .iter()
        .map(|c| {
            c.value
                .display()
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect();
    let cols_ok = first.iter().enumerate().all(|(i, c)| c.col == i as u32);
    if !cols_ok || names.len() < LONG_HEADER.len() || names[..6] != LONG_HEADER {
        return None;
    }
    let status = match names.get(6).map(String::as_str) {
        Some(STATUS_COLUMN) => Some(6),
        Some(_) => return None,
        None => None,
    };
    Some(Header { status })
}

/// The units of the table under the header, and the one period its `ky`
/// column names (none when it has no rows).
fn table(
    sheet: &Sheet,
    header: &Header,
) -> Result<(Option<Period>, Vec<EarlierUnit>), EarlierError> {
    let mut units: BTreeMap<String, EarlierUnit> = BTreeMap::new();
    let mut period: Option<(Period, String)> = None;
    let mut rows = sheet.cells.iter().filter(|c| c.row > 0).peekable();
    while let Some(first) = rows.peek() {
        let row = first.row;
        let mut fields: [Option<&CellValue>; 7] = [None; 7];
        while let Some(c) = rows.next_if(|c| c.row == row) {
            if let Some(f) = fields.get_mut(c.col as usize) {
                *f = Some(&c.value);
            }
        }
        let text = |i: usize| {
            fields[i]
                .map(|v| v.display().trim().to_string())
                .unwrap_or_default()
        };
        let code = text(0).to_uppercase();
        if code.is_empty() {
            continue;
        }
        let ky = text(3);
        let cell = a1(row, 3);
        let p: Period = ky.parse().map_err(|_| EarlierError::BadPeriod {
            cell: cell.clone(),
            value: ky.clone(),
        })?;
        match &period {
            None => period = Some((p, cell)),
            Some((first, first_cell)) if *first != p => {
                return Err(EarlierError::MixedPeriods {
                    first: *first,
                    first_cell: first_cell.clone(),
                    other: p,
                    cell,
                });
            }
            Some(_) => {}
        }
        let unit = units.entry(code.clone()).or_insert_with(|| EarlierUnit {
            code,
            name: text(1),
            unit_type: text(2),
            status: None,
            values: BTreeMap::new(),
        });
        if let Some(col) = header.status {
            let status = text(col as usize);
            if !status.is_empty() {
                unit.status = Some(status);
            }
        }
        let indicator = text(4).to_uppercase();
        if indicator.is_empty() {
            continue; // a status row: the unit with no figures
        }
        let value = whole_number(fields[5]).ok_or_else(|| EarlierError::BadValue {
            cell: a1(row, 5),
            code: indicator.clone(),
            value: text(5),
        })?;
        unit.values.insert(indicator, value);
    }
    Ok((period.map(|(p, _)| p), units.into_values().collect()))
}

/// A value as qcdc wrote it: a whole number cell, or plain digits in the CSV.
fn whole_number(v: Option<&CellValue>) -> Option<u64> {
    match v? {
        CellValue::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n < 1e15 => Some(*n as u64),
        CellValue::Text(t) => t.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn the_long_csv_reads_back_unit_by_unit() {
        let dir = tempfile::tempdir().unwrap();
        let path = csv(
            &dir,
            "so-lieu.csv",
            "ma_don_vi,ten_don_vi,loai_hinh,ky,ma_chi_tieu,gia_tri\n\
             x01,Xã A,UBND_XA,2023-H1,TD01,401\n\
             X01,Xã A,UBND_XA,2023-H1,VB01,3\n\
             S01,Sở B,SO_NGANH,2023-H1,TD01,12\n",
        );
        let e = read_earlier(&path, &Limits::default()).unwrap();
        assert_eq!(e.period, "2023-H1".parse().unwrap());
        assert_eq!(e.source, EarlierSource::LongCsv);
        let codes: Vec<&str> = e.units.iter().map(|u| u.code.as_str()).collect();
        assert_eq!(codes, ["S01", "X01"]);
        assert_eq!(e.units[1].values["TD01"], 401);
        assert_eq!(e.units[1].values["VB01"], 3);
        assert_eq!(e.units[1].unit_type, "UBND_XA");
    }

    #[test]
    fn files_that_are_not_qcdc_output_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits::default();
        let other = csv(
            &dir,
            "a.csv",
            "ma_don_vi,ten_don_vi,loai_hinh\nX01,A,UBND_XA\n",
        );
        assert!(matches!(
            read_earlier(&other, &limits),
            Err(EarlierError::NotQcdc(_))
        ));
        let mixed = csv(
            &dir,
            "b.csv",
            "ma_don_vi,ten_don_vi,loai_hinh,ky,ma_chi_tieu,gia_tri\n\
             X01,A,UBND_XA,2023-H1,TD01,1\nX02,B,UBND_XA,2023-Y,TD01,2\n",
        );
        let err = read_earlier(&mixed, &limits).unwrap_err().to_string();
        assert!(err.contains("2023-Y") && err.contains("D3"), "{err}");
        let bad = csv(
            &dir,
            "c.csv",
            "ma_don_vi,ten_don_vi,loai_hinh,ky,ma_chi_tieu,gia_tri\nX01,A,UBND_XA,2023-H1,TD01,12.5\n",
        );
        let err = read_earlier(&bad, &limits).unwrap_err().to_string();
        assert!(err.contains("F2") && err.contains("12.5"), "{err}");
        let empty = csv(
            &dir,
            "d.csv",
            "ma_don_vi,ten_don_vi,loai_hinh,ky,ma_chi_tieu,gia_tri\n",
        );
        assert!(matches!(
            read_earlier(&empty, &limits),
            Err(EarlierError::Empty)
        ));
    }
}
