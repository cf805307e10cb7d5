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
    "không hiểu kỳ báo cáo '{0}' (viết như 2022-H1, 2022-Y, 6T-2022, \"6 tháng 2022\" hoặc \"năm 2022\")"
)]
pub struct PeriodError(pub String);

impl PeriodKind {
    /// Reads the kind alone, as a form's `Kỳ báo cáo` writes it (`6 tháng`, `Năm`,
    /// `6 tháng đầu năm`, `H1`, `Y`).
    pub fn parse(text: &str) -> Option<PeriodKind> {
        let f = fold(text);
        let words: Vec<&str> = f
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let has = |w: &str| words.contains(&w);
        if has("h1") || has("6t") || ((has("6") || has("06")) && has("thang")) {
            Some(PeriodKind::FirstHalf)
        } else if has("y") || has("nam") {
            Some(PeriodKind::Year)
        } else {
            None
        }
    }

    /// The suffix of the canonical spelling.
    pub fn code(self) -> &'static str {
        match self {
            PeriodKind::FirstHalf => "H1",
            PeriodKind::Year => "Y",
        }
    }
}

impl Period {
    /// Joins a form's `Kỳ báo cáo` and `Năm báo cáo`. The year may also be written
    /// inside the kind (`6 tháng 2022`).
    pub fn from_parts(kind_text: &str, year: Option<i32>) -> Option<Period> {
        let kind = PeriodKind::parse(kind_text)?;
        let year = year.or_else(|| find_year(kind_text))?;
        Some(Period { year, kind })
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
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|p| p.len() == 4)
        .filter_map(|p| p.parse::<i32>().ok())
        .find(|y| (1990..=2200).contains(y))
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Period, PeriodError> {
        let err = || PeriodError(s.to_string());
        let year = find_year(s).ok_or_else(err)?;
        let rest = s.replacen(&year.to_string(), " ", 1);
        let kind = PeriodKind::parse(&rest).ok_or_else(err)?;
        Ok(Period { year, kind })
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
            ("6 thang 2022", p(2022, FirstHalf)),
            ("năm 2022", p(2022, Year)),
            ("NAM-2022", p(2022, Year)),
            ("Năm 2023", p(2023, Year)),
        ];
        for (s, want) in cases {
            assert_eq!(s.parse::<Period>(), Ok(want), "{s:?}");
        }
        for bad in ["2022", "H1", "quý 1 2022", "", "2022-Q3"] {
            assert!(bad.parse::<Period>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn form_parts() {
        use PeriodKind::*;
        assert_eq!(
            Period::from_parts("6 tháng", Some(2022)),
            Some(p(2022, FirstHalf))
        );
        assert_eq!(
            Period::from_parts("6 THÁNG", Some(2022)),
            Some(p(2022, FirstHalf))
        );
        assert_eq!(Period::from_parts("Năm", Some(2022)), Some(p(2022, Year)));
        assert_eq!(
            Period::from_parts("6 tháng đầu năm", Some(2024)),
            Some(p(2024, FirstHalf))
        );
        assert_eq!(
            Period::from_parts("6 tháng 2022", None),
            Some(p(2022, FirstHalf))
        );
        assert_eq!(Period::from_parts("Năm", None), None);
        assert_eq!(Period::from_parts("Quý I", Some(2022)), None);
    }

    #[test]
    fn display_and_title() {
        let h1 = p(2022, PeriodKind::FirstHalf);
        assert_eq!(h1.to_string(), "2022-H1");
        assert_eq!(h1.title(), "6 THÁNG ĐẦU NĂM 2022");
        assert_eq!(p(2023, PeriodKind::Year).title(), "NĂM 2023");
    }
}
