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

/// What a `count` cell held, once read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountCell {
    /// Nothing: not reported, not 0.
    Empty,
    /// A value, as the cell wrote it (or one of the words for `-` and `...`).
    Value(Reported),
    /// A value read from text that held more than the number (`5 cuộc`, `12*`,
    /// `'7`): used, and the officer is told which cell and what was dropped.
    AsTyped(Reported, AsTyped),
    /// `không áp dụng` / `N/A`: the unit says the indicator is not for it.
    NotApplicable,
}

/// What a count typed as text carried besides the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsTyped {
    /// A unit word or note after the number (`5 cuộc`, `10 (trong đó 3 nữ)`).
    Words,
    /// A footnote mark (`12*`, `12 (*)`).
    Footnote,
    /// A leading `+`.
    Plus,
    /// A literal apostrophe before the number (`'7`).
    Apostrophe,
    /// Full-width digits (`１２`), read as Unicode NFKC folds them.
    FullWidth,
}

impl fmt::Display for AsTyped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AsTyped::Words => "bỏ phần chữ ghi kèm",
            AsTyped::Footnote => "bỏ dấu chú thích",
            AsTyped::Plus => "bỏ dấu +",
            AsTyped::Apostrophe => "bỏ dấu nháy",
            AsTyped::FullWidth => "chữ số toàn khổ",
        })
    }
}

/// Words that mean `-` (no occurrence), as folded by `text::fold`.
const WORDS_FOR_ZERO: &[&str] = &["khong", "khong co", "khong phat sinh"];
/// Words that mean `...` (occurred, not collected).
const WORDS_FOR_NOT_COLLECTED: &[&str] = &["chua thong ke", "chua co so lieu"];
/// Words that say the indicator does not apply to the unit.
const WORDS_FOR_NOT_APPLICABLE: &[&str] = &["khong ap dung", "n/a"];

/// Reads a `count` cell.
pub fn count(cell: Option<&CellValue>) -> Result<CountCell, ValueError> {
    match cell {
        None => Ok(CountCell::Empty),
        Some(CellValue::Number(n)) => count_from_number(*n).map(CountCell::Value),
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

fn is_full_width(c: char) -> bool {
    matches!(c, '\u{ff01}'..='\u{ff5e}' | '\u{3000}')
}

/// Full-width forms to their ASCII twins: what NFKC does to them, and only to
/// them (NFKC would also turn a superscript footnote `¹` into a digit).
fn narrow(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            c if is_full_width(c) => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// Reads a count typed as text, the Vietnamese way, and as units really type it.
pub fn count_from_text(raw: &str) -> Result<CountCell, ValueError> {
    let s = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    match s {
        "" => return Ok(CountCell::Empty),
        "-" | "–" | "—" => return Ok(CountCell::Value(Reported::Count(0))),
        "..." | "…" => return Ok(CountCell::Value(Reported::NotCollected)),
        _ => {}
    }
    if s.starts_with(|c: char| c.is_alphabetic())
        && let Some(word) = count_word(s)
    {
        return Ok(word);
    }
    let mut how = None;
    let narrowed;
    let mut s = s;
    if s.chars().any(is_full_width) {
        narrowed = narrow(s);
        s = narrowed.trim();
        how = Some(AsTyped::FullWidth);
    }
    if let Some(rest) = s.strip_prefix(['\'', '‘', '’']) {
        s = rest.trim_start();
        how = how.or(Some(AsTyped::Apostrophe));
    }
    if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
        how = how.or(Some(AsTyped::Plus));
    }
    let strict = strict_count(s);
    let value = match strict {
        Ok(v) => v,
        Err(e) => {
            let (number, rest) = split_number(s);
            if number.is_empty() || rest.is_empty() {
                return Err(e);
            }
            let Some(mark) = trailing_words(rest) else {
                return Err(e);
            };
            how = Some(how.unwrap_or(mark));
            strict_count(number)?
        }
    };
    Ok(match how {
        Some(how) => CountCell::AsTyped(value, how),
        None => CountCell::Value(value),
    })
}

/// The words for `-`, `...` and "not applicable", if the text is one of them.
fn count_word(s: &str) -> Option<CountCell> {
    let folded = crate::text::fold(s);
    let folded = folded.trim_end_matches('.');
    if WORDS_FOR_ZERO.contains(&folded) {
        Some(CountCell::Value(Reported::Count(0)))
    } else if WORDS_FOR_NOT_COLLECTED.contains(&folded) {
        Some(CountCell::Value(Reported::NotCollected))
    } else if WORDS_FOR_NOT_APPLICABLE.contains(&folded) {
        Some(CountCell::NotApplicable)
    } else {
        None
    }
}

/// The leading number of a text (digits with their `.`/`,` and grouping spaces)
/// and what follows it.
fn split_number(s: &str) -> (&str, &str) {
    let mut end = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
        let part =
            c.is_ascii_digit() || ((c == '.' || c == ',' || is_group_space(c)) && next_is_digit);
        if !part {
            break;
        }
        end = i + c.len_utf8();
    }
    (&s[..end], s[end..].trim())
}

/// What a number may carry after it and still be read: a footnote mark, a
/// parenthesised note with words in it, or a unit word (two letters or more)
/// with no other figure outside parentheses. `None` for anything else (`5/3`,
/// `5 - 7`, `12a`, `5 cuộc, 3 lượt`), which stays an error.
fn trailing_words(rest: &str) -> Option<AsTyped> {
    if is_footnote_mark(rest) {
        return Some(AsTyped::Footnote);
    }
    let mut depth = 0usize;
    let mut outside = String::new();
    let mut inside_has_letter = false;
    for c in rest.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.checked_sub(1)?,
            c if depth > 0 => inside_has_letter |= c.is_alphabetic(),
            c => outside.push(c),
        }
    }
    if depth != 0 || outside.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if rest.starts_with('(') {
        return (inside_has_letter && outside.trim().is_empty()).then_some(AsTyped::Words);
    }
    let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    (word.chars().count() >= 2).then_some(AsTyped::Words)
}

fn is_footnote_mark(rest: &str) -> bool {
    let inner = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(rest);
    !inner.is_empty() && inner.chars().all(|c| c == '*')
}

/// A count written as the province's form asks: digits, grouped the Vietnamese way.
fn strict_count(s: &str) -> Result<Reported, ValueError> {
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
    Ok(Reported::Count(value))
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

/// Parses a date typed as text; `None` when it is not one. A place-and-date line
/// (`Lạc Thủy, ngày 05 tháng 6 năm 2024`) or a weekday before the date (`Thứ Tư,
/// ngày 05/6/2024`) gives the date it ends with.
pub fn date_from_text(raw: &str) -> Option<NaiveDate> {
    let folded = crate::text::fold(raw);
    plain_date(&folded).or_else(|| {
        let after_comma = folded.rsplit_once(',').map(|(_, date)| date.trim());
        let after_ngay = folded.rfind("ngay ").map(|at| &folded[at..]);
        after_comma
            .and_then(plain_date)
            .or_else(|| after_ngay.and_then(plain_date))
    })
}

/// A folded text that is a date and nothing else.
fn plain_date(folded: &str) -> Option<NaiveDate> {
    let s = folded.strip_prefix("ngay ").unwrap_or(folded);
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
        count_from_text(s).map(|c| match c {
            CountCell::Value(v) => Some(v),
            CountCell::Empty => None,
            other => panic!("{s:?} read as {other:?}"),
        })
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
        assert_eq!(num(12.0), Ok(CountCell::Value(Reported::Count(12))));
        assert_eq!(
            num(12.000000000000002),
            Ok(CountCell::Value(Reported::Count(12)))
        );
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
        assert_eq!(count(None), Ok(CountCell::Empty));
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
            ("Lạc Thủy, ngày 05 tháng 6 năm 2024", d(2024, 6, 5)),
            ("TP. Hòa Bình, ngày 5 tháng 06 năm 2024", d(2024, 6, 5)),
            ("Thứ Tư, ngày 05/6/2024", d(2024, 6, 5)),
            ("Thứ Tư ngày 05/6/2024", d(2024, 6, 5)),
            ("Thứ 4, 05/6/2024", d(2024, 6, 5)),
            ("Lạc Thủy, ngày ... tháng ... năm 2024", None),
            ("Lạc Thủy, ngày 05 tháng 6 năm 2024 và 07/06/2024", None),
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

    #[test]
    fn counts_as_units_type_them_are_read_with_a_note() {
        use AsTyped::*;
        let cases = [
            ("5 cuộc", 5, Words),
            ("02 văn bản", 2, Words),
            ("1.234 lượt", 1234, Words),
            ("1 234 lượt người", 1234, Words),
            ("10 (trong đó 3 nữ)", 10, Words),
            ("0 (không)", 0, Words),
            ("5 cuộc (3 cuộc trực tuyến)", 5, Words),
            ("5cuộc", 5, Words),
            ("12*", 12, Footnote),
            ("12 **", 12, Footnote),
            ("12 (*)", 12, Footnote),
            ("+5", 5, Plus),
            ("+ 5", 5, Plus),
            ("'7", 7, Apostrophe),
            ("’7", 7, Apostrophe),
            ("１２", 12, FullWidth),
            ("１．２３４", 1234, FullWidth),
            ("12,0 cuộc", 12, Words),
        ];
        for (s, want, how) in cases {
            assert_eq!(
                count_from_text(s),
                Ok(CountCell::AsTyped(Reported::Count(want), how)),
                "{s:?}"
            );
        }
    }

    #[test]
    fn words_for_zero_not_collected_and_not_applicable() {
        for s in [
            "không",
            "Không có",
            "KHÔNG PHÁT SINH",
            "khong phat sinh",
            "Không.",
        ] {
            assert_eq!(
                count_from_text(s),
                Ok(CountCell::Value(Reported::Count(0))),
                "{s:?}"
            );
        }
        for s in ["chưa thống kê", "Chưa có số liệu"] {
            assert_eq!(
                count_from_text(s),
                Ok(CountCell::Value(Reported::NotCollected)),
                "{s:?}"
            );
        }
        for s in ["không áp dụng", "Không áp dụng", "N/A", "n/a"] {
            assert_eq!(count_from_text(s), Ok(CountCell::NotApplicable), "{s:?}");
        }
    }

    #[test]
    fn what_the_spec_does_not_list_stays_an_error() {
        let bad = [
            ("(3)", ValueError::NotNumber),
            ("x", ValueError::NotNumber),
            ("I", ValueError::NotNumber),
            ("1,5", ValueError::Fraction),
            ("1.0", ValueError::BadGrouping),
            ("-3", ValueError::Negative),
            ("-3 cuộc", ValueError::Negative),
            ("1,5 cuộc", ValueError::Fraction),
            ("1.0 cuộc", ValueError::BadGrouping),
            ("5 cuộc, 3 lượt", ValueError::NotNumber),
            ("5/3", ValueError::NotNumber),
            ("5 - 7", ValueError::NotNumber),
            ("5 x", ValueError::NotNumber),
            ("5 (3)", ValueError::NotNumber),
            ("khoảng 5", ValueError::NotNumber),
            ("không rõ", ValueError::NotNumber),
            ("12¹", ValueError::NotNumber),
            ("5 (chưa đủ", ValueError::NotNumber),
        ];
        for (s, want) in bad {
            assert_eq!(count_from_text(s), Err(want), "{s:?}");
        }
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
            prop_assert_eq!(count_from_text(&written), Ok(CountCell::Value(Reported::Count(n))));
            let with_zero_decimals = format!("{written},0");
            prop_assert_eq!(count_from_text(&with_zero_decimals), Ok(CountCell::Value(Reported::Count(n))));
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
        fn a_number_with_a_unit_word_reads_as_the_number(n in 0u64..MAX_COUNT, word in prop::sample::select(vec!["cuộc", "văn bản", "lượt người", "(trong đó 3 nữ)", "*", "(*)"])) {
            let written = format!("{} {word}", group(n, "."));
            let read = count_from_text(&written);
            prop_assert!(matches!(read, Ok(CountCell::AsTyped(Reported::Count(m), _)) if m == n), "{written:?}: {read:?}");
        }

        #[test]
        fn full_width_plus_and_apostrophe_read_back(n in 0u64..MAX_COUNT) {
            let wide: String = n.to_string().chars().map(|c| char::from_u32(c as u32 + 0xfee0).unwrap()).collect();
            prop_assert_eq!(count_from_text(&wide), Ok(CountCell::AsTyped(Reported::Count(n), AsTyped::FullWidth)));
            prop_assert_eq!(count_from_text(&format!("+{n}")), Ok(CountCell::AsTyped(Reported::Count(n), AsTyped::Plus)));
            prop_assert_eq!(count_from_text(&format!("'{n}")), Ok(CountCell::AsTyped(Reported::Count(n), AsTyped::Apostrophe)));
        }

        #[test]
        fn a_second_figure_outside_parentheses_is_refused(a in 0u64..10_000, b in 0u64..10_000, sep in prop::sample::select(vec!["/", " - ", " cuộc, ", " và ", "x"])) {
            let written = format!("{a}{sep}{b}");
            prop_assert!(count_from_text(&written).is_err(), "{written:?}");
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
