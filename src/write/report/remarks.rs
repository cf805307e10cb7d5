//! Ý kiến đơn vị: the free-text answers (the schema's `text` indicators, group
//! IX), one row per unit and answer, so that a paragraph has the page's width
//! to itself rather than a third of it. Always written as strings: a remark
//! that looks like a formula stays text.

use super::Context;
use super::fit::RowFit;
use super::style::{BODY, Listing, write_texts};
use crate::schema::{Indicator, IndicatorKind};
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
    let width = |c: usize| LISTING.columns[c].1;
    // What each answer is about, and the height it needs, worked out once.
    let texts: Vec<(&Indicator, String, f64)> = ctx
        .schema
        .indicators
        .iter()
        .filter(|i| i.kind == IndicatorKind::Text)
        .map(|i| {
            let what = format!("{} ({})", i.label, i.code);
            let height = RowFit::new(BODY).cell(&what, width(3), BODY).height();
            (i, what, height)
        })
        .collect();
    LISTING.begin(ws, s, true)?;
    let mut row = 0;
    for u in &ctx.c.units {
        let Some(e) = u.entry else { continue };
        let sub = &ctx.c.entries[e].submission;
        let mut unit_fit = None;
        for (ind, what, what_height) in &texts {
            let Some(answer) = sub.value(&ind.code).map(|v| v.to_string()) else {
                continue;
            };
            if answer.trim().is_empty() {
                continue;
            }
            row += 1;
            let unit_fit = *unit_fit.get_or_insert_with(|| {
                *RowFit::new(BODY).cell(&u.unit.code, width(1), BODY).cell(
                    &u.unit.name,
                    width(2),
                    BODY,
                )
            });
            let mut fit = unit_fit;
            fit.at_least(*what_height)
                .cell(&answer, width(4), BODY)
                .apply(ws, row)?;
            ws.write_number_with_format(row, 0, row as f64, &s.cell_center)?;
            let cells = [u.unit.code.as_str(), &u.unit.name, what, &answer];
            write_texts(ws, row, 1, &cells, &s.cell_wrap)?;
        }
    }
    LISTING.end(ws, s, row)
}
