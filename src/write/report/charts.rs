//! Biểu đồ: what people would rather see than read. The on-time rate by unit
//! type (beside the earlier period's, when `--compare` gives one with
//! statuses), and, with `--compare`, the main indicator of each group (its
//! first count indicator) in both periods. Every chart draws from a small
//! table on this same sheet, printed above it, so the sheet reads on paper too
//! and the charts never depend on another sheet's layout.

use super::Context;
use super::compare::{change_format, main_indicators, period_name};
use super::style::page;
use super::summary::number_or_blank;
use crate::collect::Status;
use crate::collect::compare::change_percent;
use rust_xlsxwriter::{
    Chart, ChartAxisLabelPosition, ChartDataLabel, ChartFont, ChartLegendPosition, ChartType,
    Worksheet, XlsxError,
};

/// The sheet's name, as charts refer to their data.
const SHEET: &str = "Biểu đồ";
/// Rows a chart covers (20 px each), plus one of space.
const CHART_ROWS: u32 = 14;
const CHART_HEIGHT: u32 = 260;
const CHART_WIDTH: u32 = 410;

/// One row of the on-time table: label, expected, on time, rate.
struct OnTime {
    label: String,
    expected: usize,
    on_time: usize,
    earlier_rate: Option<f64>,
}

/// A one-line row of 12 pt text.
const ROW: f64 = 16.0;

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    for (col, width) in [
        (0u16, 6.0),
        (1, 7.0),
        (2, 44.0),
        (3, 16.0),
        (4, 16.0),
        (5, 16.0),
        (6, 12.0),
    ] {
        ws.set_column_width(col, width)?;
    }
    page(ws, true, None)?;
    let title = format!(
        "BIỂU ĐỒ KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ {}",
        ctx.c.period.title()
    );
    ws.merge_range(0, 0, 0, 5, &title, &s.title)?;
    ws.set_row_height(0, 21.0)?;
    let mut row = on_time(ws, ctx, 2)?;
    if ctx.c.comparison.is_some() {
        row = main_figures(ws, ctx, row + 1)?;
    }
    ws.set_print_area(0, 0, row, 6)?;
    Ok(())
}

fn font() -> ChartFont {
    let mut f = ChartFont::new();
    f.set_name("Times New Roman").set_size(11);
    f
}

fn titled(kind: ChartType, title: &str) -> Chart {
    let mut chart = Chart::new(kind);
    let mut title_font = font();
    title_font.set_size(12).set_bold();
    chart.title().set_name(title).set_font(&title_font);
    chart.x_axis().set_font(&font());
    // No gridlines: every bar carries its value, and a line through a label
    // makes it hard to read on paper.
    chart.y_axis().set_font(&font()).set_major_gridlines(false);
    chart.x_axis().set_major_gridlines(false);
    chart.legend().set_font(&font());
    chart.set_width(CHART_WIDTH).set_height(CHART_HEIGHT);
    chart
}

fn labelled() -> ChartDataLabel {
    let mut label = ChartDataLabel::new();
    label.show_value().set_font(&font());
    label
}

/// The on-time rate table and chart from `row`; returns the next free row.
fn on_time(ws: &mut Worksheet, ctx: &Context, row: u32) -> Result<u32, XlsxError> {
    let s = &ctx.styles;
    let rate = s.number.clone().set_num_format("0.0");
    let rows = on_time_rows(ctx);
    let with_earlier = rows.iter().any(|r| r.earlier_rate.is_some());
    ws.merge_range(
        row,
        0,
        row,
        5,
        "1. Tỷ lệ đơn vị nộp báo cáo đúng hạn theo loại hình (%)",
        &s.bold,
    )?;
    // Every row's height is written: LibreOffice grows none.
    ws.set_row_height(row, ROW)?;
    let header = row + 1;
    ws.merge_range(header, 0, header, 2, "Loại hình", &s.header)?;
    let now_name = format!("Đúng hạn {} (%)", period_name(ctx.c.period).to_lowercase());
    let mut names = vec!["Phải báo cáo".to_string(), "Đúng hạn".to_string(), now_name];
    if let Some(cmp) = ctx.c.comparison.as_ref().filter(|_| with_earlier) {
        names.push(format!(
            "Đúng hạn {} (%)",
            period_name(cmp.period).to_lowercase()
        ));
    }
    for (i, name) in names.iter().enumerate() {
        ws.write_string_with_format(header, 3 + i as u16, name, &s.header)?;
    }
    ws.set_row_height(header, 48.0)?;
    let first = header + 1;
    for (k, r) in rows.iter().enumerate() {
        let at = first + k as u32;
        ws.merge_range(at, 0, at, 2, &r.label, &s.cell)?;
        ws.set_row_height(at, ROW)?;
        ws.write_number_with_format(at, 3, r.expected as f64, &s.number)?;
        ws.write_number_with_format(at, 4, r.on_time as f64, &s.number)?;
        let pct = (r.expected > 0).then(|| 100.0 * r.on_time as f64 / r.expected as f64);
        number_or_blank(ws, at, 5, pct, &rate)?;
        if with_earlier {
            number_or_blank(ws, at, 6, r.earlier_rate, &rate)?;
        }
    }
    let last = first + rows.len() as u32 - 1;
    let mut chart = titled(
        ChartType::Column,
        "Tỷ lệ nộp báo cáo đúng hạn theo loại hình (%)",
    );
    let series_cols: &[u16] = if with_earlier { &[6, 5] } else { &[5] };
    for &col in series_cols {
        chart
            .add_series()
            .set_name((SHEET, header, col))
            .set_categories((SHEET, first, 0, last, 0))
            .set_values((SHEET, first, col, last, col))
            .set_data_label(labelled().set_num_format("0"));
    }
    chart.y_axis().set_min(0).set_max(120).set_major_unit(20);
    if with_earlier {
        chart.legend().set_position(ChartLegendPosition::Bottom);
    } else {
        chart.legend().set_hidden();
    }
    chart.set_width(2 * CHART_WIDTH - 20);
    let at = last + 2;
    ws.insert_chart(at, 0, &chart)?;
    Ok(at + CHART_ROWS)
}

/// One row per unit type with units this period, then the province.
fn on_time_rows(ctx: &Context) -> Vec<OnTime> {
    let earlier = ctx.c.comparison.as_ref();
    let earlier_rate = |of_type: &dyn Fn(&str) -> bool| {
        let units: Vec<_> = earlier?
            .units
            .iter()
            .filter(|u| u.status.is_some() && of_type(&u.unit_type))
            .collect();
        let on_time = units
            .iter()
            .filter(|u| u.status.as_deref() == Some("on_time"))
            .count();
        (!units.is_empty()).then(|| 100.0 * on_time as f64 / units.len() as f64)
    };
    let tally = |of_type: &dyn Fn(&str) -> bool| {
        let units: Vec<_> = ctx
            .c
            .units
            .iter()
            .filter(|u| of_type(&u.unit.unit_type))
            .collect();
        let on_time = units.iter().filter(|u| u.status == Status::OnTime).count();
        (units.len(), on_time)
    };
    let mut rows: Vec<OnTime> = ctx
        .schema
        .unit_types
        .iter()
        .filter_map(|t| {
            let is = |code: &str| code == t.code;
            let (expected, on_time) = tally(&is);
            (expected > 0).then(|| OnTime {
                label: t.label.clone(),
                expected,
                on_time,
                earlier_rate: earlier_rate(&is),
            })
        })
        .collect();
    let all = |_: &str| true;
    let (expected, on_time) = tally(&all);
    rows.push(OnTime {
        label: "Toàn tỉnh".into(),
        expected,
        on_time,
        earlier_rate: earlier_rate(&all),
    });
    rows
}

/// The main indicator of each group in both periods: a table, then one bar
/// chart of the change in percent. Groups count different things (documents,
/// receptions, dossiers) on scales a shared axis would flatten, so the chart
/// shows the change, and the table the figures.
fn main_figures(ws: &mut Worksheet, ctx: &Context, row: u32) -> Result<u32, XlsxError> {
    let Some(cmp) = &ctx.c.comparison else {
        return Ok(row);
    };
    let s = &ctx.styles;
    let change = change_format(&s.number);
    // The second part starts a page: the first holds the on-time rate.
    ws.set_page_breaks(&[row])?;
    ws.merge_range(
        row,
        0,
        row,
        6,
        &format!(
            "2. Chỉ tiêu chính của từng nhóm so với kỳ {}",
            period_name(cmp.period).to_lowercase()
        ),
        &s.bold,
    )?;
    ws.set_row_height(row, ROW)?;
    let header = row + 1;
    let names = [
        "Nhóm".to_string(),
        "Mã".to_string(),
        "Chỉ tiêu".to_string(),
        period_name(cmp.period),
        period_name(ctx.c.period),
        "Tăng, giảm (%)".to_string(),
    ];
    for (i, name) in names.iter().enumerate() {
        ws.write_string_with_format(header, i as u16, name, &s.header)?;
    }
    ws.set_row_height(header, 32.0)?;
    let mains = main_indicators(ctx.schema);
    let first = header + 1;
    for (k, ind) in mains.iter().enumerate() {
        let at = first + k as u32;
        let now = ctx
            .c
            .totals
            .iter()
            .find(|t| t.code == ind.code)
            .and_then(|t| t.total);
        let before = cmp.total(&ind.code).and_then(|t| t.total);
        ws.write_string_with_format(at, 0, &ind.group, &s.cell_center)?;
        ws.write_string_with_format(at, 1, &ind.code, &s.cell_center)?;
        ws.write_string_with_format(at, 2, &ind.label, &s.cell_wrap)?;
        number_or_blank(ws, at, 3, before.map(|v| v as f64), &s.number)?;
        number_or_blank(ws, at, 4, now.map(|v| v as f64), &s.number)?;
        number_or_blank(ws, at, 5, change_percent(now, before), &change)?;
        let lines = ind.label.chars().count().div_ceil(50).max(1);
        ws.set_row_height(at, 16.0 * lines as f64)?;
    }
    if mains.is_empty() {
        return Ok(first);
    }
    let last = first + mains.len() as u32 - 1;
    let mut chart = titled(
        ChartType::Bar,
        &format!(
            "Tăng, giảm so với kỳ {} (%)",
            period_name(cmp.period).to_lowercase()
        ),
    );
    chart
        .add_series()
        .set_categories((SHEET, first, 2, last, 2))
        .set_values((SHEET, first, 5, last, 5))
        .set_data_label(labelled().set_num_format("+0.0;-0.0;0.0"));
    chart.legend().set_hidden();
    // A bar chart's categories are on its y axis: top to bottom in the
    // table's order, labels at the left edge whatever the sign of the bars.
    chart
        .y_axis()
        .set_reverse()
        .set_label_position(ChartAxisLabelPosition::Low);
    chart.x_axis().set_num_format("0");
    chart
        .set_width(2 * CHART_WIDTH - 20)
        .set_height(60 + 26 * mains.len() as u32);
    let at = last + 2;
    ws.insert_chart(at, 0, &chart)?;
    Ok(at + 4 + mains.len() as u32 * 26 / 20)
}
