//! Stage 4, collect: every file's submissions, the registry and the receipts log
//! become the period's picture: who is on time, late, missing or invalid, which
//! submission of each unit is used, and the totals.
//!
//! The rules are the reporting contract's: the receipts log is the best source of
//! a date received, then the date written on the form, then the file's time
//! (an estimate, and flagged). A unit's latest submission wins; a tie is an error,
//! broken by the file path so that runs are reproducible. Unknown units and other
//! periods are listed and never added.

mod as_of;
mod codes;
pub mod compare;
pub mod judged;
pub mod reasons;
pub mod screening;

use crate::batch::{FileReport, Outcome};
use crate::finding::{self, Finding, FindingKind, Severity};
use crate::inputs::Input;
use crate::parse::Submission;
use crate::period::Period;
use crate::receipts::{Receipts, file_key};
use crate::registry::{Registry, Unit};
use crate::schema::Schema;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A registered unit's standing for the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    OnTime,
    Late,
    Missing,
    Invalid,
    NotYetDue,
}

/// Where a date received came from, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The officer's receipts log.
    Receipts,
    /// The `Date` of the mail the file came attached to.
    Mail,
    /// The `Ngày báo cáo` written on the form.
    Form,
    /// The file's modification time: an estimate.
    FileTime,
}

/// When a submission was received, and how we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    pub date: NaiveDate,
    pub source: DateSource,
}

/// What a usable submission counts as. Each counts once, in the first that
/// applies: unknown unit, other period, superseded; else it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Used,
    UnknownUnit,
    WrongPeriod,
    Superseded,
}

/// A usable submission with its date received and role.
#[derive(Debug, Clone)]
pub struct Entry {
    pub submission: Submission,
    /// The base name of its file.
    pub file_name: String,
    /// Who sent it, when it came attached to a mail (`From`).
    pub sender: Option<String>,
    pub received: Received,
    pub role: Role,
}

/// A unit's standing for the period.
#[derive(Debug, Clone)]
pub struct UnitStatus {
    pub unit: Unit,
    pub status: Status,
    pub received: Option<Received>,
    pub days_late: Option<i64>,
    /// The files its submissions (or receipts) came from, the used one first.
    pub files: Vec<String>,
    /// The used entry, for on-time and late units.
    pub entry: Option<usize>,
    /// For an invalid unit, why the files its receipts name are not usable.
    pub reason: Option<String>,
}

/// One unit type's part of a total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeTotal {
    pub unit_type: String,
    pub total: Option<u64>,
    pub reported: usize,
}

/// An indicator's total over the used submissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorTotal {
    pub code: String,
    /// `None` when no unit reported it.
    pub total: Option<u64>,
    /// How many units reported it (a `-` counts, `...` does not).
    pub reported: usize,
    pub by_type: Vec<TypeTotal>,
}

/// A derived rate: `scale * total(numerator) / total(denominator)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub code: String,
    /// `None` when the denominator is 0 or either side has no data.
    pub value: Option<f64>,
    pub by_type: Vec<(String, Option<f64>)>,
}

/// The counts of the period, as the JSON summary and the report show them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub expected: usize,
    pub received: usize,
    pub on_time: usize,
    pub late: usize,
    pub missing: usize,
    pub invalid: usize,
    pub not_yet_due: usize,
    pub unknown_unit: usize,
    pub wrong_period: usize,
    pub superseded: usize,
    pub errors: usize,
    pub warnings: usize,
    pub files_read: usize,
    pub files_skipped: usize,
    pub files_unreadable: usize,
}

/// A file's record, without its submissions (which moved into entries).
#[derive(Debug, Clone)]
pub struct FileRecord {
    pub input: Input,
    pub name: String,
    pub size: u64,
    pub sha256: Option<String>,
    pub outcome: Outcome,
}

/// The period's whole picture: input to every output.
#[derive(Debug)]
pub struct Consolidation {
    pub period: Period,
    pub due: NaiveDate,
    pub as_of: NaiveDate,
    /// False when no registry was given: the units are those that submitted.
    pub from_registry: bool,
    pub units: Vec<UnitStatus>,
    pub entries: Vec<Entry>,
    pub totals: Vec<IndicatorTotal>,
    pub rates: Vec<Rate>,
    pub findings: Vec<Finding>,
    pub files: Vec<FileRecord>,
    pub counts: Counts,
    /// The earlier period beside this one (`--compare`), set by [`compare::compare`].
    pub comparison: Option<compare::Comparison>,
}

/// What the period is judged by.
pub struct Settings<'a> {
    pub schema: &'a Schema,
    pub period: Period,
    pub as_of: NaiveDate,
    pub registry: Option<&'a Registry>,
    pub receipts: Option<&'a Receipts>,
}

/// Consolidates the period.
pub fn consolidate(
    reports: Vec<FileReport>,
    walk_notes: Vec<Finding>,
    settings: &Settings,
) -> Consolidation {
    let due = settings.schema.due(settings.period);
    let mut findings = walk_notes;
    let mut files = Vec::with_capacity(reports.len());
    let mut entries = Vec::with_capacity(reports.iter().map(|r| r.submissions.len()).sum());
    for mut report in reports {
        findings.extend(std::mem::take(&mut report.findings));
        let submissions = std::mem::take(&mut report.submissions);
        for sub in submissions.into_iter().filter(Submission::is_usable) {
            let received = date_received(&sub, &report, settings);
            if received.source == DateSource::FileTime {
                findings.push(
                    Finding::warning(
                        FindingKind::EstimatedDate,
                        &sub.file,
                        format!(
                            "không có ngày nhận trong sổ nhận, biểu không ghi ngày báo cáo: tạm lấy ngày sửa tệp {} (ước tính)",
                            received.date.format("%d/%m/%Y")
                        ),
                    )
                    .sheet(&sub.sheet)
                    .unit(sub.unit.as_deref()),
                );
            }
            entries.push(Entry {
                submission: sub,
                file_name: report.name.clone(),
                sender: report.mail.as_ref().and_then(|m| m.from.clone()),
                received,
                role: Role::Used,
            });
        }
        files.push(FileRecord {
            input: report.input,
            name: report.name,
            size: report.size,
            sha256: report.sha256,
            outcome: report.outcome,
        });
    }

    as_of::drop_received_later(
        &mut entries,
        settings.receipts,
        settings.as_of,
        &mut findings,
    );
    let derived_registry;
    let registry = match settings.registry {
        Some(r) => r,
        None => {
            derived_registry = registry_from_entries(&entries, settings.period);
            &derived_registry
        }
    };
    codes::match_stripped(&mut entries, registry, &mut findings);
    assign_roles(&mut entries, registry, settings.period, &mut findings);
    let units = unit_statuses(&entries, &files, registry, settings, due, &mut findings);
    let (totals, rates) = totals(&entries, &units, settings.schema);
    findings.extend(screening::screen(&entries, &units, settings.schema, None));
    finding::sort(&mut findings);
    let counts = count(&units, &entries, &findings, &files);
    Consolidation {
        period: settings.period,
        due,
        as_of: settings.as_of,
        from_registry: settings.registry.is_some(),
        units,
        entries,
        totals,
        rates,
        findings,
        files,
        counts,
        comparison: None,
    }
}

/// The date received, best source first: the receipts log (naming the file,
/// or a container it came in), the mail it came attached to, the form's date,
/// the file's time.
fn date_received(sub: &Submission, report: &FileReport, settings: &Settings) -> Received {
    let unit = sub.unit.as_deref().unwrap_or_default();
    let names: Vec<&str> = std::iter::once(report.name.as_str())
        .chain(report.within.iter().map(String::as_str))
        .collect();
    if let Some(r) = settings.receipts.and_then(|log| log.find_in(&names, unit)) {
        return Received {
            date: r.received,
            source: DateSource::Receipts,
        };
    }
    if let Some(date) = report.mail.as_ref().and_then(|m| m.date) {
        return Received {
            date,
            source: DateSource::Mail,
        };
    }
    let modified = report.modified;
    if let Some(date) = sub.report_date {
        return Received {
            date,
            source: DateSource::Form,
        };
    }
    Received {
        date: modified.unwrap_or(settings.as_of),
        source: DateSource::FileTime,
    }
}

/// Without a registry, the units are those that sent a usable submission for the
/// period, in code order.
fn registry_from_entries(entries: &[Entry], period: Period) -> Registry {
    // The first submission of a unit names it.
    let mut units: BTreeMap<&str, &str> = BTreeMap::new();
    for e in entries
        .iter()
        .filter(|e| e.submission.period == Some(period))
    {
        let code = e.submission.unit.as_deref().unwrap_or_default();
        let name = e.submission.unit_name.as_deref().unwrap_or_default();
        units.entry(code).or_insert(name);
    }
    let units = units
        .into_iter()
        .map(|(code, name)| Unit::unregistered(code, name))
        .collect();
    Registry::from_units(units)
}

/// Marks unknown units, other periods, and all but the latest submission of each
/// unit; flags ties.
fn assign_roles(
    entries: &mut [Entry],
    registry: &Registry,
    period: Period,
    findings: &mut Vec<Finding>,
) {
    let mut by_unit: HashMap<&str, Vec<usize>> = HashMap::new();
    for e in entries.iter_mut() {
        let unit = e.submission.unit.as_deref().unwrap_or_default();
        if registry.get(unit).is_none() {
            e.role = Role::UnknownUnit;
        } else if e.submission.period != Some(period) {
            e.role = Role::WrongPeriod;
        }
    }
    for (i, e) in entries.iter().enumerate() {
        if e.role == Role::Used {
            by_unit
                .entry(e.submission.unit.as_deref().unwrap_or_default())
                .or_default()
                .push(i);
        }
    }
    let mut superseded = Vec::new();
    for (unit, mut idx) in by_unit {
        if idx.len() < 2 {
            continue;
        }
        idx.sort_by(|&a, &b| {
            let (ea, eb) = (&entries[a], &entries[b]);
            (
                ea.received.date,
                &ea.submission.file,
                &ea.submission.unit_cell,
            )
                .cmp(&(
                    eb.received.date,
                    &eb.submission.file,
                    &eb.submission.unit_cell,
                ))
        });
        let (winner, rest) = idx.split_last().expect("two or more");
        let runner_up = &entries[*rest.last().expect("two or more")];
        let used = &entries[*winner];
        if runner_up.received.date == used.received.date {
            let (other, chosen) = crate::parse::where_each(&runner_up.submission, &used.submission);
            findings.push(
                Finding::error(
                    FindingKind::Tie,
                    &used.submission.file,
                    format!(
                        "đơn vị {unit} có nhiều báo cáo cùng ngày nhận {}: {other} và {chosen}; dùng {chosen} (theo thứ tự tên tệp), đề nghị xác định bản thay thế",
                        used.received.date.format("%d/%m/%Y"),
                    ),
                )
                .sheet(&used.submission.sheet)
                .unit(Some(unit)),
            );
        }
        superseded.extend_from_slice(rest);
    }
    for i in superseded {
        entries[i].role = Role::Superseded;
    }
}

fn unit_statuses(
    entries: &[Entry],
    files: &[FileRecord],
    registry: &Registry,
    settings: &Settings,
    due: NaiveDate,
    findings: &mut Vec<Finding>,
) -> Vec<UnitStatus> {
    let mut used: HashMap<&str, usize> = HashMap::new();
    let mut files_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        let unit = e.submission.unit.as_deref().unwrap_or_default();
        if e.role == Role::Used {
            used.insert(unit, i);
        }
        if matches!(e.role, Role::Used | Role::Superseded) {
            files_of.entry(unit).or_default().push(&e.submission.file);
        }
    }
    // Files by name, for receipts that name a file (none without a receipts log).
    let mut names: HashMap<String, Vec<&FileRecord>> = HashMap::new();
    if settings.receipts.is_some() {
        for f in files {
            names.entry(file_key(&f.name)).or_default().push(f);
        }
    }
    registry
        .expected(settings.period)
        .map(|unit| {
            if let Some(&i) = used.get(unit.code.as_str()) {
                let e = &entries[i];
                let late = (e.received.date - due).num_days();
                let mut unit_files: Vec<String> = vec![e.submission.file.clone()];
                for f in files_of.get(unit.code.as_str()).into_iter().flatten() {
                    if !unit_files.iter().any(|u| u == f) {
                        unit_files.push(f.to_string());
                    }
                }
                return UnitStatus {
                    unit: unit.clone(),
                    status: if late > 0 {
                        Status::Late
                    } else {
                        Status::OnTime
                    },
                    received: Some(e.received),
                    days_late: (late > 0).then_some(late),
                    files: unit_files,
                    entry: Some(i),
                    reason: None,
                };
            }
            if let Some(status) = invalid_by_receipt(unit, settings, &names, findings) {
                return status;
            }
            UnitStatus {
                unit: unit.clone(),
                status: if settings.as_of <= due {
                    Status::NotYetDue
                } else {
                    Status::Missing
                },
                received: None,
                days_late: None,
                files: Vec::new(),
                entry: None,
                reason: None,
            }
        })
        .collect()
}

/// A unit with nothing usable, whose receipt names a file: that file was
/// unreadable, missing, or held nothing usable of that unit, so the unit is invalid.
fn invalid_by_receipt(
    unit: &Unit,
    settings: &Settings,
    names: &HashMap<String, Vec<&FileRecord>>,
    findings: &mut Vec<Finding>,
) -> Option<UnitStatus> {
    let receipts = settings.receipts?;
    let named: Vec<_> = receipts
        .naming_unit_and_file(&unit.code)
        .filter(|r| r.received <= settings.as_of)
        .collect();
    let latest = named.iter().max_by_key(|r| (r.received, r.line))?;
    let mut files = Vec::new();
    let mut reasons = Vec::new();
    for r in &named {
        let name = r.file.as_deref().unwrap_or_default();
        match names.get(&file_key(name)) {
            Some(found) => {
                for f in found {
                    files.push(f.input.shown.clone());
                    {
                        let (kind, why) = unusable(f);
                        findings.push(
                            Finding::error(
                                kind,
                                &f.input.shown,
                                format!(
                                    "đơn vị {} không hợp lệ: sổ nhận (dòng {}) ghi đơn vị nộp tệp này, nhưng {why}",
                                    unit.code, r.line
                                ),
                            )
                            .unit(Some(&unit.code)),
                        );
                        reasons.push(why);
                    }
                }
            }
            None => {
                findings.push(
                    Finding::warning(
                        FindingKind::ReceiptFileMissing,
                        name,
                        format!(
                            "sổ nhận (dòng {}) ghi đơn vị {} nộp tệp '{name}' nhưng không tìm thấy tệp này trong thư mục đầu vào",
                            r.line, unit.code
                        ),
                    )
                    .unit(Some(&unit.code)),
                );
                files.push(name.to_string());
            }
        }
    }
    files.sort();
    files.dedup();
    reasons.sort();
    reasons.dedup();
    Some(UnitStatus {
        unit: unit.clone(),
        status: Status::Invalid,
        received: Some(Received {
            date: latest.received,
            source: DateSource::Receipts,
        }),
        days_late: None,
        files,
        entry: None,
        reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
    })
}

/// Why a file a receipt names gave nothing usable for the unit, and the kind
/// of finding that says so: unreadable, named for what it is and not read, or
/// read (or opened) with no usable submission of the unit inside.
fn unusable(file: &FileRecord) -> (FindingKind, String) {
    match &file.outcome {
        Outcome::Unreadable(why) => (
            FindingKind::Unreadable,
            format!("tệp không đọc được: {why}"),
        ),
        Outcome::Skipped(why) => (FindingKind::NotRead, why.clone()),
        Outcome::Opened(_) => (
            FindingKind::NoValues,
            "trong tệp không có báo cáo dùng được của đơn vị này".into(),
        ),
        Outcome::Read(_) => (
            FindingKind::NoValues,
            "tệp không có báo cáo dùng được của đơn vị này (xem các lỗi của tệp)".into(),
        ),
    }
}

fn totals(
    entries: &[Entry],
    units: &[UnitStatus],
    schema: &Schema,
) -> (Vec<IndicatorTotal>, Vec<Rate>) {
    let used: Vec<(Option<usize>, &Submission)> = units
        .iter()
        .filter_map(|u| {
            let type_index = schema
                .unit_types
                .iter()
                .position(|t| t.code == u.unit.unit_type);
            u.entry.map(|i| (type_index, &entries[i].submission))
        })
        .collect();
    // The province figure and each unit type's, per indicator:
    // (total, units that reported it).
    type Sum = (Option<u64>, usize);
    let codes = schema.count_codes();
    let mut all: Vec<Sum> = vec![(None, 0); codes.len()];
    let mut by_type: Vec<Vec<Sum>> = vec![vec![(None, 0); schema.unit_types.len()]; codes.len()];
    for (t, sub) in &used {
        for (j, n) in sub.counts(&codes).into_iter().enumerate() {
            let Some(n) = n else { continue };
            let typed = t.map(|t| &mut by_type[j][t]);
            for acc in std::iter::once(&mut all[j]).chain(typed) {
                acc.0 = Some(acc.0.unwrap_or(0u64).saturating_add(n));
                acc.1 += 1;
            }
        }
    }
    let totals: Vec<IndicatorTotal> = codes
        .iter()
        .zip(all)
        .zip(by_type)
        .map(|((code, (total, reported)), by_type)| {
            let by_type = schema
                .unit_types
                .iter()
                .zip(by_type)
                .map(|(t, (total, reported))| TypeTotal {
                    unit_type: t.code.clone(),
                    total,
                    reported,
                })
                .collect();
            IndicatorTotal {
                code: code.to_string(),
                total,
                reported,
                by_type,
            }
        })
        .collect();
    let find = |code: &str| totals.iter().find(|t| t.code == code);
    let rate = |scale: f64, num: Option<u64>, den: Option<u64>| match (num, den) {
        (Some(n), Some(d)) if d > 0 => Some(scale * n as f64 / d as f64),
        _ => None,
    };
    let rates = schema
        .derived
        .iter()
        .map(|d| {
            let (num, den) = (find(&d.numerator), find(&d.denominator));
            let value = rate(
                d.scale,
                num.and_then(|t| t.total),
                den.and_then(|t| t.total),
            );
            let by_type = schema
                .unit_types
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let part = |x: Option<&IndicatorTotal>| x.and_then(|x| x.by_type[i].total);
                    (t.code.clone(), rate(d.scale, part(num), part(den)))
                })
                .collect();
            Rate {
                code: d.code.clone(),
                value,
                by_type,
            }
        })
        .collect();
    (totals, rates)
}

fn count(
    units: &[UnitStatus],
    entries: &[Entry],
    findings: &[Finding],
    files: &[FileRecord],
) -> Counts {
    let status = |s| units.iter().filter(|u| u.status == s).count();
    let role = |r| entries.iter().filter(|e| e.role == r).count();
    let severity = |s| findings.iter().filter(|f| f.severity == s).count();
    let outcome = |f: fn(&Outcome) -> bool| files.iter().filter(|r| f(&r.outcome)).count();
    Counts {
        expected: units.len(),
        received: status(Status::OnTime) + status(Status::Late),
        on_time: status(Status::OnTime),
        late: status(Status::Late),
        missing: status(Status::Missing),
        invalid: status(Status::Invalid),
        not_yet_due: status(Status::NotYetDue),
        unknown_unit: role(Role::UnknownUnit),
        wrong_period: role(Role::WrongPeriod),
        superseded: role(Role::Superseded),
        errors: severity(Severity::Error),
        warnings: severity(Severity::Warning),
        files_read: outcome(|o| matches!(o, Outcome::Read(_) | Outcome::Opened(_))),
        files_skipped: outcome(|o| matches!(o, Outcome::Skipped(_))),
        files_unreadable: outcome(|o| matches!(o, Outcome::Unreadable(_))),
    }
}

impl Status {
    /// The Vietnamese wording of the status.
    pub fn label(self) -> &'static str {
        match self {
            Status::OnTime => "Đúng hạn",
            Status::Late => "Trễ hạn",
            Status::Missing => "Chưa nộp",
            Status::Invalid => "Không hợp lệ",
            Status::NotYetDue => "Chưa đến hạn",
        }
    }
}

impl DateSource {
    /// The Vietnamese wording of the source.
    pub fn label(self) -> &'static str {
        match self {
            DateSource::Receipts => "Sổ nhận văn bản",
            DateSource::Mail => "Ngày gửi thư",
            DateSource::Form => "Ngày ghi trên biểu",
            DateSource::FileTime => "Ngày sửa tệp (ước tính)",
        }
    }
}

impl Role {
    /// The Vietnamese wording of the role.
    pub fn label(self) -> &'static str {
        match self {
            Role::Used => "Được sử dụng",
            Role::UnknownUnit => "Đơn vị không có trong danh sách",
            Role::WrongPeriod => "Khác kỳ báo cáo",
            Role::Superseded => "Đã được thay thế",
        }
    }
}
