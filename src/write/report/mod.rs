//! The consolidated workbook for the provincial People's Committee: six sheets,
//! printable on A4 as they are, in Times New Roman, with the header block of a
//! Vietnamese administrative document (Decree 30/2020/NĐ-CP).
//!
//! Text that came from a submission is always written as a string, never
//! through a generic write that could turn `=HYPERLINK(…)` into a live formula.

mod charts;
mod compare;
mod detail;
mod findings;
mod first_page;
pub(crate) use first_page::number_from_second_page;
pub(crate) mod fit;
pub(crate) mod heading;
mod info;
mod readback;
mod remarks;
mod signature;
mod status;
pub(crate) mod style;
mod summary;

use crate::collect::Consolidation;
use crate::config::Settings;
use crate::schema::Schema;
use chrono::NaiveDateTime;
use rayon::prelude::*;
use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};

/// Custom document properties that mark a workbook as qcdc's own consolidated
/// report, wherever it turns up: among the inputs (skipped, never read as a
/// submission) or given to `--compare` (read back as an earlier period).
pub mod marker {
    /// Always [`KIND_REPORT`] in a workbook qcdc wrote.
    pub const KIND: &str = "qcdc";
    pub const KIND_REPORT: &str = "tong-hop";
    /// The period's code (`2022-H1`).
    pub const PERIOD: &str = "qcdc_ky";
    /// The qcdc version that wrote it.
    pub const VERSION: &str = "qcdc_phien_ban";
    /// The schema the figures follow (its name or file, as Thông tin shows it).
    pub const SCHEMA: &str = "qcdc_bieu_mau";
}

/// The sheet names, in order; the last is very hidden (`readback`).
pub const SHEETS: [&str; 8] = [
    "Tổng hợp",
    "Biểu đồ",
    "Chi tiết đơn vị",
    "Tình hình nộp",
    "Lỗi và cảnh báo",
    "Ý kiến đơn vị",
    "Thông tin",
    crate::read::earlier::READBACK_SHEET,
];

/// What the report says about itself beyond the consolidation.
pub struct ReportMeta<'a> {
    pub settings: &'a Settings,
    /// When the report was made (shown in Thông tin).
    pub made_at: NaiveDateTime,
}

/// Everything a sheet writer needs.
struct Context<'a> {
    c: &'a Consolidation,
    schema: &'a Schema,
    meta: &'a ReportMeta<'a>,
    styles: style::Styles,
}

/// The workbook's bytes.
pub fn report(c: &Consolidation, schema: &Schema, meta: &ReportMeta) -> Result<Vec<u8>, XlsxError> {
    let ctx = Context {
        c,
        schema,
        meta,
        styles: style::Styles::new(),
    };
    let mut wb = Workbook::new();
    let period = c.period.to_string();
    wb.set_properties(
        &DocProperties::new()
            .set_title(c.period.title())
            .set_custom_property(marker::KIND, marker::KIND_REPORT)
            .set_custom_property(marker::PERIOD, period.as_str())
            .set_custom_property(marker::VERSION, env!("CARGO_PKG_VERSION"))
            .set_custom_property(
                marker::SCHEMA,
                format!("{} {}", schema.name, schema.version).as_str(),
            ),
    );
    // Deflating the parts (42 MB of XML at 10,000 units, 4.2 MB at 1,000) is
    // the one serial step of saving. Level 2 takes 70 % of level 3's time for
    // a file 3 % larger (4.9 MB instead of 4.8 MB at 10,000 units); level 1
    // takes 45 % for a file 1.4 times larger. Deflating the parts again side
    // by side after a level-1 save gains nothing on two cores: that save and
    // inflating its output take as long as the deflating they spare.
    wb.set_zip_compression_level(2);
    for name in &SHEETS[..2] {
        wb.add_worksheet().set_name(*name)?;
    }
    // The sheets that grow with the number of units are written row by row, in
    // order, so they can stream to a temporary file instead of holding every cell
    // (at 10,000 units: 218 MB peak before, see the README's measurements).
    for name in &SHEETS[2..] {
        wb.add_worksheet_with_constant_memory()?.set_name(*name)?;
    }
    // Each sheet is independent of the others: they are written side by side.
    wb.worksheets_mut()
        .par_iter_mut()
        .zip(WRITERS)
        .try_for_each(|(ws, write)| write(ws, &ctx))?;
    first_page::number_from_second_page(wb.save_to_buffer()?).map_err(XlsxError::IoError)
}

/// One writer per sheet of `SHEETS`, in the same order.
type SheetWriter = fn(&mut Worksheet, &Context) -> Result<(), XlsxError>;
const WRITERS: [SheetWriter; 8] = [
    summary::write,
    charts::write,
    detail::write,
    status::write,
    findings::write,
    remarks::write,
    info::write,
    readback::write,
];

/// A unit type's label, or "Chưa rõ loại hình" for units known only from their
/// submission.
fn type_label<'a>(ctx: &'a Context, code: &'a str) -> &'a str {
    if code.is_empty() {
        "Chưa rõ loại hình"
    } else {
        ctx.schema.unit_type_label(code)
    }
}

/// `dd/mm/yyyy`, the way dates are written in Vietnamese documents.
fn date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}
