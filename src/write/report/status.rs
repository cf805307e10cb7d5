//! Tình hình nộp: every registered unit's status, date received and its source,
//! days late and files; then every submission not used (unknown unit, other
//! period, superseded) and every file that could not be read or was skipped.
//! Late, missing and invalid rows are filled in colour. Dates received are date
//! cells and days late numbers, so that the columns sort and filter in Excel.

use super::style::{Listing, write_texts};
use super::{Context, type_label};
use crate::batch::Outcome;
use crate::collect::{Role, Status};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet, XlsxError};

const LISTING: Listing = Listing {
    header_row: 0,
    columns: &[
        ("STT", 5.0),
        ("Mã đơn vị", 9.0),
        ("Tên đơn vị", 28.0),
        ("Loại hình", 14.0),
        ("Trạng thái", 13.0),
        ("Ngày nhận", 11.5),
        ("Nguồn ngày nhận", 13.5),
        ("Số ngày trễ", 7.0),
        ("Tệp", 27.0),
    ],
};
const DATE_COL: u16 = 5;
const DAYS_COL: u16 = 7;

/// A row's format for text, dates and numbers.
struct RowFormats {
    text: Format,
    date: Format,
    number: Format,
}

impl RowFormats {
    fn new(base: &Format) -> RowFormats {
        RowFormats {
            text: base.clone(),
            date: base.clone().set_num_format("dd/mm/yyyy"),
            number: base.clone().set_num_format("0"),
        }
    }
}

/// One row of the listing: texts by column (empty in the date and days columns),
/// the date received and the days late.
struct Line {
    texts: [String; 9],
    received: Option<NaiveDate>,
    days_late: Option<i64>,
}

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let [plain, late, missing, invalid] =
        [&s.cell_wrap, &s.late, &s.missing, &s.invalid].map(RowFormats::new);
    LISTING.begin(ws, s, true)?;
    let mut row = 0;
    for u in &ctx.c.units {
        row += 1;
        let format = match u.status {
            Status::Late => &late,
            Status::Missing => &missing,
            Status::Invalid => &invalid,
            Status::OnTime | Status::NotYetDue => &plain,
        };
        let line = Line {
            texts: [
                String::new(),
                u.unit.code.clone(),
                u.unit.name.clone(),
                type_label(ctx, &u.unit.unit_type).to_string(),
                u.status.label().to_string(),
                String::new(),
                u.received
                    .map(|r| r.source.label().to_string())
                    .unwrap_or_default(),
                String::new(),
                files_cell(ctx, u),
            ],
            received: u.received.map(|r| r.date),
            days_late: u.days_late,
        };
        write_line(ws, row, &line, format)?;
    }
    for e in ctx.c.entries.iter().filter(|e| e.role != Role::Used) {
        row += 1;
        let sub = &e.submission;
        let line = Line {
            texts: [
                String::new(),
                sub.unit.clone().unwrap_or_default(),
                sub.unit_name.clone().unwrap_or_default(),
                String::new(),
                format!(
                    "{} (kỳ {})",
                    e.role.label(),
                    sub.period.map(|p| p.to_string()).unwrap_or_default()
                ),
                String::new(),
                e.received.source.label().to_string(),
                String::new(),
                sub.file.clone(),
            ],
            received: Some(e.received.date),
            days_late: None,
        };
        write_line(ws, row, &line, &plain)?;
    }
    for f in &ctx.c.files {
        let (what, reason, format) = match &f.outcome {
            Outcome::Unreadable(r) => ("Tệp không đọc được", r, &invalid),
            Outcome::Skipped(r) => ("Tệp bị bỏ qua", r, &plain),
            Outcome::Read(_) | Outcome::Opened(_) => continue,
        };
        row += 1;
        let mut texts: [String; 9] = Default::default();
        texts[4] = what.to_string();
        texts[8] = format!("{}\n({reason})", f.input.shown);
        let line = Line {
            texts,
            received: None,
            days_late: None,
        };
        write_line(ws, row, &line, format)?;
    }
    LISTING.end(ws, s, row)
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

/// One row, sized for its texts: its number, the texts, the date and the days.
/// The texts go in as one run in the row's format, leaving blanks in the date
/// and days columns (their texts are empty), written over when there is a date
/// or a number of days.
fn write_line(
    ws: &mut Worksheet,
    row: u32,
    line: &Line,
    format: &RowFormats,
) -> Result<(), XlsxError> {
    let texts = line.texts.each_ref().map(String::as_str);
    LISTING.fit_row(ws, row, &texts)?;
    ws.write_number_with_format(row, 0, row as f64, &format.text)?;
    write_texts(ws, row, 1, &texts[1..], &format.text)?;
    if let Some(d) = line.received {
        let d = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
        ws.write_datetime_with_format(row, DATE_COL, d, &format.date)?;
    }
    if let Some(n) = line.days_late {
        ws.write_number_with_format(row, DAYS_COL, n as f64, &format.number)?;
    }
    Ok(())
}
