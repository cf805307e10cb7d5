//! The form layout: one unit per sheet, the template the province sends out.
//!
//! Metadata stand as label / value pairs (`Mã đơn vị` then, in the next non-empty
//! cell to its right, `S01`); the indicator table has a header row with `Mã` and
//! `Số liệu` (and usually `STT`, `Chỉ tiêu`, `Đơn vị tính`, `Ghi chú`), and each
//! row with a code in `Mã` carries that indicator's value in `Số liệu`.

use super::{Grid, Layout, Parsed, Submission, looks_like_code, push_slot, read_slot};
use crate::finding::{Finding, FindingKind};
use crate::period::{Period, find_year};
use crate::read::{CellValue, a1};
use crate::schema::Schema;
use crate::text::{clean, unit_code};
use crate::value;

/// The metadata labels of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    UnitCode,
    UnitName,
    PeriodKind,
    Year,
    ReportDate,
    Preparer,
    Phone,
}

const LABELS: &[(&str, Label)] = &[
    ("ma don vi", Label::UnitCode),
    ("ten don vi", Label::UnitName),
    ("ky bao cao", Label::PeriodKind),
    ("nam bao cao", Label::Year),
    ("ngay bao cao", Label::ReportDate),
    ("nguoi lap bieu", Label::Preparer),
    ("dien thoai", Label::Phone),
];

/// A label's value and the cell it was found in.
#[derive(Debug, Clone)]
struct Field {
    value: CellValue,
    cell: String,
}

/// Where a sheet's form parts are.
#[derive(Debug, Default)]
pub struct FormLayout {
    /// (row, code column, value column) of the indicator table's header.
    header: Option<(u32, u32, u32)>,
    fields: Vec<(Label, Field)>,
}

impl FormLayout {
    fn field(&self, label: Label) -> Option<&Field> {
        self.fields
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, f)| f)
    }
}

/// Finds a form on a sheet: its labels and its indicator table header. `None`
/// when the sheet has neither a unit-code or period label nor a table header.
pub fn find(grid: &Grid) -> Option<FormLayout> {
    let mut layout = FormLayout::default();
    for (row, texts) in grid.text_rows() {
        let mut code_col = None;
        let mut value_col = None;
        for t in texts {
            let (Some(key), cell, text) = (t.key(), t.cell, t.text) else {
                continue;
            };
            match key {
                "ma" | "ma chi tieu" | "ma so" if code_col.is_none() => code_col = Some(cell.col),
                k if k.starts_with("so lieu") && value_col.is_none() && code_col.is_some() => {
                    value_col = Some(cell.col)
                }
                _ => {}
            }
            if let Some(found) = label_in(text, key, grid, row, cell.col)
                && !layout.fields.iter().any(|(l, _)| *l == found.0)
            {
                layout.fields.push(found);
            }
        }
        if let (None, Some(code), Some(value)) = (layout.header, code_col, value_col) {
            layout.header = Some((row, code, value));
        }
    }
    let has_label = |l| layout.field(l).is_some();
    let is_form =
        layout.header.is_some() || has_label(Label::UnitCode) || has_label(Label::PeriodKind);
    is_form.then_some(layout)
}

/// A label in this cell, with its value: the next non-empty cell to the right, or
/// the text after a colon in the same cell (`Mã đơn vị: S01`).
fn label_in(text: &str, key: &str, grid: &Grid, row: u32, col: u32) -> Option<(Label, Field)> {
    for &(name, label) in LABELS {
        if key == name {
            let next = grid.right_of(row, col)?;
            let field = Field {
                value: next.value.clone(),
                cell: a1(next.row, next.col),
            };
            return Some((label, field));
        }
        if key.starts_with(name) && key[name.len()..].trim_start().starts_with(':') {
            let (_, after) = text.split_once(':')?;
            let after = after.trim();
            if after.is_empty() {
                return None;
            }
            let field = Field {
                value: CellValue::Text(after.to_string()),
                cell: a1(row, col),
            };
            return Some((label, field));
        }
    }
    None
}

/// Reads the form found by [`find`] into a submission.
pub fn parse(
    grid: &Grid,
    layout: &FormLayout,
    file: &str,
    sheet: &str,
    schema: &Schema,
    out: &mut Parsed,
) {
    let mut sub = Submission::new(file, sheet, Layout::Form);
    let text_of = |label| {
        layout
            .field(label)
            .map(|f| clean(&f.value.display()))
            .filter(|t| !t.is_empty())
    };
    if let Some(f) = layout.field(Label::UnitCode) {
        sub.unit = Some(unit_code(&f.value.display())).filter(|c| !c.is_empty());
        sub.unit_cell = Some(f.cell.clone());
    }
    sub.unit_name = text_of(Label::UnitName);
    sub.preparer = text_of(Label::Preparer);
    sub.phone = text_of(Label::Phone);
    read_period(layout, &mut sub, out);
    if let Some(f) = layout.field(Label::ReportDate) {
        sub.report_date = value::date(Some(&f.value));
        if sub.report_date.is_none() {
            let seen = f.value.display();
            out.findings.push(
                Finding::warning(
                    FindingKind::BadReportDate,
                    file,
                    format!("không đọc được ngày báo cáo '{seen}' (viết dạng dd/mm/yyyy)"),
                )
                .sheet(sheet)
                .cell(Some(&f.cell))
                .unit(sub.unit.as_deref())
                .value(seen),
            );
        }
    }
    if sub.unit.is_none() {
        out.findings.push(
            Finding::error(
                FindingKind::MissingUnit,
                file,
                "biểu không ghi mã đơn vị (nhãn \"Mã đơn vị\")",
            )
            .sheet(sheet)
            .cell(layout.field(Label::UnitCode).map(|f| f.cell.as_str())),
        );
    }
    match layout.header {
        Some((header_row, code_col, value_col)) => {
            read_indicator_rows(grid, header_row, code_col, value_col, schema, &mut sub, out);
        }
        None => out.findings.push(
            Finding::error(
                FindingKind::NoIndicatorTable,
                file,
                "biểu có phần thông tin đơn vị nhưng không có bảng chỉ tiêu (thiếu dòng tiêu đề có cột \"Mã\" và \"Số liệu\")",
            )
            .sheet(sheet)
            .unit(sub.unit.as_deref()),
        ),
    }
    out.submissions.push(sub);
}

fn read_period(layout: &FormLayout, sub: &mut Submission, out: &mut Parsed) {
    let year = layout.field(Label::Year).and_then(|f| match &f.value {
        CellValue::Number(n) if n.fract() == 0.0 && (1990.0..=2200.0).contains(n) => {
            Some(*n as i32)
        }
        other => find_year(&other.display()),
    });
    let Some(kind) = layout.field(Label::PeriodKind) else {
        out.findings.push(
            Finding::error(
                FindingKind::MissingPeriod,
                &sub.file,
                "biểu không ghi kỳ báo cáo (nhãn \"Kỳ báo cáo\": 6 tháng hoặc Năm)",
            )
            .sheet(&sub.sheet)
            .unit(sub.unit.as_deref()),
        );
        return;
    };
    let seen = kind.value.display();
    sub.period_cell = Some(kind.cell.clone());
    match Period::from_parts(&seen, year) {
        Ok(period) => sub.period = Some(period),
        Err(problem) => out.findings.push(
            Finding::error(
                FindingKind::MissingPeriod,
                &sub.file,
                format!("{problem}; ghi kỳ báo cáo là \"6 tháng\" hoặc \"Năm\", kèm năm báo cáo"),
            )
            .sheet(&sub.sheet)
            .cell(Some(&kind.cell))
            .unit(sub.unit.as_deref())
            .value(seen),
        ),
    }
}

fn read_indicator_rows(
    grid: &Grid,
    header_row: u32,
    code_col: u32,
    value_col: u32,
    schema: &Schema,
    sub: &mut Submission,
    out: &mut Parsed,
) {
    for (row, _) in grid.rows().filter(|(r, _)| *r > header_row) {
        let Some(code_cell) = grid.get(row, code_col) else {
            continue;
        };
        let shown = code_cell.display();
        let code = unit_code(&shown);
        if schema.indicator(&code).is_some() {
            let slot = read_slot(
                &code,
                grid.get(row, value_col),
                a1(row, value_col),
                schema,
                sub,
                &mut out.findings,
            );
            push_slot(sub, slot, &mut out.findings);
        } else if looks_like_code(&code) {
            out.findings.push(
                Finding::warning(
                    FindingKind::UnknownIndicator,
                    &sub.file,
                    format!(
                        "mã chỉ tiêu '{shown}' không có trong danh mục chỉ tiêu; dòng này bị bỏ qua"
                    ),
                )
                .sheet(&sub.sheet)
                .cell(Some(&a1(row, code_col)))
                .unit(sub.unit.as_deref())
                .value(shown),
            );
        }
    }
}
