//! Tổng hợp: the page the People's Committee reads. The header block of Decree
//! 30, the title with the period, the submission figures, then every indicator
//! and derived rate grouped I–VIII, with the province total, a column per unit
//! type and how many units reported it.

use super::style::page;
use super::{Context, date};
use crate::collect::{IndicatorTotal, Rate};
use crate::schema::IndicatorKind;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// Columns before the unit-type columns: STT, code, label, unit, province total.
pub(super) const FIXED: u16 = 5;

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    // A column per unit type that has units (all of them when none has).
    let present: Vec<usize> = (0..ctx.schema.unit_types.len())
        .filter(|&i| {
            ctx.c
                .units
                .iter()
                .any(|u| u.unit.unit_type == ctx.schema.unit_types[i].code)
        })
        .collect();
    let shown: Vec<usize> = if present.is_empty() {
        (0..ctx.schema.unit_types.len()).collect()
    } else {
        present
    };
    let types: Vec<&crate::schema::UnitType> =
        shown.iter().map(|&i| &ctx.schema.unit_types[i]).collect();
    let last_col = FIXED + types.len() as u16;
    for (col, width) in [(0u16, 6.0), (1, 8.0), (2, 46.0), (3, 11.0), (4, 13.0)] {
        ws.set_column_width(col, width)?;
    }
    for t in 0..types.len() as u16 {
        ws.set_column_width(FIXED + t, 12.0)?;
    }
    ws.set_column_width(last_col, 14.0)?;
    let row = header_block(ws, ctx, last_col)?;
    let row = figures(ws, ctx, row + 1)?;
    let row = super::compare::submissions(ws, ctx, row)?;

    ws.merge_range(row, 0, row, last_col, "II. KẾT QUẢ THỰC HIỆN", &s.bold)?;
    let header = row + 1;
    let names = ["STT", "Mã", "Chỉ tiêu", "Đơn vị tính", "Toàn tỉnh"];
    for (c, name) in names.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *name, &s.header)?;
    }
    for (i, t) in types.iter().enumerate() {
        ws.write_string_with_format(header, FIXED + i as u16, &t.label, &s.header)?;
    }
    ws.write_string_with_format(header, last_col, "Số đơn vị có số liệu / đã nộp", &s.header)?;
    ws.set_row_height(header, 48.0)?;
    page(ws, true, Some((header, header)))?;

    let mut row = header + 1;
    for group in &ctx.schema.groups {
        let counts: Vec<&IndicatorTotal> = ctx
            .c
            .totals
            .iter()
            .filter(|t| {
                ctx.schema
                    .indicator(&t.code)
                    .is_some_and(|i| i.group == group.code)
            })
            .collect();
        let rates: Vec<&Rate> = ctx
            .c
            .rates
            .iter()
            .filter(|r| {
                ctx.schema
                    .derived
                    .iter()
                    .any(|d| d.code == r.code && d.group == group.code)
            })
            .collect();
        if counts.is_empty() && rates.is_empty() {
            continue; // free-text groups are in "Ý kiến đơn vị"
        }
        ws.write_string_with_format(row, 0, &group.code, &s.group)?;
        ws.merge_range(row, 1, row, last_col, &group.label, &s.group)?;
        row += 1;
        for (n, total) in counts.iter().enumerate() {
            indicator_row(ws, ctx, row, n + 1, total, &shown)?;
            row = super::compare::beside(ws, ctx, row + 1, total, &shown)?;
        }
        for rate in rates {
            rate_row(ws, ctx, row, rate, &shown)?;
            row += 1;
        }
    }
    super::compare::units_in_one_period(ws, ctx, row + 1)?;
    Ok(())
}

/// The Decree 30 header block and the title; returns the next free row.
fn header_block(ws: &mut Worksheet, ctx: &Context, last_col: u16) -> Result<u32, XlsxError> {
    let s = &ctx.styles;
    let settings = ctx.meta.settings;
    let split = 2u16; // left block A..C, right block D..last
    ws.merge_range(
        0,
        0,
        0,
        split,
        &settings.parent_body(),
        &s.heading(12.0, false, false),
    )?;
    ws.merge_range(
        1,
        0,
        1,
        split,
        &settings.issuing_body(),
        &s.heading(12.0, true, false),
    )?;
    ws.merge_range(
        0,
        split + 1,
        0,
        last_col,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        &s.heading(12.0, true, false),
    )?;
    ws.merge_range(
        1,
        split + 1,
        1,
        last_col,
        "Độc lập - Tự do - Hạnh phúc",
        &s.heading(13.0, true, false),
    )?;
    let d = ctx.c.as_of;
    let line = format!(
        "{}, ngày {} tháng {} năm {}",
        settings.place(),
        d.format("%d"),
        d.format("%m"),
        d.format("%Y")
    );
    ws.merge_range(
        3,
        split + 1,
        3,
        last_col,
        &line,
        &s.heading(13.0, false, true),
    )?;
    let title = format!(
        "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ {}",
        ctx.c.period.title()
    );
    ws.merge_range(5, 0, 5, last_col, &title, &s.title)?;
    ws.set_row_height(5, 21.0)?;
    let sub = format!(
        "(Hạn nộp báo cáo: {}; tình hình nộp tính đến ngày {})",
        date(ctx.c.due),
        date(ctx.c.as_of)
    );
    ws.merge_range(6, 0, 6, last_col, &sub, &s.italic)?;
    Ok(7)
}

/// The submission figures; returns the next free row.
fn figures(ws: &mut Worksheet, ctx: &Context, mut row: u32) -> Result<u32, XlsxError> {
    let s = &ctx.styles;
    let n = &ctx.c.counts;
    ws.merge_range(row, 0, row, 4, "I. TÌNH HÌNH NỘP BÁO CÁO", &s.bold)?;
    row += 1;
    let lines = [
        ("Số đơn vị phải báo cáo", n.expected),
        ("Số đơn vị đã nộp báo cáo hợp lệ", n.received),
        ("   - Đúng hạn", n.on_time),
        ("   - Trễ hạn", n.late),
        ("Số đơn vị chưa nộp", n.missing),
        ("Số đơn vị nộp báo cáo không hợp lệ", n.invalid),
        ("Số đơn vị chưa đến hạn nộp", n.not_yet_due),
        (
            "Báo cáo của đơn vị không có trong danh sách",
            n.unknown_unit,
        ),
        ("Báo cáo khác kỳ", n.wrong_period),
        ("Báo cáo đã được thay thế", n.superseded),
        ("Số lỗi trong các báo cáo", n.errors),
        ("Số cảnh báo trong các báo cáo", n.warnings),
    ];
    for (label, value) in lines {
        ws.merge_range(row, 0, row, 2, label, &s.cell)?;
        ws.write_number_with_format(row, 3, value as f64, &s.number)?;
        row += 1;
    }
    if !ctx.c.from_registry {
        let note = "Lưu ý: không có danh sách đơn vị; chỉ tính các đơn vị đã nộp báo cáo, chưa xác định được đơn vị chưa nộp.";
        ws.merge_range(row, 0, row, 8, note, &s.wrap)?;
        row += 1;
    }
    Ok(row + 1)
}

fn indicator_row(
    ws: &mut Worksheet,
    ctx: &Context,
    row: u32,
    n: usize,
    t: &IndicatorTotal,
    shown: &[usize],
) -> Result<(), XlsxError> {
    let last_col = FIXED + shown.len() as u16;
    let s = &ctx.styles;
    let Some(ind) = ctx
        .schema
        .indicator(&t.code)
        .filter(|i| i.kind == IndicatorKind::Count)
    else {
        return Ok(());
    };
    ws.write_number_with_format(row, 0, n as f64, &s.cell_center)?;
    ws.write_string_with_format(row, 1, &ind.code, &s.cell_center)?;
    ws.write_string_with_format(row, 2, &ind.label, &s.cell_wrap)?;
    ws.write_string_with_format(row, 3, &ind.unit, &s.cell_center)?;
    number_or_blank(ws, row, 4, t.total.map(|v| v as f64), &s.number)?;
    for (col, &i) in shown.iter().enumerate() {
        number_or_blank(
            ws,
            row,
            FIXED + col as u16,
            t.by_type[i].total.map(|v| v as f64),
            &s.number,
        )?;
    }
    let of = format!("{}/{}", t.reported, ctx.c.counts.received);
    ws.write_string_with_format(row, last_col, of, &s.cell_center)?;
    fit_label(ws, row, &ind.label)
}

fn rate_row(
    ws: &mut Worksheet,
    ctx: &Context,
    row: u32,
    r: &Rate,
    shown: &[usize],
) -> Result<(), XlsxError> {
    let last_col = FIXED + shown.len() as u16;
    let s = &ctx.styles;
    let Some(d) = ctx.schema.derived.iter().find(|d| d.code == r.code) else {
        return Ok(());
    };
    ws.write_string_with_format(row, 0, "", &s.cell)?;
    ws.write_string_with_format(row, 1, &d.code, &s.cell_center)?;
    ws.write_string_with_format(row, 2, &d.label, &s.cell_wrap)?;
    ws.write_string_with_format(row, 3, "%", &s.cell_center)?;
    number_or_blank(ws, row, 4, r.value, &s.rate)?;
    for (col, &i) in shown.iter().enumerate() {
        number_or_blank(ws, row, FIXED + col as u16, r.by_type[i].1, &s.rate)?;
    }
    let formula = format!("{}×{}/{}", d.scale, d.numerator, d.denominator);
    ws.write_string_with_format(row, last_col, formula, &s.cell_center)?;
    fit_label(ws, row, &d.label)
}

/// Wrapped labels need their row tall enough: neither Excel nor LibreOffice
/// grows a row written with an explicit format on open.
pub(super) fn fit_label(ws: &mut Worksheet, row: u32, label: &str) -> Result<(), XlsxError> {
    const CHARS_PER_LINE: usize = 52; // column C, 46 wide, Times New Roman 12
    let lines = label.chars().count().div_ceil(CHARS_PER_LINE).max(1);
    ws.set_row_height(row, 16.0 * lines as f64)?;
    Ok(())
}

pub(super) fn number_or_blank(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    f: &rust_xlsxwriter::Format,
) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_number_with_format(row, col, v, f)?,
        None => ws.write_blank(row, col, f)?,
    };
    Ok(())
}
