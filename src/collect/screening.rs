//! Screening: figures that look mistyped (an extra zero, 40100 for 401), found
//! the way health information systems such as DHIS2 find them, and raised as
//! warnings only. No figure is ever changed or left out because of screening.
//!
//! Two comparisons, thresholds from the schema's `[screening]` table (the rule
//! and the reasons for each threshold are in `docs/screening.md`):
//! - against the unit's own figure of the earlier period (with `--compare`):
//!   a change by a factor of 10 or more either way, when the difference is large
//!   enough to matter, and an exact ×10 or ÷10;
//! - against the units of the same type this period (always): the modified
//!   z-score (Iglewicz and Hoaglin) on ln(1+x), high side only. Counts of
//!   communes and departments are skewed and full of zeros, which makes the
//!   z-score on raw figures (and on the mean and standard deviation) flag big
//!   units, not mistakes; on the log scale a unit ten times the size of its
//!   peers is as far from them as one a tenth of their size, and only the high
//!   side can inflate the province's total.
//!
//! One warning per unit and indicator, naming every comparison it failed.

use super::compare::Comparison;
use super::{Entry, UnitStatus};
use crate::finding::{Finding, FindingKind};
use crate::parse::Submission;
use crate::period::Period;
use crate::schema::{Schema, Screening};
use std::collections::{BTreeMap, HashMap};

/// The modified z-score's constant: the MAD of a normal distribution is
/// 0.6745 of its standard deviation.
const MAD_TO_SIGMA: f64 = 0.6745;

/// One used submission, with its counts in schema order.
struct Figures<'a> {
    unit: &'a UnitStatus,
    submission: &'a Submission,
    counts: Vec<Option<u64>>,
}

/// The screening warnings for this period's used submissions.
pub fn screen(
    entries: &[Entry],
    units: &[UnitStatus],
    schema: &Schema,
    earlier: Option<&Comparison>,
) -> Vec<Finding> {
    let codes = schema.count_codes();
    let th = &schema.screening;
    let used: Vec<Figures> = units
        .iter()
        .filter_map(|u| {
            let submission = &entries[u.entry?].submission;
            Some(Figures {
                unit: u,
                submission,
                counts: submission.counts(&codes),
            })
        })
        .collect();
    // (figures index, code index) to the reasons, in a stable order.
    let mut reasons: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    if let Some(cmp) = earlier {
        for (i, f) in used.iter().enumerate() {
            for (j, code) in codes.iter().enumerate() {
                let (Some(now), Some(before)) =
                    (f.counts[j], cmp.earlier_value(&f.unit.unit.code, code))
                else {
                    continue;
                };
                if let Some(why) = against_history(now, before, cmp.period, th) {
                    reasons.entry((i, j)).or_default().push(why);
                }
            }
        }
    }
    let mut by_type: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in used.iter().enumerate() {
        by_type.entry(&f.unit.unit.unit_type).or_default().push(i);
    }
    for (unit_type, members) in &by_type {
        for j in 0..codes.len() {
            let values: Vec<(usize, u64)> = members
                .iter()
                .filter_map(|&i| Some((i, used[i].counts[j]?)))
                .collect();
            for (i, why) in against_peers(&values, th) {
                let label = if unit_type.is_empty() {
                    "đơn vị chưa rõ loại hình".to_string()
                } else {
                    schema.unit_type_label(unit_type).to_string()
                };
                reasons.entry((i, j)).or_default().push(format!(
                    "{why} {} đơn vị cùng loại hình ({label}) kỳ này",
                    values.len()
                ));
            }
        }
    }
    reasons
        .into_iter()
        .map(|((i, j), why)| {
            let f = &used[i];
            let code = codes[j];
            let value = f.counts[j].unwrap_or_default();
            let label = schema.indicator(code).map_or("", |ind| ind.label.as_str());
            Finding::warning(
                FindingKind::Screening,
                &f.submission.file,
                format!(
                    "số liệu cần kiểm tra: {label} ({code}) = {}: {}; hãy hỏi lại đơn vị (số liệu vẫn được tổng hợp như đơn vị báo cáo)",
                    grouped(value),
                    why.join("; ")
                ),
            )
            .sheet(&f.submission.sheet)
            .cell(f.submission.slot(code).map(|s| s.cell.as_str()))
            .unit(Some(&f.unit.unit.code))
            .indicator(code)
            .value(value.to_string())
        })
        .collect()
}

/// Why `now` is suspicious beside the unit's own `before`, if it is.
fn against_history(now: u64, before: u64, period: Period, th: &Screening) -> Option<String> {
    let (lo, hi) = (now.min(before), now.max(before));
    let was = grouped(before);
    if lo > 0 && hi == lo * 10 && hi >= th.tenfold_min_value {
        return Some(if now > before {
            format!(
                "đúng bằng 10 lần số của chính đơn vị kỳ {period} ({was}): có thể thừa một chữ số 0"
            )
        } else {
            format!(
                "đúng bằng 1/10 số của chính đơn vị kỳ {period} ({was}): có thể thiếu một chữ số 0"
            )
        });
    }
    let factor = hi as f64 / lo.max(1) as f64;
    if factor < th.history_factor || hi - lo < th.history_min_difference {
        return None;
    }
    Some(match (now > before, lo) {
        (true, 0) => format!("kỳ {period} đơn vị báo cáo 0"),
        (false, 0) => format!("kỳ {period} đơn vị báo cáo {was}"),
        (true, _) => format!(
            "gấp {} lần số của chính đơn vị kỳ {period} ({was})",
            times(factor)
        ),
        (false, _) => format!(
            "chỉ bằng 1/{} số của chính đơn vị kỳ {period} ({was})",
            times(factor)
        ),
    })
}

/// The peers far above the others, each with the start of its reason.
fn against_peers(values: &[(usize, u64)], th: &Screening) -> Vec<(usize, String)> {
    if values.len() < th.peer_min_units {
        return Vec::new();
    }
    let logs: Vec<f64> = values.iter().map(|&(_, v)| (v as f64).ln_1p()).collect();
    let center = median(logs.clone());
    let spread = median(logs.iter().map(|l| (l - center).abs()).collect()).max(th.peer_min_spread);
    let typical = median(values.iter().map(|&(_, v)| v as f64).collect());
    values
        .iter()
        .zip(&logs)
        .filter_map(|(&(i, v), &l)| {
            let z = MAD_TO_SIGMA * (l - center) / spread;
            let far = z > th.peer_z && v as f64 >= typical + th.peer_min_difference as f64;
            far.then(|| {
                (
                    i,
                    format!(
                        "cao bất thường so với trung vị {} của",
                        grouped(typical.round() as u64)
                    ),
                )
            })
        })
        .collect()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => xs[n / 2],
        _ => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

/// A factor as a person says it: `100`, `12,5`.
fn times(factor: f64) -> String {
    if factor >= 100.0 || factor.fract() < 0.05 {
        grouped(factor.round() as u64)
    } else {
        format!("{factor:.1}").replace('.', ",")
    }
}

/// A whole number with `.` grouping thousands, as Vietnamese write it.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn th() -> Screening {
        Schema::builtin().screening
    }

    #[test]
    fn numbers_are_written_the_vietnamese_way() {
        assert_eq!(grouped(40100), "40.100");
        assert_eq!(grouped(401), "401");
        assert_eq!(grouped(1234567), "1.234.567");
        assert_eq!(times(100.0), "100");
        assert_eq!(times(12.5), "12,5");
    }

    #[test]
    fn history_finds_tenfold_jumps_and_lost_or_extra_zeros_only() {
        let th = th();
        let p: Period = "2023-H1".parse().unwrap();
        let warned = |now, before| against_history(now, before, p, &th);
        let jump = warned(40100, 401).unwrap();
        assert!(
            jump.contains("gấp 100 lần") && jump.contains("kỳ 2023-H1 (401)"),
            "{jump}"
        );
        assert!(warned(4010, 401).unwrap().contains("thừa một chữ số 0"));
        assert!(warned(40, 400).unwrap().contains("thiếu một chữ số 0"));
        assert!(warned(3, 1500).unwrap().contains("1/500"));
        assert!(warned(0, 1500).unwrap().contains("báo cáo 1.500"));
        // Ordinary changes, and big factors on small figures, are not warned.
        for (now, before) in [
            (480, 401),
            (320, 401),
            (12, 1),
            (1, 10),
            (5, 0),
            (0, 60),
            (400, 41),
        ] {
            assert_eq!(warned(now, before), None, "{now} after {before}");
        }
    }

    /// A province of 120 communes whose sizes spread thirtyfold (a city ward
    /// beside mountain communes), 26 indicators, and a second period where every
    /// figure moved by less than 25 %: at most a handful of warnings in all.
    #[test]
    fn an_honest_skewed_period_raises_at_most_a_handful() {
        let th = th();
        let p: Period = "2023-Y".parse().unwrap();
        let hash = |i: u64, j: u64| {
            let h = (i * 0x9E37_79B9 + j * 0x85EB_CA6B + 7).wrapping_mul(0xC2B2_AE35);
            ((h >> 16) % 10_000) as f64 / 10_000.0
        };
        let (mut peers, mut history) = (0, 0);
        for j in 0..26u64 {
            let rate = 1.0 + 50.0 * hash(999, j);
            let figure = |i: u64, second: bool| {
                let size = 30f64.powf(hash(i, 1000)); // 1..30, log-uniform
                let noise = 0.7 + 0.6 * hash(i, j);
                let moved = if second {
                    0.78 + 0.44 * hash(i, j + 500)
                } else {
                    1.0
                };
                (size * rate * noise * moved).round() as u64
            };
            let now: Vec<(usize, u64)> = (0..120).map(|i| (i as usize, figure(i, true))).collect();
            peers += against_peers(&now, &th).len();
            history += (0..120)
                .filter(|&i| against_history(figure(i, true), figure(i, false), p, &th).is_some())
                .count();
        }
        assert_eq!(history, 0);
        assert!(peers <= 5, "{peers} warnings from peers");
    }

    #[test]
    fn one_figure_far_above_its_peers_is_the_only_one_found() {
        let mut values: Vec<(usize, u64)> = [380, 401, 420, 350, 395, 410, 300, 450]
            .into_iter()
            .enumerate()
            .collect();
        assert!(against_peers(&values, &th()).is_empty());
        values.push((8, 40100));
        let found = against_peers(&values, &th());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 8);
        assert!(found[0].1.contains("trung vị 401"), "{}", found[0].1);
    }

    #[test]
    fn peers_are_not_judged_when_few_or_close_or_low() {
        let th = th();
        // Five units: too few to say what is usual.
        let few: Vec<(usize, u64)> = [400, 410, 390, 405, 40100]
            .into_iter()
            .enumerate()
            .collect();
        assert!(against_peers(&few, &th).is_empty());
        // All zeros but one small count: the MAD is 0, the difference too small.
        let zeros: Vec<(usize, u64)> = [0, 0, 0, 0, 0, 0, 0, 12].into_iter().enumerate().collect();
        assert!(against_peers(&zeros, &th).is_empty());
        // A figure far below the others does not inflate the total.
        let low: Vec<(usize, u64)> = [400, 410, 390, 405, 420, 380, 4]
            .into_iter()
            .enumerate()
            .collect();
        assert!(against_peers(&low, &th).is_empty());
        // Skewed but honest sizes (a city ward beside mountain communes).
        let skewed: Vec<(usize, u64)> = [40, 60, 90, 150, 200, 300, 500, 900, 1500]
            .into_iter()
            .enumerate()
            .collect();
        assert!(against_peers(&skewed, &th).is_empty());
    }
}
