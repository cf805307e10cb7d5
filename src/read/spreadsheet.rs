//! Spreadsheet formats through calamine.
//!
//! `.xlsx` and `.xlsb` are streamed cell by cell (`worksheet_cells_reader`), so a
//! sheet's declared dimensions never size an allocation (calamine issues #428,
//! #432: `worksheet_range` builds a dense grid). `.xls` and `.ods` have no such
//! reader; their dimensions are bounded by the limits checked before this.

use super::{Cell, CellValue, Format, Limits, ReadError, ReadNote, Sheet, Workbook};
use calamine::{Data, DataRef, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};
use std::io::Cursor;

type Bytes<'a> = Cursor<&'a [u8]>;

/// Reads every sheet of a spreadsheet held in memory.
pub fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Workbook, ReadError> {
    let cursor = Cursor::new(bytes);
    match format {
        Format::Xlsx => {
            let mut wb =
                Xlsx::new(cursor).map_err(|e| open_error(&e.to_string(), is_password_xlsx(&e)))?;
            read_sheets(&mut wb, limits, |wb, name, limits| {
                let mut reader = wb.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
                collect_stream(|| reader.next_cell().map_err(|e| e.to_string()), limits)
            })
        }
        Format::Xlsb => {
            let mut wb =
                Xlsb::new(cursor).map_err(|e| open_error(&e.to_string(), is_password_xlsb(&e)))?;
            read_sheets(&mut wb, limits, |wb, name, limits| {
                let mut reader = wb.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
                collect_stream(|| reader.next_cell().map_err(|e| e.to_string()), limits)
            })
        }
        Format::Xls => {
            super::guard::xls(bytes, limits)?;
            let mut wb = Xls::new(cursor).map_err(|e| {
                open_error(&e.to_string(), matches!(e, calamine::XlsError::Password))
            })?;
            read_sheets(&mut wb, limits, |wb: &mut Xls<Bytes>, name, limits| {
                wb.worksheet_range(name)
                    .map_err(|e| e.to_string())
                    .and_then(|r| collect_range(&r, limits))
            })
        }
        Format::Ods => {
            super::guard::ods(bytes, limits)?;
            let mut wb = Ods::new(cursor).map_err(|e| {
                open_error(&e.to_string(), matches!(e, calamine::OdsError::Password))
            })?;
            read_sheets(&mut wb, limits, |wb: &mut Ods<Bytes>, name, limits| {
                wb.worksheet_range(name)
                    .map_err(|e| e.to_string())
                    .and_then(|r| collect_range(&r, limits))
            })
        }
        Format::Csv | Format::Docx => unreachable!("CSV and Word are read by their own readers"),
    }
}

fn is_password_xlsx(e: &calamine::XlsxError) -> bool {
    matches!(e, calamine::XlsxError::Password)
}

fn is_password_xlsb(e: &calamine::XlsbError) -> bool {
    matches!(e, calamine::XlsbError::Password)
}

fn open_error(detail: &str, password: bool) -> ReadError {
    if password {
        ReadError::Encrypted
    } else {
        ReadError::Corrupt(detail.to_string())
    }
}

/// Reads each sheet in workbook order. A sheet that fails (a chart sheet, a corrupt
/// part) becomes a note; the other sheets are still read.
fn read_sheets<'a, R, F>(
    wb: &mut R,
    limits: &Limits,
    mut read_one: F,
) -> Result<Workbook, ReadError>
where
    R: Reader<Bytes<'a>>,
    F: FnMut(&mut R, &str, &Limits) -> Result<Vec<Cell>, String>,
{
    let metadata: Vec<(String, SheetType, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.typ, s.visible != SheetVisible::Visible))
        .collect();
    let mut workbook = Workbook::default();
    for (name, typ, hidden) in metadata {
        match read_one(wb, &name, limits) {
            Ok(cells) => workbook.sheets.push(Sheet {
                name,
                cells,
                hidden,
                formulas: Vec::new(),
            }),
            Err(message) => {
                let message = if typ == SheetType::ChartSheet {
                    "trang biểu đồ (chart), không có ô dữ liệu".to_string()
                } else {
                    format!("không đọc được trang tính: {message}")
                };
                workbook.notes.push(ReadNote {
                    cell: None,
                    sheet: Some(name.clone()),
                    message,
                });
                workbook.sheets.push(Sheet {
                    name,
                    cells: Vec::new(),
                    hidden,
                    formulas: Vec::new(),
                });
            }
        }
    }
    Ok(workbook)
}

/// Drains a streaming cell reader, keeping only non-empty cells, within limits.
fn collect_stream<'a, F>(mut next: F, limits: &Limits) -> Result<Vec<Cell>, String>
where
    F: FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, String>,
{
    // A filled form has a few hundred cells: start there rather than grow to it.
    let mut cells = Vec::with_capacity(256);
    while let Some(cell) = next()? {
        let (row, col) = cell.get_position();
        if let Some(value) = convert_ref(cell.get_value()) {
            push_limited(&mut cells, Cell { row, col, value }, limits)?;
        }
    }
    Ok(cells)
}

fn collect_range(range: &Range<Data>, limits: &Limits) -> Result<Vec<Cell>, String> {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut cells = Vec::new();
    for (r, c, data) in range.used_cells() {
        if let Some(value) = convert(data) {
            let cell = Cell {
                row: row0 + r as u32,
                col: col0 + c as u32,
                value,
            };
            push_limited(&mut cells, cell, limits)?;
        }
    }
    Ok(cells)
}

fn push_limited(cells: &mut Vec<Cell>, cell: Cell, limits: &Limits) -> Result<(), String> {
    if cells.len() >= limits.max_cells_per_sheet {
        return Err(format!(
            "trang tính có hơn {} ô có dữ liệu (giới hạn an toàn)",
            limits.max_cells_per_sheet
        ));
    }
    cells.push(cell);
    Ok(())
}

fn text_value(s: &str) -> Option<CellValue> {
    (!s.trim().is_empty()).then(|| CellValue::Text(s.to_string()))
}

fn date_value(dt: &calamine::ExcelDateTime) -> Option<CellValue> {
    if dt.is_datetime() {
        dt.as_datetime()
            .map(CellValue::Date)
            .or(Some(CellValue::Number(dt.as_f64())))
    } else {
        Some(CellValue::Number(dt.as_f64()))
    }
}

fn iso_value(s: &str) -> Option<CellValue> {
    use chrono::{NaiveDate, NaiveDateTime};
    if let Ok(dt) = s.parse::<NaiveDateTime>() {
        return Some(CellValue::Date(dt));
    }
    if let Ok(d) = s.parse::<NaiveDate>() {
        return Some(CellValue::Date(d.and_time(chrono::NaiveTime::MIN)));
    }
    text_value(s)
}

pub(super) fn convert_ref(data: &DataRef<'_>) -> Option<CellValue> {
    match data {
        DataRef::Int(i) => Some(CellValue::Number(*i as f64)),
        DataRef::Float(f) => Some(CellValue::Number(*f)),
        DataRef::String(s) => text_value(s),
        DataRef::SharedString(s) => text_value(s),
        DataRef::Bool(b) => Some(CellValue::Bool(*b)),
        DataRef::DateTime(dt) => date_value(dt),
        DataRef::DateTimeIso(s) => iso_value(s),
        DataRef::DurationIso(s) => text_value(s),
        DataRef::Error(e) => Some(CellValue::Error(e.to_string())),
        DataRef::Empty => None,
    }
}

/// Owned cells (`.xls`, `.ods`) go through the same conversion, borrowed.
fn convert(data: &Data) -> Option<CellValue> {
    let borrowed = match data {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(dt) => DataRef::DateTime(*dt),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    };
    convert_ref(&borrowed)
}
