//! The very hidden sheet `qcdc_so_lieu`: the report's figures in the long CSV's
//! shape, with each unit's status, so that a later period's `--compare` reads
//! them back exactly (`read::earlier`), whatever the printed sheets look like.
//! Every registered unit has a row without an indicator (its status), then one
//! row per count indicator it reported.

use super::Context;
use crate::read::earlier::{LONG_HEADER, STATUS_COLUMN};
use rust_xlsxwriter::{Worksheet, XlsxError};

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    ws.set_very_hidden(true);
    for (col, name) in LONG_HEADER.iter().chain([&STATUS_COLUMN]).enumerate() {
        ws.write_string(0, col as u16, *name)?;
    }
    let codes = ctx.schema.count_codes();
    let period = ctx.c.period.to_string();
    let mut units: Vec<_> = ctx.c.units.iter().collect();
    units.sort_by(|a, b| a.unit.code.cmp(&b.unit.code));
    let mut row = 1;
    for u in units {
        let status = serde_json::to_value(u.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let counts = match u.entry {
            Some(e) => ctx.c.entries[e].submission.counts(&codes),
            None => Vec::new(),
        };
        let values = codes.iter().zip(counts).filter_map(|(c, n)| Some((*c, n?)));
        for figure in std::iter::once(None).chain(values.map(Some)) {
            ws.write_string(row, 0, &u.unit.code)?;
            ws.write_string(row, 1, &u.unit.name)?;
            ws.write_string(row, 2, &u.unit.unit_type)?;
            ws.write_string(row, 3, &period)?;
            if let Some((code, n)) = figure {
                ws.write_string(row, 4, code)?;
                ws.write_number(row, 5, n as f64)?;
            }
            ws.write_string(row, 6, &status)?;
            row += 1;
        }
    }
    Ok(())
}
