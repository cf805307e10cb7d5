//! The consolidated workbook.

use crate::collect::Consolidation;
use crate::schema::{IndicatorKind, Schema};
use rust_xlsxwriter::{Workbook, XlsxError};

/// The workbook's bytes: one row per registered unit, one column per indicator.
pub fn report(c: &Consolidation, schema: &Schema) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Chi tiết đơn vị")?;
    let counts: Vec<_> = schema
        .indicators
        .iter()
        .filter(|i| i.kind == IndicatorKind::Count)
        .collect();
    ws.write_string(0, 0, "Mã đơn vị")?;
    ws.write_string(0, 1, "Tên đơn vị")?;
    ws.write_string(0, 2, "Trạng thái")?;
    for (j, ind) in counts.iter().enumerate() {
        ws.write_string(0, 3 + j as u16, &ind.code)?;
    }
    for (r, u) in c.units.iter().enumerate() {
        let row = 1 + r as u32;
        ws.write_string(row, 0, &u.unit.code)?;
        ws.write_string(row, 1, &u.unit.name)?;
        ws.write_string(row, 2, u.status.label())?;
        let Some(i) = u.entry else { continue };
        for (j, ind) in counts.iter().enumerate() {
            if let Some(n) = c.entries[i].submission.count(&ind.code) {
                ws.write_number(row, 3 + j as u16, n as f64)?;
            }
        }
    }
    wb.save_to_buffer()
}
