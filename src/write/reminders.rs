//! The reminders list of `qcdc status --reminders`: the units still owing a
//! report, with the reason, ready for a mail merge in Excel.
//!
//! As CSV it starts with a UTF-8 byte-order mark: without one, Excel on an
//! office PC opens it in the local code page and breaks every diacritic. As
//! `.xlsx` it is a one-sheet workbook marked as qcdc's (custom property `qcdc` =
//! [`KIND`]), so that it is recognised if it turns up among the inputs.

use crate::collect::reasons::Reasons;
use crate::collect::{Consolidation, Status};

/// The header: the contract's columns, then the reason.
pub const HEADER: [&str; 6] = [
    "ma_don_vi",
    "ten_don_vi",
    "email",
    "trang_thai",
    "so_ngay_tre",
    "ly_do",
];

/// The value of the workbook's custom property `qcdc` in a reminders workbook.
pub const KIND: &str = "nhac-nop";

/// Whether a unit still owes its report.
pub fn owes(status: Status) -> bool {
    matches!(
        status,
        Status::Missing | Status::Invalid | Status::NotYetDue
    )
}

/// One row per unit still owing, in registry order. `so_ngay_tre` is the days
/// past the due date for units that are late in sending anything.
fn rows(c: &Consolidation) -> Vec<[String; 6]> {
    let overdue = (c.as_of - c.due).num_days();
    let reasons = Reasons::new(c);
    c.units
        .iter()
        .filter(|u| owes(u.status))
        .map(|u| {
            let days = if u.status == Status::NotYetDue || overdue <= 0 {
                String::new()
            } else {
                overdue.to_string()
            };
            [
                u.unit.code.clone(),
                u.unit.name.clone(),
                u.unit.email.clone(),
                u.status.label().to_string(),
                days,
                reasons.of(u).unwrap_or_default(),
            ]
        })
        .collect()
}

/// The CSV bytes, UTF-8 with a byte-order mark.
pub fn reminders_csv(c: &Consolidation) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let written: Result<(), csv::Error> = std::iter::once(HEADER.map(String::from))
        .chain(rows(c))
        .try_for_each(|r| w.write_record(&r));
    written.expect("writing CSV to memory cannot fail");
    w.into_inner().expect("flushing CSV to memory cannot fail")
}

/// The same list as a workbook: one sheet, the header bold and frozen, the
/// codes as text so Excel keeps their zeros.
pub fn reminders_xlsx(c: &Consolidation) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, Format, Workbook};
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new().set_custom_property(crate::write::report::marker::KIND, KIND),
    );
    let ws = wb.add_worksheet();
    ws.set_name("Nhắc nộp")?;
    let bold = Format::new().set_bold();
    for (col, name) in (0u16..).zip(HEADER) {
        ws.write_string_with_format(0, col, name, &bold)?;
    }
    for (row, cells) in (1u32..).zip(rows(c)) {
        for (col, text) in (0u16..).zip(cells) {
            ws.write_string(row, col, text)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    for (col, width) in (0u16..).zip([10.0, 40.0, 28.0, 14.0, 12.0, 80.0]) {
        ws.set_column_width(col, width)?;
    }
    wb.save_to_buffer()
}
