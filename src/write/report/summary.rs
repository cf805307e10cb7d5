//! Tổng hợp: the page the People's Committee reads and signs. The header block
//! of Decree 30, the title with the period, the submission figures, then every
//! indicator and derived rate grouped I–VIII, with the province total, a column
//! per unit type and how many of the units it applies to reported it; then
//! "Nơi nhận" and the signature. Laid out to fit an A4 page across unscaled,
//! so that the header prints at the decree's sizes.

use super::fit::{Font, Heights, RowFit};
use super::heading::{self, Blocks};
use super::style::{BODY, BODY_BOLD, page, page_chars, page_points_down};
use super::{Context, date, signature};
use crate::collect::{IndicatorTotal, Rate, Status};
use crate::schema::{IndicatorKind, UnitType};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// Columns before the unit-type columns: STT, code, label, unit, province total.
pub(super) const FIXED: u16 = 5;
const REPORTED_HEADING: &str = "Số đơn vị có số liệu / số đơn vị đã nộp thuộc diện báo cáo";

/// The sheet's column widths: the label column takes what the others leave.
fn widths(types: usize) -> Vec<f64> {
    let budget = page_chars(true, FIXED as usize + types + 1);
    let others = 5.0 + 7.0 + 10.0 + 12.0 + 12.0;
    let per_type = ((budget - others - 34.0) / types.max(1) as f64).clamp(8.0, 12.0);
    let label = (budget - others - per_type * types as f64).max(20.0);
    let mut w = vec![5.0, 7.0, label, 10.0, 12.0];
    w.extend(std::iter::repeat_n(per_type, types));
    w.push(12.0);
    w
}

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
    let types: Vec<&UnitType> = shown.iter().map(|&i| &ctx.schema.unit_types[i]).collect();
    let last_col = FIXED + types.len() as u16;
    let widths = widths(types.len());
    for (col, width) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    let blocks = Blocks {
        widths: &widths,
        left: (0, 2),
        right: (3, last_col),
    };
    let mut rows = Heights::default();
    let row = heading::write(ws, s, ctx.meta.settings, &blocks, ctx.c.as_of)?;
    let row = title(ws, ctx, &widths, &mut rows, row + 1)?;
    let row = figures(ws, ctx, &widths, &mut rows, row)?;
    let row = super::compare::submissions(ws, ctx, row)?;

    let span: f64 = widths.iter().sum();
    ws.merge_range(row, 0, row, last_col, "II. KẾT QUẢ THỰC HIỆN", &s.bold)?;
    rows.set(ws, row, RowFit::new(BODY_BOLD).cell("II", span, BODY_BOLD))?;
    let header = row + 1;
    let names = ["STT", "Mã", "Chỉ tiêu", "Đơn vị tính", "Toàn tỉnh"];
    let mut fit = RowFit::new(BODY_BOLD);
    for (c, name) in names.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *name, &s.header)?;
        fit.cell(name, widths[c], BODY_BOLD);
    }
    for (i, t) in types.iter().enumerate() {
        let c = FIXED + i as u16;
        ws.write_string_with_format(header, c, &t.label, &s.header)?;
        fit.cell(&t.label, widths[c as usize], BODY_BOLD);
    }
    ws.write_string_with_format(header, last_col, REPORTED_HEADING, &s.header_small)?;
    fit.cell(
        REPORTED_HEADING,
        widths[last_col as usize],
        Font::new(10.0, false),
    );
    rows.set(ws, header, &fit)?;
    page(ws, true, Some((header, header)))?;
    ws.set_print_scale(100);

    let mut row = header + 1;
    let applicable = applicable_units(ctx);
    for group in &ctx.schema.groups {
        let counts: Vec<&IndicatorTotal> = ctx
            .c
            .totals
            .iter()
            .filter(|t| {
                ctx.schema
                    .indicator(&t.code)
                    .is_some_and(|i| i.group == group.code && i.kind == IndicatorKind::Count)
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
        let rest: f64 = widths[1..].iter().sum();
        rows.set(
            ws,
            row,
            RowFit::new(BODY_BOLD).cell(&group.label, rest, BODY_BOLD),
        )?;
        row += 1;
        for (n, total) in counts.iter().enumerate() {
            let of = applicable(&total.code);
            indicator_row(ws, ctx, &widths, &mut rows, row, n + 1, total, &shown, of)?;
            row = super::compare::beside(ws, ctx, row + 1, total, &shown)?;
        }
        for rate in rates {
            rate_row(ws, ctx, &widths, &mut rows, row, rate, &shown)?;
            row += 1;
        }
    }
    let row = super::compare::units_in_one_period(ws, ctx, row + 1)?;
    // The signature block, kept on one page with at least the table's last
    // two rows: a page holding only a signature is not a signed report.
    let first = row + 1;
    let block = signature::height(ctx.meta.settings, &blocks);
    if let Some(at) = rows.keep_with_end(page_points_down(true), header, first, block) {
        ws.set_page_breaks(&[at])?;
    }
    signature::write(ws, s, ctx.meta.settings, &blocks, first)
}

/// For each indicator, how many units with a usable submission it applies to
/// (by unit type; a unit of unknown type counts, it may have to report).
fn applicable_units<'a>(ctx: &'a Context) -> impl Fn(&str) -> usize + 'a {
    move |code: &str| {
        let Some(ind) = ctx.schema.indicator(code) else {
            return 0;
        };
        ctx.c
            .units
            .iter()
            .filter(|u| matches!(u.status, Status::OnTime | Status::Late))
            .filter(|u| u.unit.unit_type.is_empty() || ind.applies_to(&u.unit.unit_type))
            .count()
    }
}

/// The title with the period and the due date; returns the next free row.
fn title(
    ws: &mut Worksheet,
    ctx: &Context,
    widths: &[f64],
    rows: &mut Heights,
    row: u32,
) -> Result<u32, XlsxError> {
    let s = &ctx.styles;
    let last = widths.len() as u16 - 1;
    let span: f64 = widths.iter().sum();
    let title = format!(
        "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ {}",
        ctx.c.period.title()
    );
    ws.merge_range(row, 0, row, last, &title, &s.title)?;
    let font = Font::new(14.0, true);
    rows.set(ws, row, RowFit::new(font).cell(&title, span, font))?;
    let sub = format!(
        "(Hạn nộp báo cáo: {}; tình hình nộp tính đến ngày {})",
        date(ctx.c.due),
        date(ctx.c.as_of)
    );
    ws.merge_range(row + 1, 0, row + 1, last, &sub, &s.italic)?;
    let font = Font::new(13.0, false);
    rows.set(ws, row + 1, RowFit::new(font).cell(&sub, span, font))?;
    Ok(row + 3)
}

/// The submission figures; returns the next free row. Errors and warnings in
/// the submissions are not figures of the report: they are in Thông tin and
/// the annex "Lỗi và cảnh báo".
fn figures(
    ws: &mut Worksheet,
    ctx: &Context,
    widths: &[f64],
    rows: &mut Heights,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let s = &ctx.styles;
    let n = &ctx.c.counts;
    ws.merge_range(row, 0, row, 4, "I. TÌNH HÌNH NỘP BÁO CÁO", &s.bold)?;
    rows.set(ws, row, &RowFit::new(BODY_BOLD))?;
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
    ];
    let label_width: f64 = widths[..3].iter().sum();
    for (label, value) in lines {
        ws.merge_range(row, 0, row, 2, label, &s.cell_wrap)?;
        ws.write_number_with_format(row, 3, value as f64, &s.number)?;
        rows.set(ws, row, RowFit::new(BODY).cell(label, label_width, BODY))?;
        row += 1;
    }
    if !ctx.c.from_registry {
        let note = "Lưu ý: không có danh sách đơn vị; chỉ tính các đơn vị đã nộp báo cáo, chưa xác định được đơn vị chưa nộp.";
        let last = widths.len() as u16 - 1;
        ws.merge_range(row, 0, row, last, note, &s.wrap)?;
        let span: f64 = widths.iter().sum();
        rows.set(ws, row, RowFit::new(BODY).cell(note, span, BODY))?;
        row += 1;
    }
    Ok(row + 1)
}

#[allow(clippy::too_many_arguments)]
fn indicator_row(
    ws: &mut Worksheet,
    ctx: &Context,
    widths: &[f64],
    rows: &mut Heights,
    row: u32,
    n: usize,
    t: &IndicatorTotal,
    shown: &[usize],
    applicable: usize,
) -> Result<(), XlsxError> {
    let last_col = FIXED + shown.len() as u16;
    let s = &ctx.styles;
    let Some(ind) = ctx.schema.indicator(&t.code) else {
        return Ok(());
    };
    ws.write_number_with_format(row, 0, n as f64, &s.cell_center)?;
    ws.write_string_with_format(row, 1, &ind.code, &s.cell_center)?;
    ws.write_string_with_format(row, 2, &ind.label, &s.cell_wrap)?;
    ws.write_string_with_format(row, 3, &ind.unit, &s.cell_center_wrap)?;
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
    let of = format!("{}/{}", t.reported, applicable);
    ws.write_string_with_format(row, last_col, of, &s.cell_center)?;
    let fit = *RowFit::new(BODY)
        .cell(&ind.label, widths[2], BODY)
        .cell(&ind.unit, widths[3], BODY);
    rows.set(ws, row, &fit)
}

fn rate_row(
    ws: &mut Worksheet,
    ctx: &Context,
    widths: &[f64],
    rows: &mut Heights,
    row: u32,
    r: &Rate,
    shown: &[usize],
) -> Result<(), XlsxError> {
    let last_col = FIXED + shown.len() as u16;
    let s = &ctx.styles;
    let Some(d) = ctx.schema.derived.iter().find(|d| d.code == r.code) else {
        return Ok(());
    };
    // How the rate is computed goes with its label, not in a figure's column.
    let scale = if d.scale.fract() == 0.0 {
        format!("{}", d.scale as i64)
    } else {
        d.scale.to_string()
    };
    let label = format!(
        "{}\n(= {} / {} × {scale})",
        d.label, d.numerator, d.denominator
    );
    ws.write_blank(row, 0, &s.cell)?;
    ws.write_string_with_format(row, 1, &d.code, &s.cell_center)?;
    ws.write_string_with_format(row, 2, &label, &s.cell_wrap)?;
    ws.write_string_with_format(row, 3, "%", &s.cell_center)?;
    number_or_blank(ws, row, 4, r.value, &s.rate)?;
    for (col, &i) in shown.iter().enumerate() {
        number_or_blank(ws, row, FIXED + col as u16, r.by_type[i].1, &s.rate)?;
    }
    ws.write_blank(row, last_col, &s.cell)?;
    rows.set(ws, row, RowFit::new(BODY).cell(&label, widths[2], BODY))
}

pub(super) fn number_or_blank(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    f: &Format,
) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_number_with_format(row, col, v, f)?,
        None => ws.write_blank(row, col, f)?,
    };
    Ok(())
}
