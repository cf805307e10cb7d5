//! Ý kiến đơn vị: the free-text answers (the schema's `text` indicators, group
//! IX), unit by unit, wrapped for reading. Always written as strings: a remark
//! that looks like a formula stays text.

use super::Context;
use super::style::page;
use crate::schema::IndicatorKind;
use rust_xlsxwriter::{Worksheet, XlsxError};

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let texts: Vec<_> = ctx
        .schema
        .indicators
        .iter()
        .filter(|i| i.kind == IndicatorKind::Text)
        .collect();
    for (c, (name, width)) in [("STT", 6.0), ("Mã đơn vị", 11.0), ("Tên đơn vị", 26.0)]
        .into_iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, name, &s.header)?;
        ws.set_column_width(c as u16, width)?;
    }
    for (j, ind) in texts.iter().enumerate() {
        let col = 3 + j as u16;
        ws.write_string_with_format(0, col, format!("{} ({})", ind.label, ind.code), &s.header)?;
        ws.set_column_width(col, 48.0)?;
    }
    ws.set_freeze_panes(1, 3)?;
    page(ws, true, Some((0, 0)))?;
    let mut row = 0;
    for u in &ctx.c.units {
        let Some(e) = u.entry else { continue };
        let sub = &ctx.c.entries[e].submission;
        let answers: Vec<String> = texts
            .iter()
            .map(|i| {
                sub.value(&i.code)
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            })
            .collect();
        if answers.iter().all(String::is_empty) {
            continue;
        }
        row += 1;
        ws.write_number_with_format(row, 0, row as f64, &s.cell_center)?;
        ws.write_string_with_format(row, 1, &u.unit.code, &s.cell_wrap)?;
        ws.write_string_with_format(row, 2, &u.unit.name, &s.cell_wrap)?;
        for (j, text) in answers.iter().enumerate() {
            ws.write_string_with_format(row, 3 + j as u16, text, &s.cell_wrap)?;
        }
    }
    Ok(())
}
