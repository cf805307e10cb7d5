//! The very hidden sheet `qcdc_so_lieu`: the report's figures for a later
//! period's `--compare` to read back exactly (`read::earlier`), whatever the
//! printed sheets look like.
//!
//! One row per registered unit, sorted by code: its code, name, type, the
//! period and its status, then one column per count indicator of the schema,
//! headed by the indicator's code and left blank where the unit reported
//! nothing. Reports written before this layout hold the long CSV's shape
//! instead (a row per unit and indicator, the unit's columns repeated on each);
//! `read::earlier` reads both. This one is about a seventh of the cells, which
//! made it the cheapest sheet to write rather than the dearest.

use super::Context;
use crate::read::earlier::WIDE_HEADER;
use rust_xlsxwriter::{Worksheet, XlsxError};

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    ws.set_very_hidden(true);
    let codes = ctx.schema.count_codes();
    for (col, name) in WIDE_HEADER.iter().chain(&codes).enumerate() {
        ws.write_string(0, col as u16, *name)?;
    }
    let first_count = WIDE_HEADER.len() as u16;
    let period = ctx.c.period.to_string();
    let mut units: Vec<_> = ctx.c.units.iter().collect();
    units.sort_by(|a, b| a.unit.code.cmp(&b.unit.code));
    for (i, u) in units.into_iter().enumerate() {
        let row = 1 + i as u32;
        let status = serde_json::to_value(u.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let texts: [&str; WIDE_HEADER.len()] = [
            &u.unit.code,
            &u.unit.name,
            &u.unit.unit_type,
            &period,
            &status,
        ];
        for (col, text) in texts.into_iter().enumerate() {
            ws.write_string(row, col as u16, text)?;
        }
        let Some(e) = u.entry else { continue };
        let counts = ctx.c.entries[e].submission.counts(&codes);
        for (j, n) in counts.into_iter().enumerate() {
            if let Some(n) = n {
                ws.write_number(row, first_count + j as u16, n as f64)?;
            }
        }
    }
    Ok(())
}
