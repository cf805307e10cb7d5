//! The province's form as an `.xlsx` a unit fills in.
//!
//! Made from the schema (a custom schema gives its own form), in the form layout
//! the parser reads: metadata labels with their value to the right, and an
//! indicator table headed `STT / Chỉ tiêu / Mã / Đơn vị tính / Số liệu / Ghi chú`.
//! Only the input cells are unlocked (the unit's name in the header too, on a
//! blank form); count cells carry a validation that accepts what the reader
//! accepts, with a Vietnamese message; a `Hướng dẫn` sheet explains it all.
//!
//! It prints on one A4 page across, unscaled, so that the header is at Decree
//! 30's sizes: every row as tall as its wrapped text, free-text answers with
//! room for a paragraph, and the date and signature lines kept on a page with
//! the table's last rows.

use crate::period::Period;
use crate::registry::Unit;
use crate::schema::{IndicatorKind, Schema};
use crate::write::report::fit::{Font, Heights, RowFit};
use crate::write::report::heading::{
    self, Blocks, DATE, ISSUER, MOTTO, MOTTO_TEXT, NATION, NATION_TEXT,
};
use crate::write::report::style::{BODY, BODY_BOLD, Styles, page, page_points_down};
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
/// The columns: STT, the label over two (so that the header's right half,
/// the national name, has room on one line), code, unit, value, note. They
/// add up to an A4 portrait page inside Decree 30's margins.
const WIDTHS: [f64; 7] = [5.0, 21.0, 14.0, 7.0, 9.0, 12.0, 9.0];
const LABEL: (u16, u16) = (1, 2);
const CODE_COL: u16 = 3;
const VALUE_COL: u16 = 5;
const LAST_COL: u16 = 6;
const BLOCKS: Blocks = Blocks {
    widths: &WIDTHS,
    left: (0, 1),
    right: (2, LAST_COL),
};
/// A blank free-text answer's room: a paragraph of six lines.
const ANSWER_LINES: usize = 6;
const ITALIC: Font = Font::new(12.0, false);

/// The form's bytes.
pub fn form(schema: &Schema, prefill: &Prefill) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let input = styles.cell.clone().set_unlocked();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name(FORM_SHEET)?;
    for (col, width) in WIDTHS.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    let mut rows = Heights::default();
    header_block(ws, &styles, schema, prefill, &mut rows)?;
    metadata(ws, &styles, &input, prefill, &mut rows)?;
    let last = indicators(ws, &styles, &input, schema, prefill, &mut rows)?;
    signatures(ws, &styles, last + 1, &mut rows)?;
    page(ws, false, Some((TABLE_ROW, TABLE_ROW)))?;
    ws.set_print_scale(100);
    ws.protect();
    guide(
        wb.add_worksheet().set_name(GUIDE_SHEET)?,
        &styles,
        schema,
        prefill,
    )?;
    crate::write::report::number_from_second_page(wb.save_to_buffer()?).map_err(XlsxError::IoError)
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
    rows: &mut Heights,
) -> Result<(), XlsxError> {
    let unit = prefill.unit.map_or("TÊN CƠ QUAN, ĐƠN VỊ".to_string(), |u| {
        u.name.to_uppercase()
    });
    let (l, r) = (BLOCKS.left, BLOCKS.right);
    let wrap = |f: Font| s.heading(f.size, f.bold, false).set_text_wrap();
    // On a blank form the unit writes its own name over the placeholder.
    let unit_format = if prefill.unit.is_some() {
        wrap(ISSUER)
    } else {
        wrap(ISSUER).set_unlocked()
    };
    ws.merge_range(0, l.0, 0, l.1, &unit, &unit_format)?;
    ws.merge_range(0, r.0, 0, r.1, NATION_TEXT, &wrap(NATION))?;
    let mut top = RowFit::new(ISSUER);
    top.cell(&unit, BLOCKS.chars(l), ISSUER)
        .cell(NATION_TEXT, BLOCKS.chars(r), NATION);
    rows.set(ws, 0, &top)?;
    ws.merge_range(1, r.0, 1, r.1, MOTTO_TEXT, &wrap(MOTTO))?;
    let name_rule = (ISSUER.width(&unit) * 0.45).min(ISSUER.width("TÊN CƠ QUAN, ĐƠN VỊ"));
    heading::rule(ws, &BLOCKS, l, 1, name_rule)?;
    rows.set(ws, 1, &RowFit::new(MOTTO))?;
    ws.set_row_height(2, 9.0)?;
    rows.record(2, 9.0);
    heading::rule(ws, &BLOCKS, r, 2, heading::motto_rule())?;
    let title = match prefill.period {
        Some(p) => format!(
            "BIỂU SỐ LIỆU KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ {}",
            p.title()
        ),
        None => "BIỂU SỐ LIỆU KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ".to_string(),
    };
    let width: f64 = WIDTHS.iter().sum();
    ws.merge_range(3, 0, 3, LAST_COL, &title, &s.title)?;
    let font = Font::new(14.0, true);
    rows.set(ws, 3, RowFit::new(font).cell(&title, width, font))?;
    if let Some(p) = prefill.period {
        let due = schema.due(p).format("%d/%m/%Y");
        let line = format!("(Gửi Sở Nội vụ trước ngày {due})");
        ws.merge_range(4, 0, 4, LAST_COL, &line, &s.italic)?;
        rows.set(ws, 4, &RowFit::new(DATE))?;
    }
    Ok(())
}

fn metadata(
    ws: &mut Worksheet,
    s: &Styles,
    input: &Format,
    prefill: &Prefill,
    rows: &mut Heights,
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
    let input = input.clone().set_text_wrap();
    let date_input = input
        .clone()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Left);
    let value_width: f64 = WIDTHS[CODE_COL as usize..].iter().sum();
    for (i, (label, value)) in fields.iter().enumerate() {
        let row = META_ROW + i as u32;
        ws.merge_range(row, LABEL.0, row, LABEL.1, label, &s.bold)?;
        let is_date = label.starts_with("Ngày");
        // The value spans the code column to the last; only its first cell
        // holds anything.
        ws.merge_range(
            row,
            CODE_COL,
            row,
            LAST_COL,
            value,
            if is_date { &date_input } else { &input },
        )?;
        if let (true, Some(d)) = (is_date, prefill.report_date) {
            let d = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(row, CODE_COL, d, &date_input)?;
        }
        rows.set(ws, row, RowFit::new(BODY).cell(value, value_width, BODY))?;
    }
    Ok(())
}

fn indicators(
    ws: &mut Worksheet,
    s: &Styles,
    input: &Format,
    schema: &Schema,
    prefill: &Prefill,
    rows: &mut Heights,
) -> Result<u32, XlsxError> {
    let headings = ["STT", "Chỉ tiêu", "Mã", "Đơn vị tính", "Số liệu", "Ghi chú"];
    let columns = [0u16, LABEL.0, CODE_COL, CODE_COL + 1, VALUE_COL, LAST_COL];
    let mut fit = RowFit::new(BODY_BOLD);
    for (h, c) in headings.iter().zip(columns) {
        ws.write_string_with_format(TABLE_ROW, c, *h, &s.header)?;
        fit.cell(h, WIDTHS[c as usize], BODY_BOLD);
    }
    ws.merge_range(
        TABLE_ROW,
        LABEL.0,
        TABLE_ROW,
        LABEL.1,
        "Chỉ tiêu",
        &s.header,
    )?;
    rows.set(ws, TABLE_ROW, &fit)?;
    let text_input = input.clone().set_text_wrap().set_align(FormatAlign::Top);
    let number_input = input.clone().set_num_format("#,##0");
    let label_width = WIDTHS[1] + WIDTHS[2];
    let answer_width = WIDTHS[VALUE_COL as usize] + WIDTHS[LAST_COL as usize];
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
        ws.merge_range(row, 1, row, LAST_COL, &group.label, &s.group)?;
        let rest: f64 = WIDTHS[1..].iter().sum();
        rows.set(
            ws,
            row,
            RowFit::new(BODY_BOLD).cell(&group.label, rest, BODY_BOLD),
        )?;
        for (n, ind) in members.iter().enumerate() {
            row += 1;
            ws.write_number_with_format(row, 0, (n + 1) as f64, &s.cell_center)?;
            ws.merge_range(row, LABEL.0, row, LABEL.1, &ind.label, &s.cell_wrap)?;
            ws.write_string_with_format(row, CODE_COL, &ind.code, &s.cell_center)?;
            ws.write_string_with_format(row, CODE_COL + 1, &ind.unit, &s.cell_center_wrap)?;
            let typed = prefill
                .values
                .get(&ind.code)
                .map(String::as_str)
                .unwrap_or("");
            let mut fit = RowFit::new(BODY);
            fit.cell(&ind.label, label_width, BODY).cell(
                &ind.unit,
                WIDTHS[CODE_COL as usize + 1],
                BODY,
            );
            match ind.kind {
                IndicatorKind::Count => {
                    // Only a plain integer becomes a number: "1.234" typed by a unit
                    // means 1234 and stays text, read the Vietnamese way.
                    match typed.parse::<u64>() {
                        Ok(n) => {
                            ws.write_number_with_format(row, VALUE_COL, n as f64, &number_input)?
                        }
                        Err(_) => ws.write_string_with_format(row, VALUE_COL, typed, input)?,
                    };
                    ws.add_data_validation(
                        row,
                        VALUE_COL,
                        row,
                        VALUE_COL,
                        &count_validation(row)?,
                    )?;
                    ws.write_string_with_format(row, LAST_COL, "", &text_input)?;
                    fit.cell(typed, WIDTHS[VALUE_COL as usize], BODY);
                }
                IndicatorKind::Text => {
                    // The answer takes the value and note columns: a paragraph.
                    ws.merge_range(row, VALUE_COL, row, LAST_COL, "", &text_input)?;
                    ws.write_string_with_format(row, VALUE_COL, typed, &text_input)?;
                    fit.cell(typed, answer_width, BODY)
                        .at_least(BODY.row_height(ANSWER_LINES));
                }
            }
            rows.set(ws, row, &fit)?;
        }
    }
    Ok(row)
}

/// The date line and the signatures under the table: the preparer on the
/// left, the head of the unit on the right; kept on the page of the table's
/// last rows.
fn signatures(
    ws: &mut Worksheet,
    s: &Styles,
    first: u32,
    rows: &mut Heights,
) -> Result<(), XlsxError> {
    let (l, r) = ((0u16, 2u16), (3u16, LAST_COL));
    let italic = s.heading(ITALIC.size, false, true).set_text_wrap();
    let bold = s.heading(12.0, true, false).set_text_wrap();
    let lines: [(&str, &str, &Format, f64); 4] = [
        (
            "",
            "......, ngày ..... tháng ..... năm ......",
            &italic,
            20.0,
        ),
        ("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", &bold, 18.0),
        ("(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)", &italic, 18.0),
        ("", "", &italic, 72.0),
    ];
    let block: f64 = 15.0 + lines.iter().map(|l| l.3).sum::<f64>();
    if let Some(at) = rows.keep_with_end(page_points_down(false), TABLE_ROW, first, block) {
        ws.set_page_breaks(&[at])?;
    }
    for (i, (left, right, format, height)) in lines.iter().enumerate() {
        let row = first + 1 + i as u32;
        ws.set_row_height(row, *height)?;
        if !left.is_empty() {
            ws.merge_range(row, l.0, row, l.1, left, format)?;
        }
        if !right.is_empty() {
            ws.merge_range(row, r.0, row, r.1, right, format)?;
        }
    }
    Ok(())
}

/// What the reader accepts as a count: a whole number ≥ 0, or text of digits
/// grouped by spaces, dots or no-break spaces (`1 234`, `1.234`), or the
/// statistical `-` / `...` and their typographic forms (`–`, `—`, `…`). The
/// reader stays the judge (it reports `1.23` or `12,5` typed as text); this
/// only stops the plainly wrong as it is typed.
fn count_validation(row: u32) -> Result<DataValidation, XlsxError> {
    let c = crate::read::a1(row, VALUE_COL as u32);
    let digits =
        format!("SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({c},\" \",\"\"),\".\",\"\"),CHAR(160),\"\")");
    let rule = format!(
        "=OR(AND(ISNUMBER({c}),{c}>=0,INT({c})={c}),\
         OR(TRIM({c})=\"-\",TRIM({c})=\"...\",TRIM({c})=\"–\",TRIM({c})=\"—\",TRIM({c})=\"…\"),\
         AND(ISTEXT({c}),LEN({digits})>0,ISNUMBER(-{digits}),ISERROR(FIND(\"-\",{c})),ISERROR(FIND(\",\",{c})),ISERROR(FIND(\"E\",UPPER({c})))))"
    );
    DataValidation::new()
        .allow_custom(Formula::new(rule))
        .set_input_title("Nhập số liệu")?
        .set_input_message("Số nguyên không âm (1234, 1.234 hoặc 1 234). Gõ - nếu không phát sinh; ... nếu có phát sinh nhưng chưa thống kê; để trống nếu chưa có số liệu.")?
        .set_error_title("Số liệu không hợp lệ")?
        .set_error_message("Chỉ nhập số nguyên không âm (ví dụ 1234 hoặc 1.234), hoặc dấu - (không phát sinh), hoặc ... (chưa thống kê).")
}

fn guide(
    ws: &mut Worksheet,
    s: &Styles,
    schema: &Schema,
    prefill: &Prefill,
) -> Result<(), XlsxError> {
    let width = crate::write::report::style::page_chars(false, 1);
    ws.set_column_width(0, width)?;
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
        let (format, font) = if r == 0 {
            (&s.bold_wrap, BODY_BOLD)
        } else {
            (&s.wrap, BODY)
        };
        ws.write_string_with_format(r as u32, 0, line, format)?;
        RowFit::new(font)
            .cell(line, width, font)
            .apply(ws, r as u32)?;
    }
    page(ws, false, None)?;
    ws.set_print_scale(100);
    Ok(())
}
