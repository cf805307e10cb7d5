//! Chi tiết đơn vị: one row per registered unit, one column per count indicator,
//! and a totals row of real `SUM` formulas carrying their computed values, so
//! the sheet is right even where formulas are not recalculated.
//!
//! Too wide for a page, it is printed in blocks rather than shrunk: the
//! indicators in groups, as many groups as fit across an A4 page, each column
//! headed by its code and label under its group's label; the unit columns and
//! the two heading rows are repeated on every page, a page break between blocks.

use super::Context;
use super::fit::{Font, RowFit};
use super::style::{BODY, BODY_BOLD, Styles, end_stream, page, page_chars};
use crate::read::a1;
use crate::schema::{Indicator, IndicatorKind};
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

/// The unit columns, repeated on every printed page.
const UNIT_COLUMNS: [(&str, f64); 3] = [("STT", 5.0), ("Mã đơn vị", 9.0), ("Tên đơn vị", 26.0)];
const FIXED: u16 = UNIT_COLUMNS.len() as u16;
/// An indicator column, and the font of its heading (its label is long).
const INDICATOR_WIDTH: f64 = 13.0;
const HEADING: Font = Font::new(10.0, false);

/// A group's indicators that print together under its label.
struct Part<'a> {
    label: String,
    indicators: Vec<&'a Indicator>,
}

/// The count indicators, group by group, cut into parts of at most `per_page`
/// columns, in schema order.
fn parts<'a>(ctx: &'a Context, per_page: usize) -> Vec<Part<'a>> {
    let mut parts = Vec::new();
    for group in &ctx.schema.groups {
        let members: Vec<&Indicator> = ctx
            .schema
            .indicators
            .iter()
            .filter(|i| i.group == group.code && i.kind == IndicatorKind::Count)
            .collect();
        for (n, chunk) in members.chunks(per_page.max(1)).enumerate() {
            let more = if n > 0 { " (tiếp)" } else { "" };
            parts.push(Part {
                label: format!("{}. {}{more}", group.code, group.label),
                indicators: chunk.to_vec(),
            });
        }
    }
    parts
}

/// How many indicator columns fit across a landscape page beside the unit columns.
fn per_page() -> usize {
    let fixed: f64 = UNIT_COLUMNS.iter().map(|c| c.1).sum();
    let mut k = 1;
    while fixed + (k + 1) as f64 * INDICATOR_WIDTH <= page_chars(true, UNIT_COLUMNS.len() + k + 1) {
        k += 1;
    }
    k
}

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let per_page = per_page();
    let parts = parts(ctx, per_page);
    let indicators: Vec<&Indicator> = parts.iter().flat_map(|p| p.indicators.clone()).collect();
    let codes: Vec<&str> = indicators.iter().map(|i| i.code.as_str()).collect();
    headings(ws, s, &parts, per_page)?;
    ws.set_freeze_panes(2, FIXED)?;
    page(ws, true, Some((0, 1)))?;
    ws.set_print_scale(100);
    ws.set_repeat_columns(0, FIXED - 1)?;
    let units = &ctx.c.units;
    for (i, u) in units.iter().enumerate() {
        let row = 2 + i as u32;
        RowFit::new(BODY)
            .cell(&u.unit.name, UNIT_COLUMNS[2].1, BODY)
            .apply(ws, row)?;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        ws.write_string_with_format(row, 1, &u.unit.code, &s.cell)?;
        ws.write_string_with_format(row, 2, &u.unit.name, &s.cell_wrap)?;
        let counts = match u.entry {
            Some(e) => ctx.c.entries[e].submission.counts(&codes),
            None => vec![None; codes.len()],
        };
        for (j, count) in counts.iter().enumerate() {
            if let Some(n) = count {
                ws.write_number(row, FIXED + j as u16, *n as f64)?;
            }
        }
        // Formatted run by run (figures, blanks where none was reported), each
        // format looked up once: see `write_texts`.
        let mut col = FIXED;
        for run in counts.chunk_by(|a, b| a.is_some() == b.is_some()) {
            let format = if run[0].is_some() { &s.number } else { &s.cell };
            let last = col + run.len() as u16 - 1;
            ws.set_range_format(row, col, row, last, format)?;
            col = last + 1;
        }
    }
    let total_row = 2 + units.len() as u32;
    ws.merge_range(total_row, 0, total_row, FIXED - 1, "Tổng cộng", &s.total)?;
    for (j, code) in codes.iter().enumerate() {
        let col = FIXED + j as u16;
        let total = ctx
            .c
            .totals
            .iter()
            .find(|t| t.code == *code)
            .and_then(|t| t.total)
            .unwrap_or(0);
        let range = if units.is_empty() {
            "0".to_string()
        } else {
            format!(
                "SUM({}:{})",
                a1(2, col as u32),
                a1(total_row - 1, col as u32)
            )
        };
        ws.write_formula_with_format(
            total_row,
            col,
            Formula::new(format!("={range}")).set_result(total.to_string()),
            &s.total_number,
        )?;
    }
    // Sized once its cells are written: before, a streamed sheet would write
    // the row twice.
    RowFit::new(BODY_BOLD).apply(ws, total_row)?;
    if !units.is_empty() && !codes.is_empty() {
        ws.autofilter(1, 0, total_row - 1, FIXED + codes.len() as u16 - 1)?;
    }
    end_stream(ws, s, total_row)
}

/// The two heading rows: unit columns merged over both, group labels over
/// their columns, each indicator's code and label; page breaks between blocks.
fn headings(
    ws: &mut Worksheet,
    s: &Styles,
    parts: &[Part],
    per_page: usize,
) -> Result<(), XlsxError> {
    // Rows are written in order (the sheet streams): the first row whole,
    // then the second; so no range merged across the two.
    let columns: usize = parts.iter().map(|p| p.indicators.len()).sum();
    for (c, (_, width)) in UNIT_COLUMNS.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    for c in 0..columns as u16 {
        ws.set_column_width(FIXED + c, INDICATOR_WIDTH)?;
    }
    ws.merge_range(0, 0, 0, FIXED - 1, "Đơn vị", &s.header)?;
    let (mut band, mut labels) = (RowFit::new(BODY_BOLD), RowFit::new(HEADING));
    let (mut col, mut on_page, mut breaks) = (FIXED, 0, Vec::new());
    for part in parts {
        let n = part.indicators.len();
        if on_page + n > per_page {
            breaks.push(col as u32);
            on_page = 0;
        }
        on_page += n;
        let last = col + n as u16 - 1;
        if n > 1 {
            ws.merge_range(0, col, 0, last, &part.label, &s.header)?;
        } else {
            ws.write_string_with_format(0, col, &part.label, &s.header)?;
        }
        band.cell(&part.label, n as f64 * INDICATOR_WIDTH, BODY_BOLD);
        col += n as u16;
    }
    band.apply(ws, 0)?;
    for (c, (name, width)) in UNIT_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *name, &s.header)?;
        labels.cell(name, *width, BODY_BOLD);
    }
    let mut col = FIXED;
    for part in parts {
        for ind in &part.indicators {
            let heading = format!("{}\n{} ({})", ind.code, ind.label, ind.unit);
            ws.write_string_with_format(1, col, &heading, &s.header_small)?;
            labels.cell(&heading, INDICATOR_WIDTH, HEADING);
            col += 1;
        }
    }
    labels.apply(ws, 1)?;
    if !breaks.is_empty() {
        ws.set_vertical_page_breaks(&breaks)?;
    }
    Ok(())
}
