//! Stage 2, parse: sheets of cells to submissions.
//!
//! A sheet holds the province's form (one unit: labels and an indicator table),
//! a table (one row per unit, one column per indicator code), or neither (a guide
//! sheet, an annex), and is then ignored. Labels and headers are found by their
//! folded text, wherever they stand, never by fixed addresses.

mod form;
mod grid;
mod table;

use crate::finding::{Finding, FindingKind};
use crate::period::Period;
use crate::read::Workbook;
use crate::schema::{IndicatorKind, Schema};
use crate::value::{self, Reported};
use chrono::NaiveDate;
use serde::Serialize;

pub use grid::Grid;

/// Which layout a submission came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    Form,
    Table,
}

/// What one indicator's cell held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotState {
    /// A value was read.
    Value(Reported),
    /// The cell was empty: not reported (not 0).
    Empty,
    /// The cell held something that is not a valid value (an error finding says what).
    Rejected,
}

/// An indicator's place in a submission: its code, its cell, and what it held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub code: String,
    pub cell: String,
    pub state: SlotState,
}

/// One unit's report for one period, as read from one sheet (or one table row).
#[derive(Debug, Clone)]
pub struct Submission {
    pub file: String,
    pub sheet: String,
    pub layout: Layout,
    /// Upper-cased, trimmed unit code.
    pub unit: Option<String>,
    pub unit_cell: Option<String>,
    pub unit_name: Option<String>,
    pub period: Option<Period>,
    pub period_cell: Option<String>,
    pub report_date: Option<NaiveDate>,
    pub preparer: Option<String>,
    pub phone: Option<String>,
    /// Indicator slots in schema order.
    pub slots: Vec<Slot>,
}

impl Submission {
    fn new(file: &str, sheet: &str, layout: Layout) -> Submission {
        Submission {
            file: file.to_string(),
            sheet: sheet.to_string(),
            layout,
            unit: None,
            unit_cell: None,
            unit_name: None,
            period: None,
            period_cell: None,
            report_date: None,
            preparer: None,
            phone: None,
            slots: Vec::new(),
        }
    }

    /// The value read for an indicator, if any.
    pub fn value(&self, code: &str) -> Option<&Reported> {
        self.slots
            .iter()
            .find(|s| s.code == code)
            .and_then(|s| match &s.state {
                SlotState::Value(v) => Some(v),
                _ => None,
            })
    }

    /// The count read for an indicator, if any.
    pub fn count(&self, code: &str) -> Option<u64> {
        match self.value(code) {
            Some(Reported::Count(n)) => Some(*n),
            _ => None,
        }
    }

    /// The slot of an indicator, if the submission has a place for it.
    pub fn slot(&self, code: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.code == code)
    }

    /// Usable: names a unit and a period, and at least one value was read.
    pub fn is_usable(&self) -> bool {
        self.unit.is_some()
            && self.period.is_some()
            && self.slots.iter().any(|s| {
                matches!(
                    s.state,
                    SlotState::Value(Reported::Count(_) | Reported::Text(_))
                )
            })
    }

    /// The cell that locates a table row (its unit code), so findings about a row
    /// without a cell of their own still point at the right line.
    pub fn row_anchor(&self) -> Option<&str> {
        match self.layout {
            Layout::Table => self.unit_cell.as_deref(),
            Layout::Form => None,
        }
    }
}

/// What parsing one file produced.
#[derive(Debug, Default)]
pub struct Parsed {
    pub submissions: Vec<Submission>,
    pub findings: Vec<Finding>,
}

/// Parses every sheet of a workbook. A file where no sheet holds a form or a
/// table gets a `NoForm` error.
pub fn parse_workbook(workbook: &Workbook, file: &str, schema: &Schema) -> Parsed {
    let mut parsed = Parsed::default();
    for sheet in &workbook.sheets {
        let grid = Grid::new(&sheet.cells);
        if let Some(header) = table::find_header(&grid, schema) {
            table::parse(&grid, &header, file, &sheet.name, schema, &mut parsed);
        } else if let Some(layout) = form::find(&grid) {
            form::parse(&grid, &layout, file, &sheet.name, schema, &mut parsed);
        }
    }
    if parsed.submissions.is_empty()
        && !parsed
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::NoIndicatorTable)
    {
        let names: Vec<&str> = workbook.sheets.iter().map(|s| s.name.as_str()).collect();
        parsed.findings.push(Finding::error(
            FindingKind::NoForm,
            file,
            format!(
                "không tìm thấy biểu QCDC trong tệp (đã xem {} trang tính: {}); biểu cần có dòng tiêu đề STT / Chỉ tiêu / Mã / Số liệu, hoặc bảng có cột ma_don_vi và các cột mã chỉ tiêu",
                names.len(),
                names.join(", ")
            ),
        ));
    }
    for s in &mut parsed.submissions {
        s.slots.sort_by_key(|slot| schema.position(&slot.code));
    }
    parsed
}

/// Reads one indicator cell into a slot, recording a finding when it is invalid.
fn read_slot(
    code: &str,
    cell: Option<&crate::read::CellValue>,
    address: String,
    schema: &Schema,
    sub: &Submission,
    findings: &mut Vec<Finding>,
) -> Slot {
    let kind = schema.indicator(code).map(|i| i.kind);
    let state = match kind {
        Some(IndicatorKind::Text) => value::text(cell).map_or(SlotState::Empty, SlotState::Value),
        _ => match value::count(cell) {
            Ok(Some(v)) => SlotState::Value(v),
            Ok(None) => SlotState::Empty,
            Err(e) => {
                let seen = cell.map(|c| c.display()).unwrap_or_default();
                findings.push(
                    Finding::error(
                        FindingKind::BadValue,
                        &sub.file,
                        format!(
                            "chỉ tiêu {code}: giá trị '{seen}' {e}; giá trị này không được tính"
                        ),
                    )
                    .sheet(&sub.sheet)
                    .cell(Some(&address))
                    .unit(sub.unit.as_deref())
                    .indicator(code)
                    .value(seen),
                );
                SlotState::Rejected
            }
        },
    };
    Slot {
        code: code.to_string(),
        cell: address,
        state,
    }
}

/// Records a code seen twice in one submission; the first one stays.
fn push_slot(sub: &mut Submission, slot: Slot, findings: &mut Vec<Finding>) {
    if let Some(first) = sub.slots.iter().find(|s| s.code == slot.code) {
        findings.push(
            Finding::error(
                FindingKind::DuplicateIndicator,
                &sub.file,
                format!(
                    "mã chỉ tiêu {} xuất hiện hai lần (ô {} và ô {}); chỉ dùng giá trị ở ô {}",
                    slot.code, first.cell, slot.cell, first.cell
                ),
            )
            .sheet(&sub.sheet)
            .cell(Some(&slot.cell))
            .unit(sub.unit.as_deref())
            .indicator(&slot.code),
        );
        return;
    }
    sub.slots.push(slot);
}

/// Whether a text looks like an indicator code (short letters and digits), so that
/// a stray note in the code column is not taken for an unknown indicator.
fn looks_like_code(text: &str) -> bool {
    let t = text.trim();
    (2..=8).contains(&t.len())
        && t.bytes().all(|b| b.is_ascii_alphanumeric())
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_alphabetic())
}
