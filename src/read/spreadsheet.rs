//! Spreadsheet formats through calamine.
//!
//! `.xlsx` and `.xlsb` are streamed cell by cell (`worksheet_cells_reader`), so a
//! sheet's declared dimensions never size an allocation (calamine issues #428,
//! #432: `worksheet_range` builds a dense grid). `.xls` and `.ods` have no such
//! reader; their dimensions are bounded by the limits checked before this.
//!
//! Formulas come with the cells: `.xlsx` in the same pass
//! (`next_cell_with_formula`), `.xls` and `.ods` from the formula grid calamine
//! has already built. `.xlsb` always stores results and has no recalculation
//! flags calamine reads, so its formulas are not needed.

use super::library_error as explain;
use super::{Cell, CellValue, Format, FormulaCell, Limits, ReadError, ReadNote, Sheet, Workbook};
use calamine::{Data, DataRef, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};
use std::io::Cursor;

type Bytes<'a> = Cursor<&'a [u8]>;

/// Reads every sheet of a spreadsheet held in memory.
pub fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Workbook, ReadError> {
    let cursor = Cursor::new(bytes);
    match format {
        Format::Xlsx => {
            let mut wb = Xlsx::new(cursor)
                .map_err(|e| open_error(&explain::xlsx(&e), is_password_xlsx(&e)))?;
            let mut workbook = read_sheets(&mut wb, limits, |wb, name, limits| {
                let mut reader = wb
                    .worksheet_cells_reader(name)
                    .map_err(|e| explain::xlsx(&e))?;
                collect_stream(
                    || {
                        let cell = reader
                            .next_cell_with_formula()
                            .map_err(|e| explain::xlsx(&e))?;
                        Ok(cell.map(|c| (c.pos, c.value, c.formula)))
                    },
                    limits,
                )
            })?;
            if workbook.sheets.iter().any(|s| !s.formulas.is_empty()) {
                workbook.recalc = super::calc_pr::xlsx(bytes);
            }
            Ok(workbook)
        }
        Format::Xlsb => {
            let mut wb = Xlsb::new(cursor)
                .map_err(|e| open_error(&explain::xlsb(&e), is_password_xlsb(&e)))?;
            read_sheets(&mut wb, limits, |wb, name, limits| {
                let mut reader = wb
                    .worksheet_cells_reader(name)
                    .map_err(|e| explain::xlsb(&e))?;
                collect_stream(
                    || {
                        let cell = reader.next_cell().map_err(|e| explain::xlsb(&e))?;
                        Ok(cell.map(|c| (c.get_position(), c.get_value().clone(), None)))
                    },
                    limits,
                )
            })
        }
        Format::Xls => {
            super::guard::xls(bytes, limits)?;
            let mut wb = Xls::new(cursor).map_err(|e| {
                open_error(&explain::xls(&e), matches!(e, calamine::XlsError::Password))
            })?;
            read_sheets(&mut wb, limits, |wb: &mut Xls<Bytes>, name, limits| {
                let range = wb.worksheet_range(name).map_err(|e| explain::xls(&e))?;
                let formulas = wb.worksheet_formula(name).ok();
                collect_range(&range, formulas.as_ref(), str::to_string, limits)
            })
        }
        Format::Ods => {
            super::guard::ods(bytes, limits)?;
            let mut wb = Ods::new(cursor).map_err(|e| {
                open_error(&explain::ods(&e), matches!(e, calamine::OdsError::Password))
            })?;
            read_sheets(&mut wb, limits, |wb: &mut Ods<Bytes>, name, limits| {
                let range = wb.worksheet_range(name).map_err(|e| explain::ods(&e))?;
                let formulas = wb.worksheet_formula(name).ok();
                collect_range(&range, formulas.as_ref(), ods_formula, limits)
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
    F: FnMut(&mut R, &str, &Limits) -> Result<(Vec<Cell>, Vec<FormulaCell>), String>,
{
    let metadata: Vec<(String, SheetType, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.typ, s.visible != SheetVisible::Visible))
        .collect();
    let mut workbook = Workbook::default();
    for (name, typ, hidden) in metadata {
        match read_one(wb, &name, limits) {
            Ok((cells, formulas)) => workbook.sheets.push(Sheet {
                name,
                cells,
                hidden,
                formulas,
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

/// A streamed cell: position, stored value, formula if any.
type Streamed<'a> = ((u32, u32), DataRef<'a>, Option<String>);

/// Drains a streaming cell reader, keeping only non-empty cells and the
/// formulas, within limits.
fn collect_stream<'a, F>(
    mut next: F,
    limits: &Limits,
) -> Result<(Vec<Cell>, Vec<FormulaCell>), String>
where
    F: FnMut() -> Result<Option<Streamed<'a>>, String>,
{
    // A filled form has a few hundred cells: start there rather than grow to it.
    let mut cells = Vec::with_capacity(256);
    let mut formulas = Vec::new();
    while let Some(((row, col), value, formula)) = next()? {
        if let Some(formula) = formula.filter(|f| !f.trim().is_empty()) {
            push_limited(&mut formulas, FormulaCell { row, col, formula }, limits)?;
        }
        if let Some(value) = convert_ref(&value) {
            push_limited(&mut cells, Cell { row, col, value }, limits)?;
        }
    }
    Ok((cells, formulas))
}

/// An owned grid's cells and, when calamine has them, its formulas (`.xls`,
/// `.ods`); `formula_text` turns the format's formula into Excel's A1 syntax.
fn collect_range(
    range: &Range<Data>,
    formulas: Option<&Range<String>>,
    formula_text: fn(&str) -> String,
    limits: &Limits,
) -> Result<(Vec<Cell>, Vec<FormulaCell>), String> {
    let mut cells = Vec::new();
    let (row0, col0) = range.start().unwrap_or((0, 0));
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
    let mut found = Vec::new();
    if let Some(grid) = formulas {
        let (row0, col0) = grid.start().unwrap_or((0, 0));
        for (r, c, text) in grid.used_cells().filter(|(_, _, t)| !t.trim().is_empty()) {
            let formula = FormulaCell {
                row: row0 + r as u32,
                col: col0 + c as u32,
                formula: formula_text(text),
            };
            push_limited(&mut found, formula, limits)?;
        }
    }
    Ok((cells, found))
}

/// OpenDocument's formula syntax to Excel's: `of:=SUM([.B5:.B7];[.C2])` is
/// `SUM(B5:B7,C2)`. A reference to another table (`[Sheet2.A1]`) keeps its
/// table name and so stays uncomputed.
fn ods_formula(text: &str) -> String {
    let body = text.strip_prefix("of:").unwrap_or(text);
    let body = body.strip_prefix('=').unwrap_or(body);
    let mut out = String::with_capacity(body.len());
    let (mut in_ref, mut ref_start) = (false, false);
    for c in body.chars() {
        match c {
            '[' => (in_ref, ref_start) = (true, true),
            ']' => in_ref = false,
            ':' if in_ref => {
                out.push(':');
                ref_start = true;
            }
            '.' if in_ref && ref_start => ref_start = false,
            ';' if !in_ref => out.push(','),
            _ => {
                ref_start = false;
                out.push(c);
            }
        }
    }
    out
}

fn push_limited<T>(cells: &mut Vec<T>, cell: T, limits: &Limits) -> Result<(), String> {
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

#[cfg(test)]
mod tests {
    #[test]
    fn opendocument_formulas_in_excel_syntax() {
        use super::ods_formula;
        assert_eq!(ods_formula("of:=SUM([.B5:.B7];[.$C$2])"), "SUM(B5:B7,$C$2)");
        assert_eq!(ods_formula("of:=[.E5]*2-1"), "E5*2-1");
        assert_eq!(ods_formula("of:=[Sheet2.A1]+1"), "Sheet2.A1+1");
    }
}
