//! Tổng hợp beside an earlier period (`--compare`). The submission figures of
//! both periods come in a small table above the indicators; under each
//! indicator's row come two rows in the same columns (province, each unit
//! type): the earlier period's totals, and the change in percent. Sharing the
//! main table's columns keeps the page as wide as it was, and the header
//! repeated on every printed page still names every column rightly. The units
//! with figures in only one of the two periods are listed after the table.

use super::Context;
use super::summary::{FIXED, number_or_blank};
use crate::collect::IndicatorTotal;
use crate::collect::compare::change_percent;
use crate::period::{Period, PeriodKind};
use crate::schema::{Indicator, IndicatorKind, Schema};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// A period as a heading names it: `6 tháng 2024`, `Năm 2024`.
pub fn period_name(p: Period) -> String {
    match p.kind {
        PeriodKind::FirstHalf => format!("6 tháng {}", p.year),
        PeriodKind::Year => format!("Năm {}", p.year),
    }
}

/// The number format of a change in percent: always signed.
pub fn change_format(number: &Format) -> Format {
    number.clone().set_num_format("+0.0;-0.0;0.0")
}

/// The submission figures of both periods from `row`, when there is an earlier
/// one; returns the next free row.
pub fn submissions(ws: &mut Worksheet, ctx: &Context, row: u32) -> Result<u32, XlsxError> {
    let Some(cmp) = &ctx.c.comparison else {
        return Ok(row);
    };
    let s = &ctx.styles;
    let change = change_format(&s.number);
    let title = format!(
        "So với kỳ {} (báo cáo {})",
        period_name(cmp.period).to_lowercase(),
        cmp.period.title().to_lowercase()
    );
    ws.merge_range(row, 0, row, 2, &title, &s.header)?;
    let names = [
        period_name(ctx.c.period),
        period_name(cmp.period),
        "Tăng, giảm (%)".to_string(),
    ];
    for (i, name) in names.iter().enumerate() {
        ws.write_string_with_format(row, 3 + i as u16, name, &s.header)?;
    }
    ws.set_row_height(row, 32.0)?;
    let n = &ctx.c.counts;
    let lines = [
        ("Số đơn vị phải báo cáo", n.expected, cmp.counts.expected),
        (
            "Số đơn vị đã nộp báo cáo hợp lệ",
            n.received,
            Some(cmp.counts.received),
        ),
        ("   - Đúng hạn", n.on_time, cmp.counts.on_time),
    ];
    let mut row = row + 1;
    for (label, now, before) in lines {
        ws.merge_range(row, 0, row, 2, label, &s.cell)?;
        ws.write_number_with_format(row, 3, now as f64, &s.number)?;
        number_or_blank(ws, row, 4, before.map(|v| v as f64), &s.number)?;
        let pct = change_percent(Some(now as u64), before.map(|v| v as u64));
        number_or_blank(ws, row, 5, pct, &change)?;
        row += 1;
    }
    if cmp.counts.on_time.is_none() {
        let note = "Số liệu kỳ trước lấy từ tệp số liệu dạng dài (CSV), tệp này không ghi số đơn vị phải báo cáo và số đơn vị nộp đúng hạn.";
        ws.merge_range(row, 0, row, 5, note, &s.wrap)?;
        ws.set_row_height(row, 32.0)?;
        row += 1;
    }
    Ok(row + 1)
}

/// Under an indicator's row (`row` is the next free one): the earlier totals
/// and the change in percent, province and each unit type shown; returns the
/// next free row.
pub fn beside(
    ws: &mut Worksheet,
    ctx: &Context,
    row: u32,
    now: &IndicatorTotal,
    shown: &[usize],
) -> Result<u32, XlsxError> {
    let Some(cmp) = &ctx.c.comparison else {
        return Ok(row);
    };
    if ctx.schema.indicator(&now.code).map(|i| i.kind) != Some(IndicatorKind::Count) {
        return Ok(row);
    }
    let s = &ctx.styles;
    let change = change_format(&s.number);
    let label = s.cell.clone().set_italic();
    let before = cmp.total(&now.code);
    let last_col = FIXED + shown.len() as u16;
    let lines = [
        format!("   Kỳ {}", period_name(cmp.period).to_lowercase()),
        "   Tăng, giảm so với kỳ trước (%)".to_string(),
    ];
    for (k, text) in lines.iter().enumerate() {
        let at = row + k as u32;
        for col in [0, 1, 3] {
            ws.write_blank(at, col, &s.cell)?;
        }
        ws.write_string_with_format(at, 2, text, &label)?;
        let mut columns = vec![(4, now.total, before.and_then(|b| b.total))];
        for (j, &i) in shown.iter().enumerate() {
            let that = before.and_then(|b| b.by_type[i].total);
            columns.push((FIXED + j as u16, now.by_type[i].total, that));
        }
        for (col, this, that) in columns {
            if k == 0 {
                number_or_blank(ws, at, col, that.map(|v| v as f64), &s.number)?;
            } else {
                number_or_blank(ws, at, col, change_percent(this, that), &change)?;
            }
        }
        let reported = match (k, before) {
            (0, Some(b)) => format!("{}/{}", b.reported, cmp.counts.received),
            _ => String::new(),
        };
        ws.write_string_with_format(at, last_col, reported, &s.cell_center)?;
    }
    Ok(row + lines.len() as u32)
}

/// After the table: the units with figures in only one of the two periods,
/// listed by code and name (they are never matched to another unit by name).
pub fn units_in_one_period(ws: &mut Worksheet, ctx: &Context, row: u32) -> Result<u32, XlsxError> {
    let Some(cmp) = &ctx.c.comparison else {
        return Ok(row);
    };
    let s = &ctx.styles;
    let name_now = |code: &str| {
        ctx.c
            .units
            .iter()
            .find(|u| u.unit.code == code)
            .map(|u| format!("{code} ({})", u.unit.name))
            .unwrap_or_else(|| code.to_string())
    };
    let earlier = period_name(cmp.period).to_lowercase();
    let lists = [
        (
            format!("Đơn vị có số liệu kỳ này nhưng không có số liệu kỳ {earlier}"),
            cmp.only_now.iter().map(|c| name_now(c)).collect::<Vec<_>>(),
        ),
        (
            format!("Đơn vị có số liệu kỳ {earlier} nhưng không có số liệu kỳ này"),
            cmp.only_earlier
                .iter()
                .map(|(code, name)| format!("{code} ({name})"))
                .collect(),
        ),
    ];
    let mut row = row;
    for (title, units) in lists {
        let text = if units.is_empty() {
            format!("{title}: không có.")
        } else {
            format!("{title} ({}): {}.", units.len(), units.join("; "))
        };
        ws.merge_range(row, 0, row, FIXED, &text, &s.wrap)?;
        let lines = text.chars().count().div_ceil(95).max(1);
        ws.set_row_height(row, 16.0 * lines as f64)?;
        row += 1;
    }
    Ok(row)
}

/// The first count indicator of each group that has one: the group's main
/// figure, as the charts show it.
pub fn main_indicators(schema: &Schema) -> Vec<&Indicator> {
    schema
        .groups
        .iter()
        .filter_map(|g| {
            schema
                .indicators
                .iter()
                .find(|i| i.group == g.code && i.kind == IndicatorKind::Count)
        })
        .collect()
}
