//! The day a run is judged at: what the receipts log dates after it was not
//! received by then.
//!
//! A log re-read later, or a date mistyped (`05/11/2042`), would otherwise make a
//! unit on time or late by thousands of days without a word. Such a submission is
//! not counted as received at `--as-of`, and a warning names the unit, the file
//! and the date, so the officer can correct the log.

use super::{DateSource, Entry};
use crate::finding::{Finding, FindingKind};
use crate::receipts::Receipts;
use chrono::NaiveDate;
use std::collections::HashSet;

/// Past this many days after the day judged, a date is called implausible.
const PLAUSIBLE_DAYS_AHEAD: i64 = 366;

/// Removes the submissions whose receipt is dated after `as_of`, with a warning
/// each; then warns of receipts naming a unit, dated after `as_of`, that matched
/// no submission (the unit's file unreadable or absent).
pub fn drop_received_later(
    entries: &mut Vec<Entry>,
    receipts: Option<&Receipts>,
    as_of: NaiveDate,
    findings: &mut Vec<Finding>,
) {
    let mut warned: HashSet<String> = HashSet::new();
    entries.retain(|e| {
        let later = e.received.source == DateSource::Receipts && e.received.date > as_of;
        if later {
            let unit = e.submission.unit.clone().unwrap_or_default();
            findings.push(
                warning(&e.submission.file, &unit, e.received.date, as_of)
                    .sheet(&e.submission.sheet),
            );
            warned.insert(unit);
        }
        !later
    });
    for r in receipts.map(Receipts::all).unwrap_or_default() {
        let Some(unit) = &r.unit else { continue };
        if r.received > as_of && warned.insert(unit.clone()) {
            let file = r.file.as_deref().unwrap_or_default();
            findings.push(warning(file, unit, r.received, as_of));
        }
    }
}

fn warning(file: &str, unit: &str, date: NaiveDate, as_of: NaiveDate) -> Finding {
    let ahead = (date - as_of).num_days();
    let doubt = if ahead > PLAUSIBLE_DAYS_AHEAD {
        format!(" — muộn hơn ngày xét {ahead} ngày, ngày này khó có thật")
    } else {
        String::new()
    };
    Finding::warning(
        FindingKind::ReceivedAfterAsOf,
        file,
        format!(
            "sổ nhận ghi đơn vị {unit} nộp ngày {}, sau ngày xét {}{doubt}: chưa tính là đã nhận; hãy kiểm tra lại ngày nhận trong sổ",
            date.format("%d/%m/%Y"),
            as_of.format("%d/%m/%Y"),
        ),
    )
    .unit(Some(unit))
    .value(date.format("%d/%m/%Y").to_string())
}
