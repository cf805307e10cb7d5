//! Lỗi và cảnh báo: every finding, located by file, sheet and cell, sorted by
//! unit then file (the order the collect stage leaves them in).

use super::Context;
use super::style::Listing;
use crate::finding::Severity;
use rust_xlsxwriter::{Worksheet, XlsxError};

const LISTING: Listing = Listing {
    header_row: 0,
    columns: &[
        ("STT", 6.0),
        ("Tệp", 34.0),
        ("Trang tính", 14.0),
        ("Ô", 7.0),
        ("Đơn vị", 9.0),
        ("Chỉ tiêu", 9.0),
        ("Giá trị", 12.0),
        ("Mức độ", 10.0),
        ("Nội dung", 60.0),
    ],
};

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    LISTING.begin(ws, s, true)?;
    let mut row = 0;
    for f in &ctx.c.findings {
        row += 1;
        let (level, format) = match f.severity {
            Severity::Error => ("Lỗi", &s.error),
            Severity::Warning => ("Cảnh báo", &s.warning),
        };
        ws.write_number_with_format(row, 0, row as f64, &s.cell_center)?;
        let texts = [
            Some(f.file.as_str()),
            f.sheet.as_deref(),
            f.cell.as_deref(),
            f.unit.as_deref(),
            f.indicator.as_deref(),
            f.value.as_deref(),
        ];
        for (c, text) in texts.into_iter().enumerate() {
            ws.write_string_with_format(row, 1 + c as u16, text.unwrap_or(""), &s.cell_wrap)?;
        }
        ws.write_string_with_format(row, 7, level, format)?;
        ws.write_string_with_format(row, 8, &f.message, &s.cell_wrap)?;
    }
    LISTING.end(ws, row)
}
