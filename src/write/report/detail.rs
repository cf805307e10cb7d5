//! Chi tiết đơn vị: one row per registered unit, one column per count indicator,
//! and a totals row of real `SUM` formulas carrying their computed values, so
//! the sheet is right even where formulas are not recalculated.

use super::style::page;
use super::{Context, type_label};
use crate::read::a1;
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

const FIXED: u16 = 5;

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let codes = ctx.schema.count_codes();
    for (c, (name, width)) in [
        ("STT", 6.0),
        ("Mã đơn vị", 11.0),
        ("Tên đơn vị", 34.0),
        ("Loại hình", 18.0),
        ("Trạng thái", 14.0),
    ]
    .into_iter()
    .enumerate()
    {
        ws.write_string_with_format(0, c as u16, name, &s.header)?;
        ws.set_column_width(c as u16, width)?;
    }
    for (j, code) in codes.iter().enumerate() {
        ws.write_string_with_format(0, FIXED + j as u16, *code, &s.header)?;
        ws.set_column_width(FIXED + j as u16, 10.0)?;
    }
    ws.set_freeze_panes(1, 3)?;
    page(ws, true, Some((0, 0)))?;
    let units = &ctx.c.units;
    for (i, u) in units.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        ws.write_string_with_format(row, 1, &u.unit.code, &s.cell)?;
        ws.write_string_with_format(row, 2, &u.unit.name, &s.cell)?;
        ws.write_string_with_format(row, 3, type_label(ctx, &u.unit.unit_type), &s.cell)?;
        ws.write_string_with_format(row, 4, u.status.label(), &s.cell)?;
        let counts = match u.entry {
            Some(e) => ctx.c.entries[e].submission.counts(&codes),
            None => vec![None; codes.len()],
        };
        for (j, count) in counts.into_iter().enumerate() {
            let col = FIXED + j as u16;
            match count {
                Some(n) => ws.write_number_with_format(row, col, n as f64, &s.number)?,
                None => ws.write_blank(row, col, &s.cell)?,
            };
        }
    }
    let total_row = 1 + units.len() as u32;
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
                a1(1, col as u32),
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
    if !units.is_empty() {
        ws.autofilter(0, 0, total_row - 1, FIXED + codes.len() as u16 - 1)?;
    }
    Ok(())
}
