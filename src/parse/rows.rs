//! The indicator rows of a form, under the header [`super::form`] found.
//!
//! A row names its indicator by the code in `Mã` (as units type codes, see
//! [`super::codes`]); a table without a code column names it by the `Chỉ tiêu`
//! label, and says so. A number in `Ghi chú` beside an empty value is never
//! taken for the value, but it is pointed out: it may be the figure, typed one
//! column too far.

use super::codes::{CodeMatch, Labels, match_code};
use super::form::IndicatorHeader;
use super::{Grid, Parsed, Submission, looks_like_code, push_slot, read_slot};
use crate::finding::{Finding, FindingKind};
use crate::read::{CellValue, a1};
use crate::schema::{IndicatorKind, Schema};
use crate::value::{self, CountCell, Reported};

/// Reads every indicator row below the header, values from `value_col`.
pub fn read(
    grid: &Grid,
    header: &IndicatorHeader,
    value_col: u32,
    schema: &Schema,
    sub: &mut Submission,
    out: &mut Parsed,
) {
    let by_label = match (header.code_col, header.label_col) {
        (None, Some(label_col)) => Some((label_col, Labels::new(schema))),
        _ => None,
    };
    let mut matched_by_label = 0;
    for (row, _) in grid.rows().filter(|(r, _)| *r > header.row) {
        let code = match (header.code_col, &by_label) {
            (Some(code_col), _) => code_in(grid, row, code_col, schema, sub, out),
            (None, Some((label_col, labels))) => {
                let code = label_in(grid, row, *label_col, value_col, labels, sub, out);
                matched_by_label += usize::from(code.is_some());
                code
            }
            (None, None) => None,
        };
        let Some(code) = code else { continue };
        let value = grid.get(row, value_col);
        let slot = read_slot(
            code,
            value,
            a1(row, value_col),
            schema,
            sub,
            &mut out.findings,
        );
        if value.is_none() {
            note_number(grid, header, row, value_col, code, schema, sub, out);
        }
        push_slot(sub, slot, &mut out.findings);
    }
    if matched_by_label > 0 {
        out.findings.push(
            Finding::warning(
                FindingKind::IndicatorMatched,
                &sub.file,
                format!(
                    "bảng chỉ tiêu không có cột Mã: {matched_by_label} chỉ tiêu được nhận theo tên ở cột Chỉ tiêu; đề nghị đơn vị dùng biểu mẫu có cột Mã"
                ),
            )
            .sheet(&sub.sheet)
            .unit(sub.unit.as_deref()),
        );
    }
}

/// The indicator a row's code cell names; unknown codes are listed.
fn code_in<'s>(
    grid: &Grid,
    row: u32,
    code_col: u32,
    schema: &'s Schema,
    sub: &Submission,
    out: &mut Parsed,
) -> Option<&'s str> {
    let shown = grid.get(row, code_col)?.display();
    let cell = a1(row, code_col);
    match match_code(&shown, schema) {
        Some(CodeMatch::Exact(code)) => Some(code),
        Some(CodeMatch::LetterO(code)) => {
            out.findings.push(
                Finding::warning(
                    FindingKind::IndicatorMatched,
                    &sub.file,
                    format!(
                        "mã chỉ tiêu '{shown}' không có trong danh mục, được đọc là {code} (chữ O thay cho số 0); đề nghị đơn vị sửa mã"
                    ),
                )
                .sheet(&sub.sheet)
                .cell(Some(&cell))
                .unit(sub.unit.as_deref())
                .indicator(code)
                .value(shown),
            );
            Some(code)
        }
        None => {
            let squeezed: String = shown.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
            if looks_like_code(&squeezed) {
                out.findings.push(
                    Finding::warning(
                        FindingKind::UnknownIndicator,
                        &sub.file,
                        format!(
                            "mã chỉ tiêu '{shown}' không có trong danh mục chỉ tiêu; dòng này bị bỏ qua"
                        ),
                    )
                    .sheet(&sub.sheet)
                    .cell(Some(&cell))
                    .unit(sub.unit.as_deref())
                    .value(shown),
                );
            }
            None
        }
    }
}

/// The indicator a row's `Chỉ tiêu` label names, in a table with no code
/// column. A labelled row with a value that matches no label is listed; rows
/// without a value (section headings) are passed over.
fn label_in<'s>(
    grid: &Grid,
    row: u32,
    label_col: u32,
    value_col: u32,
    labels: &Labels<'s>,
    sub: &Submission,
    out: &mut Parsed,
) -> Option<&'s str> {
    let text = grid.get(row, label_col)?.as_text()?;
    if let Some(code) = labels.find(text) {
        return Some(code);
    }
    if let Some(value) = grid.get(row, value_col) {
        let seen = value.display();
        out.findings.push(
            Finding::warning(
                FindingKind::UnknownIndicator,
                &sub.file,
                format!(
                    "dòng \"{}\" không khớp tên chỉ tiêu nào trong danh mục; giá trị '{seen}' của dòng này không được tính",
                    text.trim()
                ),
            )
            .sheet(&sub.sheet)
            .cell(Some(&a1(row, label_col)))
            .unit(sub.unit.as_deref())
            .value(seen),
        );
    }
    None
}

/// A bare number in `Ghi chú` beside an empty value cell: pointed out, not used.
#[allow(clippy::too_many_arguments)]
fn note_number(
    grid: &Grid,
    header: &IndicatorHeader,
    row: u32,
    value_col: u32,
    code: &str,
    schema: &Schema,
    sub: &Submission,
    out: &mut Parsed,
) {
    let Some(note_col) = header.note_col else {
        return;
    };
    if schema.indicator(code).map(|i| i.kind) != Some(IndicatorKind::Count) {
        return;
    }
    let note = grid.get(row, note_col);
    let bare = match note {
        Some(CellValue::Number(_)) => true,
        Some(CellValue::Text(t)) => {
            matches!(
                value::count_from_text(t),
                Ok(CountCell::Value(Reported::Count(_)))
            ) && t.trim() != "-"
        }
        _ => false,
    };
    if !bare {
        return;
    }
    let seen = note.map(CellValue::display).unwrap_or_default();
    let (value_cell, note_cell) = (a1(row, value_col), a1(row, note_col));
    out.findings.push(
        Finding::warning(
            FindingKind::NumberInNote,
            &sub.file,
            format!(
                "chỉ tiêu {code}: ô Số liệu {value_cell} trống nhưng ô Ghi chú {note_cell} ghi '{seen}'; số này không được tính, nếu đó là số liệu thì đề nghị đơn vị ghi vào ô {value_cell}"
            ),
        )
        .sheet(&sub.sheet)
        .cell(Some(&value_cell))
        .unit(sub.unit.as_deref())
        .indicator(code)
        .value(seen),
    );
}
