//! Why a unit is still owed, in words an officer can act on: the reminders
//! list, `status` and the JSON say it for every unit that has not reported.
//!
//! Everything is already in the consolidation (the unit's files, the entries of
//! other periods, the findings about receipts and about forms that could not be
//! used); this indexes it by unit once and puts it into one sentence per unit.

use super::{Consolidation, Role, Status, UnitStatus};
use crate::batch::Outcome;
use crate::finding::{FindingKind, Severity};
use std::collections::HashMap;

/// The reasons of every unit, indexed once for a whole list.
pub struct Reasons<'a> {
    c: &'a Consolidation,
    /// What the findings and other periods' entries say, by unit code.
    said: HashMap<&'a str, Vec<String>>,
    outcomes: HashMap<&'a str, &'a Outcome>,
}

impl<'a> Reasons<'a> {
    pub fn new(c: &'a Consolidation) -> Reasons<'a> {
        let outcomes: HashMap<&str, &Outcome> = c
            .files
            .iter()
            .map(|f| (f.input.shown.as_str(), &f.outcome))
            .collect();
        // A file that could not be read, or was not read, is said once, from
        // its outcome (in `of`), not again through each of its errors.
        let unread = |file: &str| {
            matches!(
                outcomes.get(file),
                Some(Outcome::Unreadable(_) | Outcome::Skipped(_))
            )
        };
        let mut said: HashMap<&str, Vec<String>> = HashMap::new();
        // One error per file is enough to say why a form was not used.
        let mut told: std::collections::HashSet<(&str, &str)> = Default::default();
        for f in &c.findings {
            let Some(unit) = f.unit.as_deref() else {
                continue;
            };
            let text = match f.kind {
                FindingKind::ReceiptFileMissing => format!(
                    "sổ nhận ghi tệp '{}' nhưng không có tệp này trong thư mục đầu vào",
                    f.file
                ),
                FindingKind::ReceivedAfterAsOf => format!(
                    "sổ nhận ghi ngày nhận {}, sau ngày xét",
                    f.value.as_deref().unwrap_or_default()
                ),
                _ if unread(&f.file) => continue,
                _ if f.severity == Severity::Error && told.insert((unit, f.file.as_str())) => {
                    format!("tệp {} có lỗi: {}", f.file, f.message)
                }
                _ => continue,
            };
            said.entry(unit).or_default().push(text);
        }
        for e in &c.entries {
            let Some(unit) = e.submission.unit.as_deref() else {
                continue;
            };
            if e.role == Role::WrongPeriod {
                let period = e
                    .submission
                    .period
                    .map_or_else(|| "khác".to_string(), |p| p.to_string());
                said.entry(unit).or_default().push(format!(
                    "tệp {} là báo cáo kỳ {period}, không phải kỳ {}",
                    e.submission.file, c.period
                ));
            }
        }
        Reasons { c, said, outcomes }
    }

    /// Why this unit is on the list of those owing, or `None` when it reported.
    pub fn of(&self, u: &UnitStatus) -> Option<String> {
        if matches!(u.status, Status::OnTime | Status::Late) {
            return None;
        }
        let mut why: Vec<String> = self
            .said
            .get(u.unit.code.as_str())
            .cloned()
            .unwrap_or_default();
        if u.status == Status::Invalid {
            for shown in &u.files {
                match self.outcomes.get(shown.as_str()) {
                    Some(Outcome::Unreadable(r) | Outcome::Skipped(r)) => {
                        why.push(format!("tệp {shown} không đọc được: {r}"))
                    }
                    Some(_) if !why.iter().any(|w| w.contains(shown.as_str())) => why.push(
                        format!("tệp {shown} không có biểu dùng được của đơn vị (xem lỗi của tệp)"),
                    ),
                    _ => {}
                }
            }
        }
        if why.is_empty() {
            why.push(match u.status {
                Status::NotYetDue => format!(
                    "chưa nhận được báo cáo; hạn nộp {}",
                    self.c.due.format("%d/%m/%Y")
                ),
                _ => "chưa nhận được báo cáo nào".to_string(),
            });
        }
        Some(why.join("; "))
    }
}
