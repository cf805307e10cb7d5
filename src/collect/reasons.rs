//! Why a unit is still owed, in words an officer can act on: the reminders
//! list, `status` and the JSON say it for every unit that has not reported.
//!
//! Everything is already in the consolidation (the unit's files, the entries of
//! other periods, the receipts' findings); this only puts it into one sentence.

use super::{Consolidation, Role, Status, UnitStatus};
use crate::batch::Outcome;
use crate::finding::FindingKind;

/// Why this unit is on the list of those owing, or `None` when it reported.
pub fn reason(c: &Consolidation, u: &UnitStatus) -> Option<String> {
    if matches!(u.status, Status::OnTime | Status::Late) {
        return None;
    }
    let code = u.unit.code.as_str();
    let mut why: Vec<String> = Vec::new();
    for f in &c.findings {
        if f.unit.as_deref() != Some(code) {
            continue;
        }
        match f.kind {
            FindingKind::ReceiptFileMissing => why.push(format!(
                "sổ nhận ghi tệp '{}' nhưng không có tệp này trong thư mục đầu vào",
                f.file
            )),
            FindingKind::ReceivedAfterAsOf => why.push(format!(
                "sổ nhận ghi ngày nhận {}, sau ngày xét",
                f.value.as_deref().unwrap_or_default()
            )),
            _ => {}
        }
    }
    if u.status == Status::Invalid {
        for shown in &u.files {
            match c.files.iter().find(|f| &f.input.shown == shown) {
                Some(f) => match &f.outcome {
                    Outcome::Unreadable(r) => why.push(format!("tệp {shown} không đọc được: {r}")),
                    _ => why.push(format!(
                        "tệp {shown} không có biểu dùng được của đơn vị (xem lỗi của tệp)"
                    )),
                },
                None if why.is_empty() => why.push(format!("không có tệp {shown}")),
                None => {}
            }
        }
    }
    for e in &c.entries {
        if e.role == Role::WrongPeriod && e.submission.unit.as_deref() == Some(code) {
            let period = e
                .submission
                .period
                .map_or_else(|| "khác".to_string(), |p| p.to_string());
            why.push(format!(
                "tệp {} là báo cáo kỳ {period}, không phải kỳ {}",
                e.submission.file, c.period
            ));
        }
    }
    if why.is_empty() {
        why.push(match u.status {
            Status::NotYetDue => format!(
                "chưa nhận được báo cáo; hạn nộp {}",
                c.due.format("%d/%m/%Y")
            ),
            _ => "chưa nhận được báo cáo nào".to_string(),
        });
    }
    Some(why.join("; "))
}
