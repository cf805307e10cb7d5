//! Values as Vietnamese officers write them: whole numbers, the statistical `-` and
//! `...` conventions, and dates.
//!
//! A `count` indicator holds a non-negative whole number. Text is read the
//! Vietnamese way: `.` or a (no-break) space groups thousands in groups of three,
//! `,` is the decimal mark (so `12,0` is 12, but `12,5` is not whole). Anything
//! that could be read two ways (`1,234`: 1.234 or 1234?) is refused rather than
//! guessed, because a wrong total is worse than a question to the unit.

use crate::read::CellValue;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// What one indicator cell reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reported {
    /// A whole number (a `-` is 0: "no occurrence").
    Count(u64),
    /// `...`: occurred, but not collected. Not a value, and not a missing one.
    NotCollected,
    /// A free-text answer (group IX), NFC-normalized and trimmed.
    Text(String),
}

/// Why a count cell could not be read. The `Display` text is for the officer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("không phải số nguyên")]
    Fraction,
    #[error("là số âm")]
    Negative,
    #[error("không rõ dấu phẩy là dấu thập phân hay phân cách hàng nghìn")]
    AmbiguousComma,
    #[error("dấu chấm phải phân cách hàng nghìn theo nhóm ba chữ số")]
    BadGrouping,
    #[error("không phải là số")]
    NotNumber,
    #[error("là ô ngày tháng, không phải số")]
    DateCell,
    #[error("là giá trị đúng/sai, không phải số")]
    Bool,
    #[error("ô báo lỗi công thức")]
    CellError,
    #[error(
        "là công thức mà chương trình không tính được và tệp không lưu kết quả đáng tin; hãy mở tệp bằng Excel và lưu lại"
    )]
    UncomputedFormula,
    #[error("là số quá lớn")]
    TooLarge,
}

/// The largest count accepted: every integer up to 2^53 is exact in an `f64`, so
/// totals written to a workbook stay exact.
pub const MAX_COUNT: u64 = 1 << 53;

/// Reads a `count` cell. `Ok(None)` is an empty cell: not reported, not 0.
pub fn count(cell: Option<&CellValue>) -> Result<Option<Reported>, ValueError> {
    match cell {
        None => Ok(None),
        Some(CellValue::Number(n)) => count_from_number(*n).map(Some),
        Some(CellValue::Text(t)) => count_from_text(t),
        Some(CellValue::Date(_)) => Err(ValueError::DateCell),
        Some(CellValue::Bool(_)) => Err(ValueError::Bool),
        Some(CellValue::Error(_)) => Err(ValueError::CellError),
        Some(CellValue::UncomputedFormula(_)) => Err(ValueError::UncomputedFormula),
    }
}

/// Reads a `text` cell: kept verbatim (NFC, trimmed); `None` when empty.
pub fn text(cell: Option<&CellValue>) -> Option<Reported> {
    let shown = cell?.display();
    let cleaned = crate::text::clean(&shown);
    (!cleaned.is_empty()).then_some(Reported::Text(cleaned))
}

fn count_from_number(n: f64) -> Result<Reported, ValueError> {
    if !n.is_finite() {
        return Err(ValueError::NotNumber);
    }
    if n < 0.0 {
        return Err(ValueError::Negative);
    }
    let rounded = n.round();
    // A formula's cached result can carry binary noise (12.000000000000002).
    if (n - rounded).abs() > 1e-9 * rounded.max(1.0) {
        return Err(ValueError::Fraction);
    }
    if rounded > MAX_COUNT as f64 {
        return Err(ValueError::TooLarge);
    }
    Ok(Reported::Count(rounded as u64))
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Reads a count typed as text, the Vietnamese way.
pub fn count_from_text(raw: &str) -> Result<Option<Reported>, ValueError> {
    let s = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    match s {
        "" => return Ok(None),
        "-" | "–" | "—" => return Ok(Some(Reported::Count(0))),
        "..." | "…" => return Ok(Some(Reported::NotCollected)),
        _ => {}
    }
    if let Some(rest) = s.strip_prefix(['-', '−', '–']) {
        return Err(
            if rest.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
                ValueError::Negative
            } else {
                ValueError::NotNumber
            },
        );
    }
    let (int_part, fraction) = match s.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(f) = fraction {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::NotNumber);
        }
        if f.len() == 3 && !int_part.contains('.') {
            return Err(ValueError::AmbiguousComma);
        }
        if f.bytes().any(|b| b != b'0') {
            return Err(ValueError::Fraction);
        }
    }
    let digits = grouped_digits(int_part)?;
    let value: u64 = digits.parse().map_err(|_| ValueError::TooLarge)?;
    if value > MAX_COUNT {
        return Err(ValueError::TooLarge);
    }
    Ok(Some(Reported::Count(value)))
}

/// `1.234.567` or `1 234 567` or `1234567` to its digits; groups after the first
/// must hold exactly three digits.
fn grouped_digits(s: &str) -> Result<String, ValueError> {
    if s.is_empty() {
        return Err(ValueError::NotNumber);
    }
    let mut digits = String::with_capacity(s.len());
    let mut groups = s.split(|c: char| c == '.' || is_group_space(c));
    let first = groups.next().unwrap_or_default();
    let only_digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    if !only_digits(first) {
        return Err(ValueError::NotNumber);
    }
    digits.push_str(first);
    let mut grouped = false;
    for group in groups {
        if !only_digits(group) {
            return Err(
                if group.is_empty() || group.bytes().all(|b| b.is_ascii_digit()) {
                    ValueError::BadGrouping
                } else {
                    ValueError::NotNumber
                },
            );
        }
        if group.len() != 3 {
            return Err(ValueError::BadGrouping);
        }
        grouped = true;
        digits.push_str(group);
    }
    if grouped && first.len() > 3 {
        return Err(ValueError::BadGrouping);
    }
    Ok(digits)
}

/// Reads a date: a date cell, an Excel serial number, or text written as
/// `dd/mm/yyyy` (also `-` or `.` between, two-digit years, a time after it),
/// ISO `yyyy-mm-dd`, or `ngày 02 tháng 6 năm 2022`.
pub fn date(cell: Option<&CellValue>) -> Option<NaiveDate> {
    match cell? {
        CellValue::Date(d) => Some(d.date()),
        CellValue::Number(n) => date_from_serial(*n),
        CellValue::Text(t) => date_from_text(t),
        CellValue::Bool(_) | CellValue::Error(_) | CellValue::UncomputedFormula(_) => None,
    }
}

/// An Excel serial day number (1900 system) as a date.
pub fn date_from_serial(n: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_days(chrono::Days::new(n.trunc() as u64))
}

/// Parses a date typed as text; `None` when it is not one.
pub fn date_from_text(raw: &str) -> Option<NaiveDate> {
    let folded = crate::text::fold(raw);
    let s = folded.strip_prefix("ngay ").unwrap_or(&folded);
    let numbers: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let words_ok = s
        .split(|c: char| c.is_ascii_digit() || matches!(c, '/' | '-' | '.' | ' ' | ':' | ','))
        .all(|w| matches!(w, "" | "thang" | "nam" | "t" | "h" | "z"));
    if numbers.len() < 3 || !words_ok {
        return None;
    }
    let n = |i: usize| numbers[i].parse::<u32>().ok();
    let (y, m, d) = if numbers[0].len() == 4 {
        (n(0)? as i32, n(1)?, n(2)?)
    } else {
        let year = n(2)? as i32;
        let year = match numbers[2].len() {
            2 => 2000 + year,
            4 => year,
            _ => return None,
        };
        (year, n(1)?, n(0)?)
    };
    NaiveDate::from_ymd_opt(y, m, d).filter(|d| (1900..=2200).contains(&d.year()))
}

impl fmt::Display for Reported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reported::Count(n) => write!(f, "{n}"),
            Reported::NotCollected => f.write_str("..."),
            Reported::Text(t) => f.write_str(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text_count(s: &str) -> Result<Option<Reported>, ValueError> {
        count_from_text(s)
    }

    #[test]
    fn counts_as_vietnamese_write_them() {
        let ok = [
            ("12", 12),
            ("1.234", 1234),
            ("1 234", 1234),
            ("1\u{a0}234", 1234),
            ("1.234.567", 1_234_567),
            ("12,0", 12),
            ("12,00", 12),
            ("1.234,0", 1234),
            ("0", 0),
            (" 42 ", 42),
            ("-", 0),
            ("–", 0),
            ("—", 0),
            ("2385722", 2_385_722),
        ];
        for (s, want) in ok {
            assert_eq!(text_count(s), Ok(Some(Reported::Count(want))), "{s:?}");
        }
    }

    #[test]
    fn refused_counts_say_why() {
        let bad = [
            ("12,5", ValueError::Fraction),
            ("1,234", ValueError::AmbiguousComma),
            ("1,000", ValueError::AmbiguousComma),
            ("12.0", ValueError::BadGrouping),
            ("1.23", ValueError::BadGrouping),
            ("1234.567", ValueError::BadGrouping),
            ("-3", ValueError::Negative),
            ("abc", ValueError::NotNumber),
            ("12a", ValueError::NotNumber),
            ("1.", ValueError::BadGrouping),
            ("99999999999999999999", ValueError::TooLarge),
        ];
        for (s, want) in bad {
            assert_eq!(text_count(s), Err(want), "{s:?}");
        }
    }

    #[test]
    fn statistical_conventions() {
        assert_eq!(text_count("..."), Ok(Some(Reported::NotCollected)));
        assert_eq!(text_count("…"), Ok(Some(Reported::NotCollected)));
        assert_eq!(text_count(""), Ok(None));
        assert_eq!(text_count("   "), Ok(None));
    }

    #[test]
    fn numeric_cells() {
        let num = |n: f64| count(Some(&CellValue::Number(n)));
        assert_eq!(num(12.0), Ok(Some(Reported::Count(12))));
        assert_eq!(num(12.000000000000002), Ok(Some(Reported::Count(12))));
        assert_eq!(num(12.5), Err(ValueError::Fraction));
        assert_eq!(num(-3.0), Err(ValueError::Negative));
        assert_eq!(num(f64::NAN), Err(ValueError::NotNumber));
        assert_eq!(num(1e300), Err(ValueError::TooLarge));
        let day = NaiveDate::from_ymd_opt(2022, 6, 2)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert_eq!(
            count(Some(&CellValue::Date(day))),
            Err(ValueError::DateCell)
        );
        assert_eq!(count(None), Ok(None));
    }

    #[test]
    fn dates_in_every_shape() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        let cases = [
            ("02/06/2022", d(2022, 6, 2)),
            ("2/6/2022", d(2022, 6, 2)),
            ("02-06-2022", d(2022, 6, 2)),
            ("02.06.2022", d(2022, 6, 2)),
            ("02/06/22", d(2022, 6, 2)),
            ("2022-06-02", d(2022, 6, 2)),
            ("2022-06-02T00:00:00", d(2022, 6, 2)),
            ("02/06/2022 08:30", d(2022, 6, 2)),
            ("ngày 02 tháng 6 năm 2022", d(2022, 6, 2)),
            ("31/02/2022", None),
            ("hôm qua", None),
            ("2022", None),
        ];
        for (s, want) in cases {
            assert_eq!(date_from_text(s), want, "{s:?}");
        }
        assert_eq!(date_from_serial(44720.0), d(2022, 6, 8));
        assert_eq!(date(Some(&CellValue::Number(44720.0))), d(2022, 6, 8));
        assert_eq!(date_from_serial(-1.0), None);
    }

    fn group(n: u64, sep: &str) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }

    proptest! {
        #[test]
        fn grouped_numbers_read_back(n in 0u64..MAX_COUNT, sep in prop::sample::select(vec![".", " ", "\u{a0}", ""])) {
            let written = group(n, sep);
            prop_assert_eq!(count_from_text(&written), Ok(Some(Reported::Count(n))));
            let with_zero_decimals = format!("{written},0");
            prop_assert_eq!(count_from_text(&with_zero_decimals), Ok(Some(Reported::Count(n))));
        }

        #[test]
        fn non_zero_decimals_are_refused(n in 0u64..1_000_000, d in 1u32..10) {
            let written = format!("{n},{d}");
            prop_assert!(count_from_text(&written).is_err());
        }

        #[test]
        fn negatives_are_refused(n in 1u64..1_000_000) {
            let written = format!("-{n}");
            prop_assert_eq!(count_from_text(&written), Err(ValueError::Negative));
        }

        #[test]
        fn never_panics(s in "\\PC{0,24}") {
            let _ = count_from_text(&s);
            let _ = date_from_text(&s);
        }

        #[test]
        fn dates_round_trip(days in 0i64..80_000) {
            let d = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(days);
            let written = d.format("%d/%m/%Y").to_string();
            prop_assert_eq!(date_from_text(&written), Some(d));
        }
    }
}
