//! Thông tin: how the report was made (tool version, schema, period, dates,
//! settings) and every input file with its size, status and SHA-256, so anyone
//! can check which files produced it.

use super::style::page;
use super::{Context, date};
use crate::batch::Outcome;
use rust_xlsxwriter::{Worksheet, XlsxError};

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let c = ctx.c;
    for (col, width) in [(0u16, 28.0), (1, 52.0), (2, 14.0), (3, 30.0), (4, 66.0)] {
        ws.set_column_width(col, width)?;
    }
    let registry = if c.from_registry {
        format!("Có ({} đơn vị phải báo cáo)", c.counts.expected)
    } else {
        "Không (chỉ tính các đơn vị đã nộp)".to_string()
    };
    let facts = [
        ("Công cụ", format!("qcdc {}", env!("CARGO_PKG_VERSION"))),
        (
            "Cấu trúc biểu",
            format!("{} (phiên bản {})", ctx.schema.name, ctx.schema.version),
        ),
        (
            "Kỳ báo cáo",
            format!("{} ({})", c.period, c.period.title().to_lowercase()),
        ),
        ("Hạn nộp", date(c.due)),
        ("Ngày xét tình hình nộp", date(c.as_of)),
        (
            "Thời điểm lập biểu",
            ctx.meta.made_at.format("%d/%m/%Y %H:%M:%S").to_string(),
        ),
        ("Danh sách đơn vị", registry),
        (
            "Cơ quan lập biểu",
            format!(
                "{} – {}",
                ctx.meta.settings.issuing_body(),
                ctx.meta.settings.parent_body()
            ),
        ),
        (
            "Số tệp đầu vào",
            format!(
                "{} ({} đã đọc, {} bỏ qua, {} không đọc được)",
                c.files.len(),
                c.counts.files_read,
                c.counts.files_skipped,
                c.counts.files_unreadable
            ),
        ),
    ];
    for (r, (key, value)) in facts.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, *key, &s.bold)?;
        ws.write_string_with_format(r as u32, 1, value, &s.plain)?;
    }
    let header = facts.len() as u32 + 1;
    for (col, name) in ["STT", "Tệp", "Kích thước (byte)", "Trạng thái", "SHA-256"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(header, col as u16, *name, &s.header)?;
    }
    page(ws, true, Some((header, header)))?;
    for (i, f) in c.files.iter().enumerate() {
        let row = header + 1 + i as u32;
        let status = match &f.outcome {
            Outcome::Read(format) => format!(
                "Đã đọc ({})",
                serde_json::to_value(format)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            ),
            Outcome::Opened(what) => format!("Đã mở: {what}"),
            Outcome::Skipped(why) => format!("Bỏ qua: {why}"),
            Outcome::Unreadable(why) => format!("Không đọc được: {why}"),
        };
        ws.write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        ws.write_string_with_format(row, 1, &f.input.shown, &s.cell_wrap)?;
        ws.write_number_with_format(row, 2, f.size as f64, &s.number)?;
        ws.write_string_with_format(row, 3, &status, &s.cell_wrap)?;
        ws.write_string_with_format(row, 4, f.sha256.as_deref().unwrap_or(""), &s.cell)?;
    }
    Ok(())
}
