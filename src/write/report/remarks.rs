//! Ý kiến đơn vị: the free-text answers (the schema's `text` indicators, group
//! IX), one row per unit and answer, so that a paragraph has the page's width
//! to itself rather than a third of it. Always written as strings: a remark
//! that looks like a formula stays text.

use super::Context;
use super::style::Listing;
use crate::schema::IndicatorKind;
use rust_xlsxwriter::{Worksheet, XlsxError};

const LISTING: Listing = Listing {
    header_row: 0,
    columns: &[
        ("STT", 5.0),
        ("Mã đơn vị", 9.0),
        ("Tên đơn vị", 24.0),
        ("Nội dung", 24.0),
        ("Ý kiến của đơn vị", 67.0),
    ],
};

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let texts: Vec<_> = ctx
        .schema
        .indicators
        .iter()
        .filter(|i| i.kind == IndicatorKind::Text)
        .collect();
    LISTING.begin(ws, s, true)?;
    let mut row = 0;
    for u in &ctx.c.units {
        let Some(e) = u.entry else { continue };
        let sub = &ctx.c.entries[e].submission;
        for ind in &texts {
            let Some(answer) = sub.value(&ind.code).map(|v| v.to_string()) else {
                continue;
            };
            if answer.trim().is_empty() {
                continue;
            }
            row += 1;
            let what = format!("{} ({})", ind.label, ind.code);
            let cells = ["", &u.unit.code, &u.unit.name, &what, &answer];
            LISTING.fit_row(ws, row, &cells)?;
            ws.write_number_with_format(row, 0, row as f64, &s.cell_center)?;
            for (c, text) in cells.iter().enumerate().skip(1) {
                ws.write_string_with_format(row, c as u16, *text, &s.cell_wrap)?;
            }
        }
    }
    LISTING.end(ws, s, row)
}
