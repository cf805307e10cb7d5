//! This period beside an earlier one (`aggregate --compare`): the earlier
//! period's totals for the province and each unit type, its submission
//! figures, the units found in only one of the two, and each unit's earlier
//! figures for screening. Units are matched by code alone, never by name: a
//! renamed commune is the same unit, and two communes with one name are not.

use super::screening;
use super::{Consolidation, IndicatorTotal, TypeTotal};
use crate::period::Period;
use crate::read::earlier::{EarlierPeriod, EarlierSource, EarlierUnit};
use crate::schema::{IndicatorKind, Schema};
use std::collections::BTreeSet;

/// The earlier period, ready to be shown beside this one.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub period: Period,
    pub source: EarlierSource,
    /// Every count indicator of the schema, in schema order, like
    /// `Consolidation::totals`.
    pub totals: Vec<IndicatorTotal>,
    pub counts: EarlierCounts,
    /// Units with figures this period and none in the earlier one (codes).
    pub only_now: Vec<String>,
    /// Units with figures in the earlier period and none in this one.
    pub only_earlier: Vec<(String, String)>,
    /// The earlier units, sorted by code.
    pub units: Vec<EarlierUnit>,
}

/// The earlier period's submission figures. The long CSV lists only units
/// with figures, so it knows neither how many were expected nor who was on time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierCounts {
    pub expected: Option<usize>,
    pub received: usize,
    pub on_time: Option<usize>,
}

/// Why the earlier file cannot be set beside this period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    #[error("tệp so sánh là số liệu của chính kỳ {0}, không phải một kỳ trước")]
    SamePeriod(Period),
    #[error(
        "tệp so sánh là số liệu của kỳ {earlier}, sau kỳ đang tổng hợp {now}; hãy chọn tệp của một kỳ trước"
    )]
    LaterPeriod { earlier: Period, now: Period },
    #[error(
        "tệp so sánh dùng mã chỉ tiêu không có trong cấu trúc biểu đang dùng ({0}): đó là cấu trúc biểu khác, không so sánh được"
    )]
    OtherSchema(String),
}

impl Comparison {
    /// A unit's earlier figure for an indicator, if it reported one.
    pub fn earlier_value(&self, unit: &str, code: &str) -> Option<u64> {
        let at = self
            .units
            .binary_search_by(|u| u.code.as_str().cmp(unit))
            .ok()?;
        self.units[at].values.get(code).copied()
    }

    /// The earlier total of an indicator.
    pub fn total(&self, code: &str) -> Option<&IndicatorTotal> {
        self.totals.iter().find(|t| t.code == code)
    }
}

/// Refuses an earlier file of this period, of a later one, or with indicator
/// codes this schema does not count (another schema's figures). Cheap: the
/// command line asks it before reading the inputs.
pub fn comparable(
    earlier: &EarlierPeriod,
    now: Period,
    schema: &Schema,
) -> Result<(), CompareError> {
    if earlier.period == now {
        return Err(CompareError::SamePeriod(now));
    }
    if earlier.period > now {
        return Err(CompareError::LaterPeriod {
            earlier: earlier.period,
            now,
        });
    }
    let foreign: BTreeSet<&str> = earlier
        .units
        .iter()
        .flat_map(|u| u.values.keys())
        .map(String::as_str)
        .filter(|code| schema.indicator(code).map(|i| i.kind) != Some(IndicatorKind::Count))
        .collect();
    if foreign.is_empty() {
        Ok(())
    } else {
        let listed: Vec<&str> = foreign.into_iter().collect();
        Err(CompareError::OtherSchema(listed.join(", ")))
    }
}

/// Sets the earlier period beside the consolidation (once [`comparable`]),
/// then screens every figure against the unit's own earlier one too.
pub fn compare(
    c: &mut Consolidation,
    earlier: EarlierPeriod,
    schema: &Schema,
) -> Result<(), CompareError> {
    comparable(&earlier, c.period, schema)?;
    let comparison = Comparison {
        period: earlier.period,
        source: earlier.source,
        totals: totals(&earlier.units, schema),
        counts: counts(&earlier),
        only_now: only_now(c, &earlier.units),
        only_earlier: only_earlier(c, &earlier.units),
        units: earlier.units,
    };
    c.findings
        .retain(|f| f.kind != crate::finding::FindingKind::Screening);
    c.findings.extend(screening::screen(
        &c.entries,
        &c.units,
        schema,
        Some(&comparison),
    ));
    crate::finding::sort(&mut c.findings);
    c.counts = super::count(&c.units, &c.entries, &c.findings, &c.files);
    c.comparison = Some(comparison);
    Ok(())
}

/// The earlier totals, added the way this period's are: the province, and each
/// unit type of the schema (a unit of a type the schema lacks counts in the
/// province only).
fn totals(units: &[EarlierUnit], schema: &Schema) -> Vec<IndicatorTotal> {
    schema
        .count_codes()
        .into_iter()
        .map(|code| {
            let reported = || units.iter().filter_map(|u| Some((u, *u.values.get(code)?)));
            let (total, count) = add(reported().map(|(_, v)| v));
            let by_type = schema
                .unit_types
                .iter()
                .map(|t| {
                    let of_type = reported().filter(|(u, _)| u.unit_type == t.code);
                    let (total, reported) = add(of_type.map(|(_, v)| v));
                    TypeTotal {
                        unit_type: t.code.clone(),
                        total,
                        reported,
                    }
                })
                .collect();
            IndicatorTotal {
                code: code.to_string(),
                total,
                reported: count,
                by_type,
            }
        })
        .collect()
}

/// The sum of the figures reported (none when none was) and how many there were.
fn add(values: impl Iterator<Item = u64>) -> (Option<u64>, usize) {
    values.fold((None, 0), |(total, n), v| {
        (Some(total.unwrap_or(0u64).saturating_add(v)), n + 1)
    })
}

fn counts(earlier: &EarlierPeriod) -> EarlierCounts {
    let with_status = earlier.units.iter().any(|u| u.status.is_some());
    let status = |s: &str| {
        earlier
            .units
            .iter()
            .filter(|u| u.status.as_deref() == Some(s))
            .count()
    };
    if with_status {
        EarlierCounts {
            expected: Some(earlier.units.len()),
            received: status("on_time") + status("late"),
            on_time: Some(status("on_time")),
        }
    } else {
        EarlierCounts {
            expected: None,
            received: earlier.units.iter().filter(|u| has_figures(u)).count(),
            on_time: None,
        }
    }
}

fn has_figures(u: &EarlierUnit) -> bool {
    !u.values.is_empty()
}

fn only_now(c: &Consolidation, earlier: &[EarlierUnit]) -> Vec<String> {
    let before: BTreeSet<&str> = earlier
        .iter()
        .filter(|u| has_figures(u))
        .map(|u| u.code.as_str())
        .collect();
    let mut codes: Vec<String> = c
        .units
        .iter()
        .filter(|u| u.entry.is_some() && !before.contains(u.unit.code.as_str()))
        .map(|u| u.unit.code.clone())
        .collect();
    codes.sort();
    codes
}

fn only_earlier(c: &Consolidation, earlier: &[EarlierUnit]) -> Vec<(String, String)> {
    let now: BTreeSet<&str> = c
        .units
        .iter()
        .filter(|u| u.entry.is_some())
        .map(|u| u.unit.code.as_str())
        .collect();
    earlier
        .iter()
        .filter(|u| has_figures(u) && !now.contains(u.code.as_str()))
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect()
}

/// The change from `earlier` to `now` in percent, to one decimal (so that a
/// change of -0.02 % shows as 0.0, not -0.0); none without both, or from 0.
pub fn change_percent(now: Option<u64>, earlier: Option<u64>) -> Option<f64> {
    match (now, earlier) {
        (Some(n), Some(e)) if e > 0 => {
            let pct = ((n as f64 - e as f64) * 1000.0 / e as f64).round() / 10.0;
            Some(if pct == 0.0 { 0.0 } else { pct })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_in_percent_to_one_decimal() {
        assert_eq!(change_percent(Some(1795), Some(1130)), Some(58.8));
        assert_eq!(change_percent(Some(2_385_181), Some(2_385_722)), Some(0.0));
        assert!(
            change_percent(Some(2_385_181), Some(2_385_722))
                .unwrap()
                .is_sign_positive()
        );
        assert_eq!(change_percent(Some(5), Some(0)), None);
        assert_eq!(change_percent(None, Some(5)), None);
    }
}
