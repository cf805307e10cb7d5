//! The province's form as an `.xlsx` a unit fills in.
//!
//! Made from the schema (a custom schema gives its own form), in the form layout
//! the parser reads: metadata labels with their value to the right, and an
//! indicator table headed `STT / Chỉ tiêu / Mã / Đơn vị tính / Số liệu / Ghi chú`.
//! Only the input cells are unlocked; count cells accept a whole number ≥ 0, `-`
//! or `...`, with a Vietnamese message; a `Hướng dẫn` sheet explains it all.

use crate::period::Period;
use crate::registry::Unit;
use crate::schema::{IndicatorKind, Schema};
use crate::write::report::style::{Styles, page};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DataValidation, ExcelDateTime, Format, FormatAlign, Formula, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeMap;

/// The form's sheet name.
pub const FORM_SHEET: &str = "Biểu báo cáo";
/// The guide sheet's name.
pub const GUIDE_SHEET: &str = "Hướng dẫn";

/// What to pre-fill.
#[derive(Default)]
pub struct Prefill<'a> {
    pub period: Option<Period>,
    pub unit: Option<&'a Unit>,
    /// Indicator values as the unit would type them (`"1.234"`, `"-"`, text);
    /// used to make filled forms for tests and benchmarks.
    pub values: BTreeMap<String, String>,
    pub report_date: Option<NaiveDate>,
}

/// Row of the first metadata label and of the indicator table header.
const META_ROW: u32 = 5;
const TABLE_ROW: u32 = 13;
const VALUE_COL: u16 = 4;

/// The form's bytes.
pub fn form(schema: &Schema, prefill: &Prefill) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let input = styles.cell.clone().set_unlocked();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name(FORM_SHEET)?;
    for (col, width) in [
        (0u16, 6.0),
        (1, 52.0),
        (2, 8.0),
        (3, 12.0),
        (4, 16.0),
        (5, 22.0),
    ] {
        ws.set_column_width(col, width)?;
    }
    header_block(ws, &styles, schema, prefill)?;
    metadata(ws, &styles, &input, prefill)?;
    let last = indicators(ws, &styles, &input, schema, prefill)?;
    ws.write_string_with_format(
        last + 2,
        1,
        "Người lập biểu ký, ghi rõ họ tên",
        &styles.heading(12.0, false, true),
    )?;
    page(ws, false, Some((TABLE_ROW, TABLE_ROW)))?;
    ws.protect();
    guide(
        wb.add_worksheet().set_name(GUIDE_SHEET)?,
        &styles,
        schema,
        prefill,
    )?;
    wb.save_to_buffer()
}

/// Whether a file is a form with nothing typed into its indicator cells (no
/// value, not even a rejected one): what `qcdc template` made before, and may
/// make again. A file that cannot be read as a form is not one.
pub fn is_blank_form(path: &std::path::Path, schema: &Schema) -> bool {
    let Ok(workbook) = crate::read::read_file(path, &crate::read::Limits::default()) else {
        return false;
    };
    let parsed = crate::parse::parse_workbook(&workbook, &path.display().to_string(), schema);
    !parsed.submissions.is_empty()
        && parsed.submissions.iter().all(|s| {
            s.slots
                .iter()
                .all(|slot| slot.state == crate::parse::SlotState::Empty)
        })
}

/// The file name of a unit's form: `<code>_<name without diacritics>.xlsx`.
pub fn file_name(unit: &Unit) -> String {
    let slug = crate::text::ascii_slug(&unit.name);
    if slug.is_empty() {
        format!("{}.xlsx", unit.code)
    } else {
        format!("{}_{slug}.xlsx", unit.code)
    }
}

fn header_block(
    ws: &mut Worksheet,
    s: &Styles,
    schema: &Schema,
    prefill: &Prefill,
) -> Result<(), XlsxError> {
    let unit = prefill.unit.map_or("TÊN CƠ QUAN, ĐƠN VỊ".to_string(), |u| {
        u.name.to_uppercase()
    });
    ws.merge_range(0, 0, 0, 1, &unit, &s.heading(12.0, true, false))?;
    ws.merge_range(
        0,
        2,
        0,
        5,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        &s.heading(12.0, true, false),
    )?;
    ws.merge_range(
        1,
        2,
        1,
        5,
        "Độc lập - Tự do - Hạnh phúc",
        &s.heading(13.0, true, false),
    )?;
    let title = match prefill.period {
        Some(p) => format!(
            "BIỂU SỐ LIỆU KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ {}",
            p.title()
        ),
        None => "BIỂU SỐ LIỆU KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ".to_string(),
    };
    ws.merge_range(3, 0, 3, 5, &title, &s.title)?;
    if let Some(p) = prefill.period {
        let due = schema.due(p).format("%d/%m/%Y");
        ws.merge_range(
            4,
            0,
            4,
            5,
            &format!("(Gửi Sở Nội vụ trước ngày {due})"),
            &s.italic,
        )?;
    }
    Ok(())
}

fn metadata(
    ws: &mut Worksheet,
    s: &Styles,
    input: &Format,
    prefill: &Prefill,
) -> Result<(), XlsxError> {
    let unit = prefill.unit;
    let year = prefill
        .period
        .map(|p| p.year.to_string())
        .unwrap_or_default();
    let fields: [(&str, String); 7] = [
        (
            "Mã đơn vị:",
            unit.map(|u| u.code.clone()).unwrap_or_default(),
        ),
        (
            "Tên đơn vị:",
            unit.map(|u| u.name.clone()).unwrap_or_default(),
        ),
        (
            "Kỳ báo cáo:",
            prefill
                .period
                .map(|p| p.form_kind().to_string())
                .unwrap_or_default(),
        ),
        ("Năm báo cáo:", year),
        ("Ngày báo cáo:", String::new()),
        ("Người lập biểu:", String::new()),
        ("Điện thoại:", String::new()),
    ];
    let date_input = input
        .clone()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Left);
    for (i, (label, value)) in fields.iter().enumerate() {
        let row = META_ROW + i as u32;
        ws.write_string_with_format(row, 1, *label, &s.bold)?;
        let is_date = label.starts_with("Ngày");
        // The value spans C:F; only its first cell holds anything.
        ws.merge_range(
            row,
            2,
            row,
            5,
            value,
            if is_date { &date_input } else { input },
        )?;
        if let (true, Some(d)) = (is_date, prefill.report_date) {
            let d = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(row, 2, d, &date_input)?;
        }
    }
    Ok(())
}

fn indicators(
    ws: &mut Worksheet,
    s: &Styles,
    input: &Format,
    schema: &Schema,
    prefill: &Prefill,
) -> Result<u32, XlsxError> {
    for (c, h) in ["STT", "Chỉ tiêu", "Mã", "Đơn vị tính", "Số liệu", "Ghi chú"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(TABLE_ROW, c as u16, *h, &s.header)?;
    }
    let text_input = input.clone().set_text_wrap().set_align(FormatAlign::Top);
    let mut row = TABLE_ROW;
    for group in &schema.groups {
        let members: Vec<_> = schema
            .indicators
            .iter()
            .filter(|i| i.group == group.code)
            .collect();
        if members.is_empty() {
            continue;
        }
        row += 1;
        ws.write_string_with_format(row, 0, &group.code, &s.group)?;
        ws.merge_range(row, 1, row, 5, &group.label, &s.group)?;
        for (n, ind) in members.iter().enumerate() {
            row += 1;
            ws.write_number_with_format(row, 0, (n + 1) as f64, &s.cell_center)?;
            ws.write_string_with_format(row, 1, &ind.label, &s.cell_wrap)?;
            ws.write_string_with_format(row, 2, &ind.code, &s.cell_center)?;
            ws.write_string_with_format(row, 3, &ind.unit, &s.cell_center)?;
            let typed = prefill
                .values
                .get(&ind.code)
                .map(String::as_str)
                .unwrap_or("");
            match ind.kind {
                IndicatorKind::Count => {
                    // Only a plain integer becomes a number: "1.234" typed by a unit
                    // means 1234 and stays text, read the Vietnamese way.
                    match typed.parse::<u64>() {
                        Ok(n) => ws.write_number_with_format(
                            row,
                            VALUE_COL,
                            n as f64,
                            &input.clone().set_num_format("#,##0"),
                        )?,
                        Err(_) => ws.write_string_with_format(row, VALUE_COL, typed, input)?,
                    };
                    ws.add_data_validation(
                        row,
                        VALUE_COL,
                        row,
                        VALUE_COL,
                        &count_validation(row)?,
                    )?;
                    let lines = ind.label.chars().count().div_ceil(58).max(1);
                    ws.set_row_height(row, 16.0 * lines as f64)?;
                }
                IndicatorKind::Text => {
                    ws.write_string_with_format(row, VALUE_COL, typed, &text_input)?;
                    ws.set_row_height(row, 64.0)?;
                }
            }
            ws.write_string_with_format(row, VALUE_COL + 1, "", &text_input)?;
        }
    }
    Ok(row)
}

/// A whole number ≥ 0, or the statistical `-` / `...`.
fn count_validation(row: u32) -> Result<DataValidation, XlsxError> {
    let cell = crate::read::a1(row, VALUE_COL as u32);
    let rule = format!(
        "=OR(AND(ISNUMBER({cell}),{cell}>=0,INT({cell})={cell}),{cell}=\"-\",{cell}=\"...\")"
    );
    DataValidation::new()
        .allow_custom(Formula::new(rule))
        .set_input_title("Nhập số liệu")?
        .set_input_message("Số nguyên không âm. Gõ - nếu không phát sinh; ... nếu có phát sinh nhưng chưa thống kê; để trống nếu chưa có số liệu.")?
        .set_error_title("Số liệu không hợp lệ")?
        .set_error_message("Chỉ nhập số nguyên không âm (ví dụ 1234), hoặc dấu - (không phát sinh), hoặc ... (chưa thống kê).")
}

fn guide(
    ws: &mut Worksheet,
    s: &Styles,
    schema: &Schema,
    prefill: &Prefill,
) -> Result<(), XlsxError> {
    ws.set_column_width(0, 100.0)?;
    let due = prefill
        .period
        .map(|p| {
            format!(
                "Hạn gửi: trước hoặc trong ngày {} (báo cáo {}).",
                schema.due(p).format("%d/%m/%Y"),
                p.title().to_lowercase()
            )
        })
        .unwrap_or_else(|| {
            "Hạn gửi: báo cáo 6 tháng trước ngày 10/6, báo cáo năm trước ngày 10/11 hằng năm."
                .to_string()
        });
    let lines = [
        "HƯỚNG DẪN ĐIỀN BIỂU SỐ LIỆU THỰC HIỆN DÂN CHỦ Ở CƠ SỞ".to_string(),
        String::new(),
        format!("1. Điền thông tin đơn vị ở đầu trang tính \"{FORM_SHEET}\": mã và tên đơn vị, kỳ báo cáo (6 tháng hoặc Năm), năm, ngày lập báo cáo (dd/mm/yyyy), người lập biểu và số điện thoại."),
        "2. Ghi số liệu vào cột \"Số liệu\" của từng chỉ tiêu; không sửa cột \"Mã\", không chèn hay xóa dòng.".to_string(),
        "3. Số liệu là số nguyên không âm, viết liền hoặc có dấu chấm phân cách hàng nghìn (1.234).".to_string(),
        "4. Gõ dấu - nếu trong kỳ không phát sinh (được tính là 0).".to_string(),
        "5. Gõ ... nếu có phát sinh nhưng chưa thống kê được (không tính vào tổng hợp).".to_string(),
        "6. Để trống nếu chưa có số liệu: ô trống không được hiểu là 0 và sẽ được nhắc bổ sung.".to_string(),
        "7. Nhóm IX (Đánh giá, kiến nghị) ghi bằng lời, ngắn gọn.".to_string(),
        "8. Lưu tệp ở dạng Excel (.xlsx), không đặt mật khẩu, gửi về Sở Nội vụ; nếu cần sửa, gửi bản thay thế (bản nhận sau cùng được sử dụng).".to_string(),
        due,
    ];
    for (r, line) in lines.iter().enumerate() {
        let format = if r == 0 { &s.bold } else { &s.wrap };
        ws.write_string_with_format(r as u32, 0, line, format)?;
    }
    page(ws, false, None)
}
