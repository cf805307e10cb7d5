//! An earlier period's figures, read back from what qcdc itself wrote for it
//! (`aggregate --compare FILE`): its workbook or its long CSV.
//!
//! The workbook is recognised by its custom document properties
//! (`write::report::marker`), never by its file name, and its figures are read
//! from the very hidden sheet [`READBACK_SHEET`]: one row per unit with its
//! status and one column per count indicator ([`WIDE_HEADER`], then the
//! indicators' codes). Workbooks written before that layout hold the long
//! CSV's shape there instead, with each unit's status as a last column; they
//! are real files officers keep, so both are read. Reading that sheet, not the
//! printed ones, means the figures come back exactly whatever the layout of
//! Tổng hợp and Chi tiết (made for paper, and free to change) and whatever
//! Excel's number formats; Excel and LibreOffice keep hidden sheets and custom
//! properties when a workbook is saved again. The long CSV is recognised by
//! its header; its `ky` column names the period.
//!
//! Columns are found by their header's name, never by position, so a table
//! whose columns were moved or that gained one reads the same.

use super::{CellValue, Format, Limits, ReadError, Sheet, a1};
use crate::period::Period;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

/// The hidden sheet of the report that carries its figures for reading back.
pub const READBACK_SHEET: &str = "qcdc_so_lieu";

/// The columns of the long CSV, in order (`cli.md`); workbooks written before
/// [`WIDE_HEADER`] have them on their hidden sheet too, then [`STATUS_COLUMN`].
pub use crate::write::long::HEADER as LONG_HEADER;
/// The status of each unit, which only the workbook's hidden sheet carries.
pub const STATUS_COLUMN: &str = "trang_thai";
/// The hidden sheet's first columns: the unit, the period and the unit's
/// status. A count indicator's code heads each column after them.
pub const WIDE_HEADER: [&str; 5] = [
    LONG_HEADER[0],
    LONG_HEADER[1],
    LONG_HEADER[2],
    LONG_HEADER[3],
    STATUS_COLUMN,
];

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
            let header = header_columns(&sheet)
                .filter(|h| matches!(h.figures, Figures::Long { .. }))
                .ok_or_else(|| {
                    EarlierError::NotQcdc(format!(
                        "dòng đầu không phải '{}'",
                        LONG_HEADER.join(",")
                    ))
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

/// Where each field of a table of figures is, its columns found by name in the
/// first row: the first column of each name counts.
struct Header {
    code: u32,
    name: u32,
    unit_type: u32,
    period: u32,
    status: Option<u32>,
    figures: Figures,
}

/// How a table holds the figures.
enum Figures {
    /// The long CSV's shape: a row per unit and indicator (a row without an
    /// indicator gives the unit's status alone).
    Long { indicator: u32, value: u32 },
    /// The hidden sheet's: a row per unit, a column per indicator, each given
    /// as (column, indicator code); a blank cell is a figure not reported.
    Wide(Vec<(u32, String)>),
}

impl Header {
    /// One past the last column the header names.
    fn width(&self) -> usize {
        let figures = match &self.figures {
            Figures::Long { indicator, value } => vec![*indicator, *value],
            Figures::Wide(columns) => columns.iter().map(|(c, _)| *c).collect(),
        };
        [self.code, self.name, self.unit_type, self.period]
            .into_iter()
            .chain(self.status)
            .chain(figures)
            .max()
            .map_or(0, |c| c as usize + 1)
    }
}

/// The header of a table of figures, when the first row names the unit and
/// period columns; with the long CSV's indicator and value columns it is
/// read as that shape, with neither every other named column is an
/// indicator's, and with one of them alone it is no table of figures.
fn header_columns(sheet: &Sheet) -> Option<Header> {
    let mut names: Vec<(u32, String)> = Vec::new();
    for c in sheet.cells.iter().take_while(|c| c.row == 0) {
        let name = c.value.display();
        let name = name.trim().trim_start_matches('\u{feff}').trim();
        if !name.is_empty() {
            names.push((c.col, name.to_string()));
        }
    }
    let col = |wanted: &str| {
        names
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(wanted))
            .map(|(c, _)| *c)
    };
    let [code, name, unit_type, period, indicator, value] = LONG_HEADER.map(col);
    let figures = match (indicator, value) {
        (Some(indicator), Some(value)) => Figures::Long { indicator, value },
        (Some(_), None) | (None, Some(_)) => return None,
        (None, None) => {
            let fixed = |n: &str| WIDE_HEADER.iter().any(|f| n.eq_ignore_ascii_case(f));
            let mut columns: Vec<(u32, String)> = Vec::new();
            for (c, n) in &names {
                let n = n.to_uppercase();
                if !fixed(&n) && !columns.iter().any(|(_, seen)| *seen == n) {
                    columns.push((*c, n));
                }
            }
            Figures::Wide(columns)
        }
    };
    Some(Header {
        code: code?,
        name: name?,
        unit_type: unit_type?,
        period: period?,
        status: col(STATUS_COLUMN),
        figures,
    })
}

/// The units of the table under the header, and the one period its `ky`
/// column names (none when it has no rows).
fn table(
    sheet: &Sheet,
    header: &Header,
) -> Result<(Option<Period>, Vec<EarlierUnit>), EarlierError> {
    let mut units: BTreeMap<String, EarlierUnit> = BTreeMap::new();
    let mut period: Option<(Period, String)> = None;
    let mut fields: Vec<Option<&CellValue>> = vec![None; header.width()];
    let mut rows = sheet.cells.iter().filter(|c| c.row > 0).peekable();
    while let Some(first) = rows.peek() {
        let row = first.row;
        fields.fill(None);
        while let Some(c) = rows.next_if(|c| c.row == row) {
            if let Some(f) = fields.get_mut(c.col as usize) {
                *f = Some(&c.value);
            }
        }
        let text = |col: u32| {
            fields[col as usize]
                .map(|v| v.display().trim().to_string())
                .unwrap_or_default()
        };
        let code = text(header.code).to_uppercase();
        if code.is_empty() {
            continue;
        }
        let ky = text(header.period);
        let cell = a1(row, header.period);
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
            name: text(header.name),
            unit_type: text(header.unit_type),
            status: None,
            values: BTreeMap::new(),
        });
        if let Some(col) = header.status {
            let status = text(col);
            if !status.is_empty() {
                unit.status = Some(status);
            }
        }
        let figure = |col: u32, code: &str| {
            whole_number(fields[col as usize]).ok_or_else(|| EarlierError::BadValue {
                cell: a1(row, col),
                code: code.to_string(),
                value: text(col),
            })
        };
        match &header.figures {
            Figures::Long { indicator, value } => {
                let indicator = text(*indicator).to_uppercase();
                if indicator.is_empty() {
                    continue; // a status row: the unit with no figures
                }
                let n = figure(*value, &indicator)?;
                unit.values.insert(indicator, n);
            }
            Figures::Wide(columns) => {
                for (col, indicator) in columns {
                    if !text(*col).is_empty() {
                        unit.values
                            .insert(indicator.clone(), figure(*col, indicator)?);
                    }
                }
            }
        }
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
    use crate::read::Cell;

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

    /// A sheet of the given rows, `""` for a blank cell, digits for a number.
    fn sheet(rows: &[&[&str]]) -> Sheet {
        let mut cells = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
                let value = match text.parse() {
                    Ok(n) if r > 0 => CellValue::Number(n),
                    _ => CellValue::Text(text.to_string()),
                };
                cells.push(Cell {
                    row: r as u32,
                    col: c as u32,
                    value,
                });
            }
        }
        Sheet {
            name: READBACK_SHEET.into(),
            cells,
            ..Sheet::default()
        }
    }

    fn read_sheet(rows: &[&[&str]]) -> Result<(Option<Period>, Vec<EarlierUnit>), EarlierError> {
        let sheet = sheet(rows);
        table(&sheet, &header_columns(&sheet).expect("a header"))
    }

    #[test]
    fn either_layout_reads_by_column_name_whatever_the_order() {
        let long = read_sheet(&[
            &[
                "gia_tri",
                "ky",
                "ma_chi_tieu",
                "trang_thai",
                "ten_don_vi",
                "ma_don_vi",
                "loai_hinh",
            ],
            &["", "2023-H1", "", "missing", "Xã B", "x02", "UBND_XA"],
            &["401", "2023-H1", "td01", "late", "Xã A", "x01", "UBND_XA"],
            &["3", "2023-H1", "VB01", "late", "Xã A", "X01", "UBND_XA"],
        ])
        .unwrap();
        // Moved columns, a blank one between them, a figure not reported.
        let wide = read_sheet(&[
            &[
                "VB01",
                "trang_thai",
                "ma_don_vi",
                "",
                "ky",
                "TD01",
                "ten_don_vi",
                "loai_hinh",
            ],
            &["3", "late", "X01", "", "2023-H1", "401", "Xã A", "UBND_XA"],
            &["", "missing", "X02", "", "2023-H1", "", "Xã B", "UBND_XA"],
        ])
        .unwrap();
        assert_eq!(long, wide);
        let (period, units) = wide;
        assert_eq!(period, Some("2023-H1".parse().unwrap()));
        assert_eq!(units[0].values["TD01"], 401);
        assert_eq!(units[0].values["VB01"], 3);
        assert_eq!(units[0].status.as_deref(), Some("late"));
        assert!(units[1].values.is_empty());
        assert_eq!(units[1].status.as_deref(), Some("missing"));
    }

    #[test]
    fn a_wide_figure_that_is_not_a_whole_number_names_its_cell() {
        let err = read_sheet(&[
            &[
                "ma_don_vi",
                "ten_don_vi",
                "loai_hinh",
                "ky",
                "trang_thai",
                "TD01",
            ],
            &["X01", "Xã A", "UBND_XA", "2023-H1", "late", "4,5"],
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("F2") && err.contains("TD01"), "{err}");
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
