//! The form layout: one unit per sheet, the template the province sends out.
//!
//! Metadata stand as label / value pairs (`Mã đơn vị` then, in the next non-empty
//! cell to its right, `S01`); the indicator table has a header row with `Mã` and
//! `Số liệu` (and usually `STT`, `Chỉ tiêu`, `Đơn vị tính`, `Ghi chú`), and each
//! row with a code in `Mã` carries that indicator's value in `Số liệu`.

use super::columns::{self, ValueColumn};
use super::{Grid, Layout, Parsed, Submission, rows};
use crate::finding::{Finding, FindingKind};
use crate::period::{Period, find_year};
use crate::read::{CellValue, a1};
use crate::schema::Schema;
use crate::text::{clean, fold, may_be_label, unit_code};
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
    header: Option<IndicatorHeader>,
    fields: Vec<(Label, Field)>,
}

/// The indicator table's header row: where codes, labels, values and notes are.
#[derive(Debug)]
pub struct IndicatorHeader {
    pub row: u32,
    /// `Mã` (`Mã số`, `Mã chỉ tiêu`); a table without it is read by its labels.
    pub code_col: Option<u32>,
    /// `Chỉ tiêu`.
    pub label_col: Option<u32>,
    /// Every column headed as a value column (`Số liệu`, `Kết quả`…), with its
    /// heading as written; [`super::columns`] chooses this period's.
    pub values: Vec<(u32, String)>,
    /// `Ghi chú`.
    pub note_col: Option<u32>,
}

/// The folded headings of a value column, or of a heading that begins with one.
const VALUE_HEADINGS: &[&str] = &[
    "so lieu",
    "ket qua",
    "so luong",
    "ket qua thuc hien",
    "thuc hien",
];

fn is_value_heading(key: &str) -> bool {
    VALUE_HEADINGS.iter().any(|h| {
        key.strip_prefix(h)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()))
    })
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
        let mut label_col = None;
        for t in texts.clone() {
            let (cell, text) = (t.cell, t.text);
            let Some(key) = t.key() else {
                if let Some(found) = long_label_in(text, row, cell.col)
                    && !layout.fields.iter().any(|(l, _)| *l == found.0)
                {
                    layout.fields.push(found);
                }
                continue;
            };
            match key {
                "ma" | "ma chi tieu" | "ma so" if code_col.is_none() => code_col = Some(cell.col),
                "chi tieu" | "ten chi tieu" | "noi dung chi tieu" if label_col.is_none() => {
                    label_col = Some(cell.col)
                }
                _ => {}
            }
            if let Some(found) = label_in(text, key, grid, row, cell.col)
                && !layout.fields.iter().any(|(l, _)| *l == found.0)
            {
                layout.fields.push(found);
            }
        }
        if layout.header.is_none() && (code_col.is_some() || label_col.is_some()) {
            layout.header = header_row(row, texts, code_col, label_col);
        }
    }
    let has_label = |l| layout.field(l).is_some();
    // A `Chỉ tiêu | Kết quả` table alone may be any annex; with a code column,
    // or beside the form's labels, it is the indicator table.
    let coded = layout.header.as_ref().is_some_and(|h| h.code_col.is_some());
    let is_form = coded || has_label(Label::UnitCode) || has_label(Label::PeriodKind);
    is_form.then_some(layout)
}

/// The header row's value and note columns, when it has a value column. Only a
/// row with a code or label heading comes here, so its long headings (`Số liệu
/// thực hiện (từ ngày 15/12/2023 đến ngày 14/6/2024)`) are folded without
/// slowing the sheet's other rows.
fn header_row<'g>(
    row: u32,
    texts: impl Iterator<Item = super::grid::TextCell<'g>>,
    code_col: Option<u32>,
    label_col: Option<u32>,
) -> Option<IndicatorHeader> {
    let mut header = IndicatorHeader {
        row,
        code_col,
        label_col,
        values: Vec::new(),
        note_col: None,
    };
    for t in texts {
        let key = t.key().map_or_else(|| fold(t.text), str::to_string);
        if is_value_heading(&key) {
            header.values.push((t.cell.col, t.text.trim().to_string()));
        } else if key == "ghi chu" && header.note_col.is_none() {
            header.note_col = Some(t.cell.col);
        }
    }
    (!header.values.is_empty()).then_some(header)
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
        if key.starts_with(name) && is_colon_after_label(&key[name.len()..]) {
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

/// After a label's name: a colon, perhaps after a required-field mark (`(*):`).
fn is_colon_after_label(rest: &str) -> bool {
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix("(*)")
        .or_else(|| rest.strip_prefix('*'))
        .unwrap_or(rest);
    rest.trim_start().starts_with(':')
}

/// A label and its value in one cell too long to fold whole (`Ngày báo cáo: Lạc
/// Thủy, ngày 05 tháng 6 năm 2024`): only the part before the colon is folded.
fn long_label_in(text: &str, row: u32, col: u32) -> Option<(Label, Field)> {
    let (name, after) = text.split_once(':')?;
    if !may_be_label(name) {
        return None;
    }
    let key = fold(name);
    let &(_, label) = LABELS.iter().find(|(n, _)| *n == key)?;
    let after = after.trim();
    (!after.is_empty()).then(|| {
        let field = Field {
            value: CellValue::Text(after.to_string()),
            cell: a1(row, col),
        };
        (label, field)
    })
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
        sub.report_date_cell = Some(f.cell.clone());
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
    } else if let Some((date, cell)) = place_and_date_line(grid) {
        sub.report_date = Some(date);
        sub.report_date_cell = Some(cell);
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
    match &layout.header {
        Some(header) => {
            let columns = columns::candidates(
                grid,
                header.row,
                &header.values,
                header.code_col,
                schema,
            );
            match columns::choose(columns, sub.period) {
                Ok(column) => rows::read(grid, header, column.col, schema, &mut sub, out),
                Err(undecided) => out.findings.push(undecided_columns(&sub, &undecided)),
            }
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

/// The date of the last place-and-date line of the sheet (`Lạc Thủy, ngày 05
/// tháng 6 năm 2024`, above the signature), for forms without `Ngày báo cáo`.
/// Only texts with a comma and a digit are folded.
fn place_and_date_line(grid: &Grid) -> Option<(chrono::NaiveDate, String)> {
    let mut found = None;
    for (row, texts) in grid.text_rows() {
        for t in texts {
            let text = t.text;
            if text.len() > 160 || !text.contains(',') || !text.bytes().any(|b| b.is_ascii_digit())
            {
                continue;
            }
            let folded = fold(text);
            if !(folded.contains("ngay") && folded.contains("thang") && folded.contains("nam")) {
                continue;
            }
            if let Some(date) = value::date_from_text(text) {
                found = Some((date, a1(row, t.cell.col)));
            }
        }
    }
    found
}

/// Several value columns and no heading that says which is this period's.
fn undecided_columns(sub: &Submission, columns: &[ValueColumn]) -> Finding {
    let named: Vec<String> = columns
        .iter()
        .map(|c| format!("{} \"{}\"", c.cell, c.heading))
        .collect();
    let period = sub
        .period
        .map_or("kỳ báo cáo".to_string(), |p| format!("kỳ {p}"));
    Finding::error(
        FindingKind::PeriodColumn,
        &sub.file,
        format!(
            "biểu có nhiều cột số liệu ({}) mà tiêu đề không cho biết cột nào là của {period}; không dùng cột nào: đề nghị đơn vị ghi rõ tiêu đề cột của kỳ báo cáo (\"Kỳ này\")",
            named.join(" và ")
        ),
    )
    .sheet(&sub.sheet)
    .cell(columns.first().map(|c| c.cell.as_str()))
    .unit(sub.unit.as_deref())
}
