//! The JSON summary printed by `--json`: the contract scripts depend on (`cli.md`).

use crate::batch::Outcome;
use crate::collect::reasons::Reasons;
use crate::collect::{Consolidation, DateSource, Status};
use crate::finding::Severity;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};

#[derive(Serialize)]
struct UnitJson<'a> {
    ma_don_vi: &'a str,
    ten_don_vi: &'a str,
    loai_hinh: &'a str,
    status: Status,
    received: Option<String>,
    received_from: Option<DateSource>,
    days_late: Option<i64>,
    files: &'a [String],
    /// Why the unit is still owed; absent for units that reported.
    reason: Option<String>,
}

/// The summary as a JSON value; keys in a fixed order, so the bytes are stable.
pub fn summary(c: &Consolidation) -> Value {
    let n = &c.counts;
    let totals: Map<String, Value> = c
        .totals
        .iter()
        .filter_map(|t| t.total.map(|v| (t.code.clone(), json!(v))))
        .collect();
    let reported: Map<String, Value> = c
        .totals
        .iter()
        .map(|t| (t.code.clone(), json!(t.reported)))
        .collect();
    let rates: Map<String, Value> = c
        .rates
        .iter()
        .map(|r| {
            (
                r.code.clone(),
                r.value
                    .map_or(Value::Null, |v| json!((v * 100.0).round() / 100.0)),
            )
        })
        .collect();
    let reasons = Reasons::new(c);
    let units: Vec<UnitJson> = c
        .units
        .iter()
        .map(|u| UnitJson {
            ma_don_vi: &u.unit.code,
            ten_don_vi: &u.unit.name,
            loai_hinh: &u.unit.unit_type,
            status: u.status,
            received: u.received.map(|r| r.date.to_string()),
            received_from: u.received.map(|r| r.source),
            days_late: u.days_late,
            files: &u.files,
            reason: reasons.of(u),
        })
        .collect();
    let mut summary = json!({
        "period": c.period,
        "due": c.due.to_string(),
        "as_of": c.as_of.to_string(),
        "units_from_registry": c.from_registry,
        "expected": n.expected,
        "received": n.received,
        "on_time": n.on_time,
        "late": n.late,
        "missing": n.missing,
        "invalid": n.invalid,
        "not_yet_due": n.not_yet_due,
        "unknown_unit": n.unknown_unit,
        "wrong_period": n.wrong_period,
        "superseded": n.superseded,
        "errors": n.errors,
        "warnings": n.warnings,
        "files": {"read": n.files_read, "skipped": n.files_skipped, "unreadable": n.files_unreadable},
        "totals": totals,
        "reported": reported,
        "rates": rates,
        "units": units,
        "inputs": inputs(c),
        "findings": findings(c),
    });
    if let Some(cmp) = &c.comparison {
        summary["compare"] = compare(cmp);
    }
    summary
}

/// The earlier period beside this one: its totals exactly as its own summary
/// gave them, its submission figures (null where its long CSV cannot say) and
/// the units found in only one of the two periods.
fn compare(cmp: &crate::collect::compare::Comparison) -> Value {
    let totals: Map<String, Value> = cmp
        .totals
        .iter()
        .filter_map(|t| t.total.map(|v| (t.code.clone(), json!(v))))
        .collect();
    let only_earlier: Vec<&str> = cmp
        .only_earlier
        .iter()
        .map(|(code, _)| code.as_str())
        .collect();
    json!({
        "period": cmp.period,
        "totals": totals,
        "expected": cmp.counts.expected,
        "received": cmp.counts.received,
        "on_time": cmp.counts.on_time,
        "units_only_this_period": cmp.only_now,
        "units_only_earlier": only_earlier,
    })
}

/// Every input file with what became of it, and the role of each submission
/// read from it, so a script can tell unknown units, other periods and
/// unreadable files apart.
fn inputs(c: &Consolidation) -> Vec<Value> {
    // Indexed by file: a run of 10,000 files must not compare every pair.
    let with_errors: HashSet<&str> = c
        .findings
        .iter()
        .filter(|x| x.severity == Severity::Error)
        .map(|x| x.file.as_str())
        .collect();
    let mut read_from: HashMap<&str, Vec<Value>> = HashMap::new();
    for e in &c.entries {
        read_from
            .entry(e.submission.file.as_str())
            .or_default()
            .push(json!({
                "unit": e.submission.unit,
                "period": e.submission.period,
                "sheet": e.submission.sheet,
                "role": e.role,
            }));
    }
    c.files
        .iter()
        .map(|f| {
            let shown = f.input.shown.as_str();
            let (status, reason) = match &f.outcome {
                Outcome::Opened(what) => ("opened", Some(what.as_str())),
                Outcome::Skipped(why) => ("skipped", Some(why.as_str())),
                Outcome::Unreadable(why) => ("unreadable", Some(why.as_str())),
                Outcome::Read(_) if with_errors.contains(shown) => ("errors", None),
                Outcome::Read(_) => ("ok", None),
            };
            let submissions = read_from.remove(shown).unwrap_or_default();
            json!({"path": shown, "status": status, "reason": reason, "submissions": submissions})
        })
        .collect()
}

/// Every finding, located.
fn findings(c: &Consolidation) -> Vec<Value> {
    c.findings
        .iter()
        .map(|f| {
            json!({
                "severity": f.severity,
                "file": f.file,
                "sheet": f.sheet,
                "cell": f.cell,
                "unit": f.unit,
                "indicator": f.indicator,
                "value": f.value,
                "message": f.message,
            })
        })
        .collect()
}
