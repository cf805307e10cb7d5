//! Tình hình nộp: every registered unit's status, date received and its source,
//! days late and files; then every submission not used (unknown unit, other
//! period, superseded) and every file that could not be read or was skipped.
//! Late, missing and invalid rows are filled in colour.

use super::style::Listing;
use super::{Context, date, type_label};
use crate::batch::Outcome;
use crate::collect::{Role, Status};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

const LISTING: Listing = Listing {
    header_row: 0,
    columns: &[
        ("STT", 6.0),
        ("Mã đơn vị", 11.0),
        ("Tên đơn vị", 32.0),
        ("Loại hình", 16.0),
        ("Trạng thái", 18.0),
        ("Ngày nhận", 12.0),
        ("Nguồn ngày nhận", 20.0),
        ("Số ngày trễ", 9.0),
        ("Tệp", 45.0),
    ],
};

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    LISTING.begin(ws, s, true)?;
    let mut row = 0;
    for u in &ctx.c.units {
        row += 1;
        let format = match u.status {
            Status::Late => &s.late,
            Status::Missing => &s.missing,
            Status::Invalid => &s.invalid,
            Status::OnTime | Status::NotYetDue => &s.cell_wrap,
        };
        let status = match u.days_late {
            Some(d) => format!("{} ({d} ngày)", u.status.label()),
            None => u.status.label().to_string(),
        };
        let received = u.received.map(|r| (date(r.date), r.source.label()));
        let cells = [
            u.unit.code.clone(),
            u.unit.name.clone(),
            type_label(ctx, &u.unit.unit_type).to_string(),
            status,
            received.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
            received.map(|r| r.1.to_string()).unwrap_or_default(),
            u.days_late.map(|d| d.to_string()).unwrap_or_default(),
            files_cell(ctx, u),
        ];
        line(ws, row, &cells, format)?;
    }
    for e in ctx.c.entries.iter().filter(|e| e.role != Role::Used) {
        row += 1;
        let sub = &e.submission;
        let cells = [
            sub.unit.clone().unwrap_or_default(),
            sub.unit_name.clone().unwrap_or_default(),
            String::new(),
            format!(
                "{} (kỳ {})",
                e.role.label(),
                sub.period.map(|p| p.to_string()).unwrap_or_default()
            ),
            date(e.received.date),
            e.received.source.label().to_string(),
            String::new(),
            sub.file.clone(),
        ];
        line(ws, row, &cells, &s.cell_wrap)?;
    }
    for f in &ctx.c.files {
        let (what, reason, format) = match &f.outcome {
            Outcome::Unreadable(r) => ("Tệp không đọc được", r, &s.invalid),
            Outcome::Skipped(r) => ("Tệp bị bỏ qua", r, &s.cell_wrap),
            Outcome::Read(_) | Outcome::Opened(_) => continue,
        };
        row += 1;
        let cells = [
            String::new(),
            String::new(),
            String::new(),
            what.to_string(),
            String::new(),
            String::new(),
            String::new(),
            format!("{}\n({reason})", f.input.shown),
        ];
        line(ws, row, &cells, format)?;
    }
    LISTING.end(ws, row)
}

/// A unit's files, with who mailed the used one and why an invalid unit's
/// files are not usable.
fn files_cell(ctx: &Context, u: &crate::collect::UnitStatus) -> String {
    let mut cell = u.files.join("\n");
    let sender = u.entry.and_then(|i| ctx.c.entries[i].sender.as_deref());
    if let Some(from) = sender {
        cell.push_str(&format!("\n(thư gửi từ: {from})"));
    }
    if let Some(why) = &u.reason {
        cell.push_str(&format!("\n({why})"));
    }
    cell
}

/// One row: its number, then the texts, all in one format.
fn line(
    ws: &mut Worksheet,
    row: u32,
    cells: &[String; 8],
    format: &Format,
) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, 0, row as f64, format)?;
    for (c, text) in cells.iter().enumerate() {
        ws.write_string_with_format(row, 1 + c as u16, text, format)?;
    }
    Ok(())
}
