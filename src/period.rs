//! Reporting periods: the 6-month report (`2022-H1`) and the annual one (`2022-Y`).
//!
//! Officers write periods many ways (`6T-2022`, `6 tháng 2022`, `năm 2022`,
//! `NAM-2022`); forms split them into `Kỳ báo cáo` (`6 tháng` / `Năm`) and
//! `Năm báo cáo`. Everything is read into one [`Period`].

use crate::text::fold;
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Which report of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodKind {
    /// Báo cáo 6 tháng (đầu năm), due in June.
    FirstHalf,
    /// Báo cáo năm, due in November.
    Year,
}

/// A reporting period: a kind and a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
}

/// A period that could not be understood; the text is for the officer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "không hiểu kỳ báo cáo '{0}': chương trình chỉ có báo cáo 6 tháng đầu năm và báo cáo năm (viết như 2022-H1, 2022-Y, 6T-2022, \"6 tháng 2022\" hoặc \"năm 2022\")"
)]
pub struct PeriodError(pub String);

/// Why a form's (or a table row's) period words do not make a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodProblem {
    /// Words that are not a report of this programme (`9 tháng`, `Quý III`).
    #[error(
        "\"{0}\" không phải kỳ báo cáo của chương trình (chỉ có báo cáo 6 tháng đầu năm và báo cáo năm)"
    )]
    NotOfProgramme(String),
    /// The kind is clear but no year is written anywhere.
    #[error("kỳ báo cáo \"{0}\" không ghi năm và biểu không có năm báo cáo")]
    NoYear(String),
    /// The kind's text and the year label name different years.
    #[error("kỳ báo cáo \"{0}\" ghi năm {1} nhưng năm báo cáo là {2}")]
    TwoYears(String, i32, i32),
}

/// The half-year report's phrases, folded, before an optional `đầu năm`.
const FIRST_HALF: &[&str] = &["6 thang", "06 thang", "6t", "sau thang", "h1"];
/// The annual report's phrases, folded.
const YEAR: &[&str] = &["nam", "ca nam", "12 thang", "y"];

impl PeriodKind {
    /// Reads the kind alone, as a form's `Kỳ báo cáo` writes it (`6 tháng`, `Năm`,
    /// `Sáu tháng đầu năm`, `H1`, `Y`): the whole phrase, never a word inside it,
    /// so `6 tháng cuối năm` and `9 tháng` are not periods.
    pub fn parse(text: &str) -> Option<PeriodKind> {
        phrase_kind(&words(text).join(" "))
    }

    /// The suffix of the canonical spelling.
    pub fn code(self) -> &'static str {
        match self {
            PeriodKind::FirstHalf => "H1",
            PeriodKind::Year => "Y",
        }
    }
}

/// The folded words of a period text; `-`, `_`, `/`, `,`, `.` and brackets
/// separate words like spaces (`6T-2022`, `2022/H1`).
fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | ',' | '.' | '(' | ')' | ':'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The kind a whole folded phrase names; `báo cáo` or `kỳ` before it is allowed.
fn phrase_kind(phrase: &str) -> Option<PeriodKind> {
    let p = phrase.strip_prefix("ky ").unwrap_or(phrase);
    let p = p.strip_prefix("bao cao ").unwrap_or(p);
    let half = p.strip_suffix(" dau nam").unwrap_or(p);
    if FIRST_HALF.contains(&half) {
        Some(PeriodKind::FirstHalf)
    } else if YEAR.contains(&p) {
        Some(PeriodKind::Year)
    } else {
        None
    }
}

fn is_year(word: &str) -> Option<i32> {
    (word.len() == 4)
        .then(|| word.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1990..=2200).contains(y))
}

/// The kind and the year (if written) of a period text: the year is taken out,
/// and the rest must be one phrase; `năm` just before the year is the word that
/// joins them (`6 tháng năm 2024`). `None` when the text is no period, or names
/// two years.
fn kind_and_year(text: &str) -> Option<(PeriodKind, Option<i32>)> {
    let words = words(text);
    let mut years = words.iter().filter_map(|w| is_year(w));
    let year = years.next();
    if years.any(|y| Some(y) != year) {
        return None;
    }
    let rest: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| is_year(w).is_none())
        .collect();
    let phrase = rest.join(" ");
    let kind = phrase_kind(&phrase).or_else(|| {
        let joined = phrase.strip_suffix(" nam").filter(|_| year.is_some())?;
        phrase_kind(joined)
    })?;
    Some((kind, year))
}

impl Period {
    /// Joins a form's `Kỳ báo cáo` and `Năm báo cáo`. The year may also be written
    /// inside the kind (`6 tháng 2022`); when both are written they must agree.
    pub fn from_parts(kind_text: &str, year: Option<i32>) -> Result<Period, PeriodProblem> {
        let shown = kind_text.trim().to_string();
        let (kind, written) =
            kind_and_year(kind_text).ok_or_else(|| PeriodProblem::NotOfProgramme(shown.clone()))?;
        let year = match (written, year) {
            (Some(w), Some(y)) if w != y => return Err(PeriodProblem::TwoYears(shown, w, y)),
            (w, y) => y.or(w).ok_or(PeriodProblem::NoYear(shown))?,
        };
        Ok(Period { year, kind })
    }

    /// The Vietnamese name used in titles: `6 THÁNG ĐẦU NĂM 2022` / `NĂM 2022`.
    pub fn title(self) -> String {
        match self.kind {
            PeriodKind::FirstHalf => format!("6 THÁNG ĐẦU NĂM {}", self.year),
            PeriodKind::Year => format!("NĂM {}", self.year),
        }
    }

    /// How a form writes the kind in `Kỳ báo cáo`.
    pub fn form_kind(self) -> &'static str {
        match self.kind {
            PeriodKind::FirstHalf => "6 tháng",
            PeriodKind::Year => "Năm",
        }
    }
}

/// The first plausible four-digit year in a text.
pub fn find_year(text: &str) -> Option<i32> {
    text.split(|c: char| !c.is_ascii_digit()).find_map(is_year)
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Period, PeriodError> {
        match kind_and_year(s) {
            Some((kind, Some(year))) => Ok(Period { year, kind }),
            _ => Err(PeriodError(s.to_string())),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.year, self.kind.code())
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(year: i32, kind: PeriodKind) -> Period {
        Period { year, kind }
    }

    #[test]
    fn spellings() {
        use PeriodKind::*;
        let cases = [
            ("2022-H1", p(2022, FirstHalf)),
            ("2022-h1", p(2022, FirstHalf)),
            ("2022-Y", p(2022, Year)),
            ("6T-2022", p(2022, FirstHalf)),
            ("6 tháng 2022", p(2022, FirstHalf)),
            ("6 THÁNG ĐẦU NĂM 2022", p(2022, FirstHalf)),
            ("6 tháng đầu năm 2024", p(2024, FirstHalf)),
            ("6 tháng năm 2024", p(2024, FirstHalf)),
            ("Sáu tháng đầu năm 2024", p(2024, FirstHalf)),
            ("6 thang 2022", p(2022, FirstHalf)),
            ("năm 2022", p(2022, Year)),
            ("NAM-2022", p(2022, Year)),
            ("Năm 2023", p(2023, Year)),
            ("cả năm 2023", p(2023, Year)),
            ("Báo cáo năm 2023", p(2023, Year)),
            ("12 tháng năm 2023", p(2023, Year)),
        ];
        for (s, want) in cases {
            assert_eq!(s.parse::<Period>(), Ok(want), "{s:?}");
        }
        for bad in [
            "2022",
            "H1",
            "quý 1 2022",
            "",
            "2022-Q3",
            "6 tháng cuối năm 2024",
            "9 tháng 2024",
            "Quý III 2024",
            "năm 2023 2024",
            "2024-H2",
        ] {
            let err = bad.parse::<Period>().unwrap_err();
            assert!(err.to_string().contains(&format!("'{bad}'")), "{err}");
        }
    }

    #[test]
    fn kinds_are_whole_phrases() {
        use PeriodKind::*;
        let cases = [
            ("6 tháng", Some(FirstHalf)),
            ("06 tháng", Some(FirstHalf)),
            ("6T", Some(FirstHalf)),
            ("6 tháng đầu năm", Some(FirstHalf)),
            ("sáu tháng", Some(FirstHalf)),
            ("Sáu tháng đầu năm", Some(FirstHalf)),
            ("H1", Some(FirstHalf)),
            ("Báo cáo 6 tháng", Some(FirstHalf)),
            ("Năm", Some(Year)),
            ("cả năm", Some(Year)),
            ("Báo cáo năm", Some(Year)),
            ("12 tháng", Some(Year)),
            ("Y", Some(Year)),
            ("6 tháng cuối năm", None),
            ("9 tháng", None),
            ("Quý III", None),
            ("tháng 6", None),
            ("năm học", None),
        ];
        for (s, want) in cases {
            assert_eq!(PeriodKind::parse(s), want, "{s:?}");
        }
    }

    #[test]
    fn form_parts() {
        use PeriodKind::*;
        assert_eq!(
            Period::from_parts("6 tháng", Some(2022)),
            Ok(p(2022, FirstHalf))
        );
        assert_eq!(
            Period::from_parts("6 THÁNG", Some(2022)),
            Ok(p(2022, FirstHalf))
        );
        assert_eq!(Period::from_parts("Năm", Some(2022)), Ok(p(2022, Year)));
        assert_eq!(
            Period::from_parts("Sáu tháng đầu năm", Some(2024)),
            Ok(p(2024, FirstHalf))
        );
        assert_eq!(
            Period::from_parts("6 tháng 2022", None),
            Ok(p(2022, FirstHalf))
        );
        assert_eq!(
            Period::from_parts("6 tháng 2022", Some(2022)),
            Ok(p(2022, FirstHalf))
        );
        assert_eq!(
            Period::from_parts("Năm", None),
            Err(PeriodProblem::NoYear("Năm".into()))
        );
        assert_eq!(
            Period::from_parts("Quý I", Some(2022)),
            Err(PeriodProblem::NotOfProgramme("Quý I".into()))
        );
        assert_eq!(
            Period::from_parts("6 tháng cuối năm", Some(2024)),
            Err(PeriodProblem::NotOfProgramme("6 tháng cuối năm".into()))
        );
        assert_eq!(
            Period::from_parts("Năm 2023", Some(2024)),
            Err(PeriodProblem::TwoYears("Năm 2023".into(), 2023, 2024))
        );
    }

    #[test]
    fn display_and_title() {
        let h1 = p(2022, PeriodKind::FirstHalf);
        assert_eq!(h1.to_string(), "2022-H1");
        assert_eq!(h1.title(), "6 THÁNG ĐẦU NĂM 2022");
        assert_eq!(p(2023, PeriodKind::Year).title(), "NĂM 2023");
    }
}
