//! Thông tin: how the report was made (tool version, schema, period, dates,
//! settings, the count of errors and warnings) and every input file with its
//! size, status and SHA-256, so anyone can check which files produced it.

use super::fit::RowFit;
use super::style::{BODY, BODY_BOLD, Listing, write_texts};
use super::{Context, date};
use crate::batch::Outcome;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The file listing under the facts; its header row is set when written.
const COLUMNS: &[(&str, f64)] = &[
    ("STT", 5.0),
    ("Tệp", 40.0),
    ("Kích thước (byte)", 12.0),
    ("Trạng thái", 30.0),
    ("SHA-256", 38.0),
];

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let c = ctx.c;
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
        (
            "Lỗi và cảnh báo trong các báo cáo",
            format!(
                "{} lỗi, {} cảnh báo (xem trang tính \"Lỗi và cảnh báo\")",
                c.counts.errors, c.counts.warnings
            ),
        ),
    ];
    let key_width = COLUMNS[0].1 + COLUMNS[1].1;
    let value_width: f64 = COLUMNS[2..].iter().map(|c| c.1).sum();
    for (r, (key, value)) in facts.iter().enumerate() {
        let r = r as u32;
        ws.merge_range(r, 0, r, 1, key, &s.bold)?;
        ws.merge_range(r, 2, r, 4, value, &s.wrap)?;
        RowFit::new(BODY)
            .cell(key, key_width, BODY_BOLD)
            .cell(value, value_width, BODY)
            .apply(ws, r)?;
    }
    let listing = Listing {
        header_row: facts.len() as u32 + 1,
        columns: COLUMNS,
    };
    listing.begin(ws, s, true)?;
    let mut row = listing.header_row;
    for (i, f) in c.files.iter().enumerate() {
        row += 1;
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
        let sha = f.sha256.as_deref().unwrap_or("");
        listing.fit_row(ws, row, &["", &f.input.shown, "", &status, sha])?;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        // The size goes over the blank the run leaves for it.
        write_texts(
            ws,
            row,
            1,
            &[&f.input.shown, "", &status, sha],
            &s.cell_wrap,
        )?;
        ws.write_number_with_format(row, 2, f.size as f64, &s.number)?;
    }
    listing.end(ws, s, row)
}
