//! The JSON summary printed by `--json`: the contract scripts depend on (`cli.md`).

use crate::batch::Outcome;
use crate::collect::reasons::Reasons;
use crate::collect::{Consolidation, DateSource, Status};
use crate::finding::Severity;
use serde::Serialize;
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

/// The summary, serialised as it stands: at 10,000 units a `serde_json::Value`
/// of it took some 50 MB at the run's peak, beside the workbook being written.
/// Its fields are in the order the bytes have always had.
#[derive(Serialize)]
pub struct Summary<'a> {
    period: crate::period::Period,
    due: String,
    as_of: String,
    units_from_registry: bool,
    expected: usize,
    received: usize,
    on_time: usize,
    late: usize,
    missing: usize,
    invalid: usize,
    not_yet_due: usize,
    unknown_unit: usize,
    wrong_period: usize,
    superseded: usize,
    errors: usize,
    warnings: usize,
    files: FileCounts,
    totals: Totals<'a>,
    reported: Reported<'a>,
    rates: Rates<'a>,
    units: Vec<UnitJson<'a>>,
    inputs: Vec<InputJson<'a>>,
    findings: Vec<FindingJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    compare: Option<CompareJson<'a>>,
}

#[derive(Serialize)]
struct FileCounts {
    read: usize,
    skipped: usize,
    unreadable: usize,
}

/// Each indicator's total, for those some unit reported.
struct Totals<'a>(&'a [crate::collect::IndicatorTotal]);

impl Serialize for Totals<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().filter_map(|t| Some((&t.code, t.total?))))
    }
}

/// How many units reported each indicator.
struct Reported<'a>(&'a [crate::collect::IndicatorTotal]);

impl Serialize for Reported<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|t| (&t.code, t.reported)))
    }
}

/// Each rate, to two decimals (null where it cannot be worked out).
struct Rates<'a>(&'a [crate::collect::Rate]);

impl Serialize for Rates<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rounded = |v: f64| (v * 100.0).round() / 100.0;
        s.collect_map(self.0.iter().map(|r| (&r.code, r.value.map(rounded))))
    }
}

/// The summary of a consolidation, for `--json`.
pub fn summary(c: &Consolidation) -> Summary<'_> {
    let n = &c.counts;
    let reasons = Reasons::new(c);
    let units = c
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
    Summary {
        period: c.period,
        due: c.due.to_string(),
        as_of: c.as_of.to_string(),
        units_from_registry: c.from_registry,
        expected: n.expected,
        received: n.received,
        on_time: n.on_time,
        late: n.late,
        missing: n.missing,
        invalid: n.invalid,
        not_yet_due: n.not_yet_due,
        unknown_unit: n.unknown_unit,
        wrong_period: n.wrong_period,
        superseded: n.superseded,
        errors: n.errors,
        warnings: n.warnings,
        files: FileCounts {
            read: n.files_read,
            skipped: n.files_skipped,
            unreadable: n.files_unreadable,
        },
        totals: Totals(&c.totals),
        reported: Reported(&c.totals),
        rates: Rates(&c.rates),
        units,
        inputs: inputs(c),
        findings: c.findings.iter().map(FindingJson::of).collect(),
        compare: c.comparison.as_ref().map(CompareJson::of),
    }
}

/// The earlier period beside this one: its totals exactly as its own summary
/// gave them, its submission figures (null where its long CSV cannot say) and
/// the units found in only one of the two periods.
#[derive(Serialize)]
struct CompareJson<'a> {
    period: crate::period::Period,
    totals: Totals<'a>,
    expected: Option<usize>,
    received: usize,
    on_time: Option<usize>,
    units_only_this_period: &'a [String],
    units_only_earlier: Vec<&'a str>,
}

impl<'a> CompareJson<'a> {
    fn of(cmp: &'a crate::collect::compare::Comparison) -> CompareJson<'a> {
        CompareJson {
            period: cmp.period,
            totals: Totals(&cmp.totals),
            expected: cmp.counts.expected,
            received: cmp.counts.received,
            on_time: cmp.counts.on_time,
            units_only_this_period: &cmp.only_now,
            units_only_earlier: cmp.only_earlier.iter().map(|(c, _)| c.as_str()).collect(),
        }
    }
}

/// An input file and what became of it, with the role of each submission read
/// from it, so a script can tell unknown units, other periods and unreadable
/// files apart.
#[derive(Serialize)]
struct InputJson<'a> {
    path: &'a str,
    status: &'static str,
    reason: Option<&'a str>,
    submissions: Vec<SubmissionJson<'a>>,
}

#[derive(Serialize)]
struct SubmissionJson<'a> {
    unit: &'a Option<String>,
    period: Option<crate::period::Period>,
    sheet: &'a str,
    role: crate::collect::Role,
}

/// Every input file with what became of it.
fn inputs(c: &Consolidation) -> Vec<InputJson<'_>> {
    // Indexed by file: a run of 10,000 files must not compare every pair.
    let with_errors: HashSet<&str> = c
        .findings
        .iter()
        .filter(|x| x.severity == Severity::Error)
        .map(|x| x.file.as_str())
        .collect();
    let mut read_from: HashMap<&str, Vec<SubmissionJson>> = HashMap::new();
    for e in &c.entries {
        read_from
            .entry(e.submission.file.as_str())
            .or_default()
            .push(SubmissionJson {
                unit: &e.submission.unit,
                period: e.submission.period,
                sheet: &e.submission.sheet,
                role: e.role,
            });
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
            InputJson {
                path: shown,
                status,
                reason,
                submissions,
            }
        })
        .collect()
}

/// A finding, located.
#[derive(Serialize)]
struct FindingJson<'a> {
    severity: Severity,
    file: &'a str,
    sheet: &'a Option<String>,
    cell: &'a Option<String>,
    unit: &'a Option<String>,
    indicator: &'a Option<String>,
    value: &'a Option<String>,
    message: &'a str,
}

impl<'a> FindingJson<'a> {
    fn of(f: &'a crate::finding::Finding) -> FindingJson<'a> {
        FindingJson {
            severity: f.severity,
            file: &f.file,
            sheet: &f.sheet,
            cell: &f.cell,
            unit: &f.unit,
            indicator: &f.indicator,
            value: &f.value,
            message: &f.message,
        }
    }
}
