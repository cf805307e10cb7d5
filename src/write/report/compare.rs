//! Tổng hợp beside an earlier period (`--compare`): the submission figures of
//! both periods, then every count indicator with this period's total, the
//! earlier one and the change in percent, for the province and each unit type,
//! and the units found in only one of the two periods. Appended below the
//! summary's own tables, in its columns (A–D as there, then E–G).

use super::Context;
use super::summary::{fit_label, number_or_blank};
use crate::collect::compare::{Comparison, change_percent};
use crate::period::{Period, PeriodKind};
use crate::schema::Schema;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The last column the comparison uses (G).
const LAST: u16 = 6;

/// A period as a heading names it: `6 tháng 2024`, `Năm 2024`.
pub fn period_name(p: Period) -> String {
    match p.kind {
        PeriodKind::FirstHalf => format!("6 tháng {}", p.year),
        PeriodKind::Year => format!("Năm {}", p.year),
    }
}

/// Writes the comparison from `row`, when there is one; returns the next free row.
pub fn write_summary(ws: &mut Worksheet, ctx: &Context, row: u32) -> Result<u32, XlsxError> {
    let Some(cmp) = &ctx.c.comparison else {
        return Ok(row);
    };
    let s = &ctx.styles;
    let change = s.number.clone().set_num_format("+0.0;-0.0;0.0");
    let heading = format!(
        "III. SO SÁNH VỚI KỲ {} ({})",
        cmp.period.title(),
        period_name(cmp.period).to_lowercase()
    );
    ws.merge_range(row, 0, row, LAST, &heading, &s.bold)?;
    let columns = |ws: &mut Worksheet, row: u32, first: &str| -> Result<(), XlsxError> {
        ws.merge_range(row, 0, row, 3, first, &s.header)?;
        let names = [
            period_name(ctx.c.period),
            period_name(cmp.period),
            "Tăng, giảm (%)".to_string(),
        ];
        for (i, name) in names.iter().enumerate() {
            ws.write_string_with_format(row, 4 + i as u16, name, &s.header)?;
        }
        ws.set_row_height(row, 32.0)?;
        Ok(())
    };
    let mut row = row + 1;
    columns(ws, row, "Tình hình nộp báo cáo")?;
    row += 1;
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
    for (label, now, before) in lines {
        ws.merge_range(row, 0, row, 3, label, &s.cell)?;
        ws.write_number_with_format(row, 4, now as f64, &s.number)?;
        number_or_blank(ws, row, 5, before.map(|v| v as f64), &s.number)?;
        let pct = change_percent(Some(now as u64), before.map(|v| v as u64));
        number_or_blank(ws, row, 6, pct, &change)?;
        row += 1;
    }
    if cmp.counts.on_time.is_none() {
        let note = "Số liệu kỳ trước lấy từ tệp số liệu dạng dài (CSV): tệp này không ghi số đơn vị phải báo cáo và số đơn vị nộp đúng hạn.";
        ws.merge_range(row, 0, row, LAST, note, &s.wrap)?;
        ws.set_row_height(row, 32.0)?;
        row += 1;
    }
    row += 1;
    columns(ws, row, "Chỉ tiêu (toàn tỉnh và từng loại hình)")?;
    row += 1;
    for group in &ctx.schema.groups {
        let totals: Vec<_> = ctx
            .c
            .totals
            .iter()
            .filter(|t| {
                ctx.schema
                    .indicator(&t.code)
                    .is_some_and(|i| i.group == group.code)
            })
            .collect();
        if totals.is_empty() {
            continue;
        }
        ws.write_string_with_format(row, 0, &group.code, &s.group)?;
        ws.merge_range(row, 1, row, LAST, &group.label, &s.group)?;
        row += 1;
        for (k, now) in totals.into_iter().enumerate() {
            let Some(ind) = ctx.schema.indicator(&now.code) else {
                continue;
            };
            let before = cmp.total(&now.code);
            ws.write_number_with_format(row, 0, (k + 1) as f64, &s.cell_center)?;
            ws.write_string_with_format(row, 1, &ind.code, &s.cell_center)?;
            ws.write_string_with_format(row, 2, &ind.label, &s.cell_wrap)?;
            ws.write_string_with_format(row, 3, &ind.unit, &s.cell_center)?;
            let earlier = before.and_then(|b| b.total);
            figures(ws, row, now.total, earlier, &s.total_number, &change)?;
            fit_label(ws, row, &ind.label)?;
            row += 1;
            for (i, t) in ctx.schema.unit_types.iter().enumerate() {
                let this = now.by_type[i].total;
                let that = before.and_then(|b| b.by_type[i].total);
                if this.is_none() && that.is_none() {
                    continue;
                }
                ws.write_blank(row, 0, &s.cell)?;
                ws.write_blank(row, 1, &s.cell)?;
                ws.write_string_with_format(row, 2, format!("   - {}", t.label), &s.cell)?;
                ws.write_blank(row, 3, &s.cell)?;
                figures(ws, row, this, that, &s.number, &change)?;
                row += 1;
            }
        }
    }
    row = only_one_period(ws, ctx, cmp, row)?;
    Ok(row + 1)
}

/// This period's figure, the earlier one and the change in percent (E–G).
fn figures(
    ws: &mut Worksheet,
    row: u32,
    now: Option<u64>,
    before: Option<u64>,
    number: &rust_xlsxwriter::Format,
    change: &rust_xlsxwriter::Format,
) -> Result<(), XlsxError> {
    number_or_blank(ws, row, 4, now.map(|v| v as f64), number)?;
    number_or_blank(ws, row, 5, before.map(|v| v as f64), number)?;
    number_or_blank(ws, row, 6, change_percent(now, before), change)
}

/// The units with figures in only one of the two periods, listed by code and
/// name: they are never matched to another unit by name.
fn only_one_period(
    ws: &mut Worksheet,
    ctx: &Context,
    cmp: &Comparison,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let s = &ctx.styles;
    let name_now = |code: &str| {
        ctx.c
            .units
            .iter()
            .find(|u| u.unit.code == code)
            .map(|u| format!("{code} ({})", u.unit.name))
            .unwrap_or_else(|| code.to_string())
    };
    let now: Vec<String> = cmp.only_now.iter().map(|c| name_now(c)).collect();
    let before: Vec<String> = cmp
        .only_earlier
        .iter()
        .map(|(code, name)| format!("{code} ({name})"))
        .collect();
    let lists = [
        (
            format!(
                "Đơn vị có số liệu kỳ này nhưng không có số liệu kỳ {}",
                period_name(cmp.period).to_lowercase()
            ),
            now,
        ),
        (
            format!(
                "Đơn vị có số liệu kỳ {} nhưng không có số liệu kỳ này",
                period_name(cmp.period).to_lowercase()
            ),
            before,
        ),
    ];
    row += 1;
    for (title, units) in lists {
        let text = if units.is_empty() {
            format!("{title}: không có.")
        } else {
            format!("{title} ({}): {}.", units.len(), units.join("; "))
        };
        ws.merge_range(row, 0, row, LAST, &text, &s.wrap)?;
        let lines = text.chars().count().div_ceil(100).max(1);
        ws.set_row_height(row, 16.0 * lines as f64)?;
        row += 1;
    }
    Ok(row)
}

/// The first count indicator of each group that has one: the "main" figure
/// a chart shows for the group.
pub fn main_indicators(schema: &Schema) -> Vec<&crate::schema::Indicator> {
    schema
        .groups
        .iter()
        .filter_map(|g| {
            schema
                .indicators
                .iter()
                .find(|i| i.group == g.code && i.kind == crate::schema::IndicatorKind::Count)
        })
        .collect()
}
