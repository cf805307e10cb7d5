//! The reminders CSV of `qcdc status --reminders`: the units still owing a
//! report, ready for a mail merge.

use crate::collect::{Consolidation, Status};

/// The header, exactly as the contract fixes it.
pub const HEADER: [&str; 5] = [
    "ma_don_vi",
    "ten_don_vi",
    "email",
    "trang_thai",
    "so_ngay_tre",
];

/// Whether a unit still owes its report.
pub fn owes(status: Status) -> bool {
    matches!(
        status,
        Status::Missing | Status::Invalid | Status::NotYetDue
    )
}

/// The CSV bytes: one row per unit still owing, in registry order. `so_ngay_tre`
/// is the days past the due date for units that are late in sending anything.
pub fn reminders_csv(c: &Consolidation) -> Vec<u8> {
    let overdue = (c.as_of - c.due).num_days();
    let mut w = csv::Writer::from_writer(Vec::new());
    let rows = c.units.iter().filter(|u| owes(u.status)).map(|u| {
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
        ]
    });
    let written: Result<(), csv::Error> = std::iter::once(HEADER.map(String::from))
        .chain(rows)
        .try_for_each(|r| w.write_record(&r));
    written.expect("writing CSV to memory cannot fail");
    w.into_inner().expect("flushing CSV to memory cannot fail")
}
