//! This period's column, when a form carries more than one value column.
//!
//! Units keep last year's figures beside this year's: headings `Số liệu cùng kỳ
//! năm 2023 | Số liệu 6 tháng 2024`, or `Số liệu` merged over `Kỳ trước | Kỳ
//! này`. The column whose heading names this period is used, never one naming
//! another; when the headings do not decide, no column is (a wrong year's figure
//! in the province's totals is worse than a question to the unit).

use super::Grid;
use super::codes::match_code;
use crate::period::{Period, PeriodKind};
use crate::read::a1;
use crate::schema::Schema;
use crate::text::fold;

/// A value column: where its values are, and its heading as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueColumn {
    pub col: u32,
    /// The heading's cell (A1), for findings.
    pub cell: String,
    pub heading: String,
}

/// What a heading says about the period of its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    This,
    Other,
    Neither,
}

/// Folded phrases naming another period than the one reported.
const OTHER_PERIOD: &[&str] = &[
    "ky truoc",
    "cung ky",
    "nam truoc",
    "nam ngoai",
    "ky bao cao truoc",
];
/// Folded phrases naming the period reported.
const THIS_PERIOD: &[&str] = &["ky nay", "ky bao cao", "nam nay"];
const HALF_YEAR_WORDS: &[&str] = &["6 thang", "06 thang", "6t", "sau thang"];
const WHOLE_YEAR_WORDS: &[&str] = &["ca nam", "12 thang"];

/// The value columns a header offers: each value heading, or, when a value
/// heading stands over two or more sub-headings in the next row (a merged
/// `Số liệu` over `Kỳ trước | Kỳ này`), those sub-headings.
pub fn candidates(
    grid: &Grid,
    header_row: u32,
    values: &[(u32, String)],
    code_col: Option<u32>,
    schema: &Schema,
) -> Vec<ValueColumn> {
    let headings: Vec<u32> = grid
        .row(header_row)
        .iter()
        .filter(|c| c.value.as_text().is_some())
        .map(|c| c.col)
        .collect();
    let below = grid.row(header_row + 1);
    let below_is_data = code_col
        .and_then(|c| grid.get(header_row + 1, c))
        .and_then(|v| v.as_text())
        .is_some_and(|t| match_code(t, schema).is_some());
    let mut out = Vec::new();
    for (col, heading) in values {
        let end = headings
            .iter()
            .copied()
            .find(|c| c > col)
            .unwrap_or(u32::MAX);
        let subs: Vec<ValueColumn> = below
            .iter()
            .filter(|c| (*col..end).contains(&c.col) && !below_is_data)
            .filter_map(|c| {
                let text = c.value.as_text()?.trim();
                let numbering = text
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"()., ".contains(&b));
                (!text.is_empty() && !numbering).then(|| ValueColumn {
                    col: c.col,
                    cell: a1(header_row + 1, c.col),
                    heading: text.to_string(),
                })
            })
            .collect();
        if subs.len() >= 2 {
            out.extend(subs);
        } else {
            out.push(ValueColumn {
                col: *col,
                cell: a1(header_row, *col),
                heading: heading.clone(),
            });
        }
    }
    out
}

/// The column to read: the only one, the only one naming this period, or the
/// only one naming no period beside others naming another. `Err` with every
/// candidate when the headings do not decide.
pub fn choose(
    candidates: Vec<ValueColumn>,
    period: Option<Period>,
) -> Result<ValueColumn, Vec<ValueColumn>> {
    if candidates.len() == 1 {
        return Ok(candidates.into_iter().next().expect("one"));
    }
    let named: Vec<Names> = candidates
        .iter()
        .map(|c| names(&c.heading, period))
        .collect();
    let only = |want: Names| {
        let mut it = named.iter().enumerate().filter(|(_, n)| **n == want);
        match (it.next(), it.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    };
    let this = named.iter().filter(|n| **n == Names::This).count();
    let pick = if this > 0 {
        only(Names::This)
    } else {
        only(Names::Neither)
    };
    match pick {
        Some(i) => Ok(candidates[i].clone()),
        None => Err(candidates),
    }
}

/// What a heading names: phrases first (`kỳ trước`, `cùng kỳ`, `kỳ này`), then
/// the report's kind and year (`6 tháng 2024`, `năm 2023`); a year inside a
/// date (`14/6/2024`) is a date, not a period.
fn names(heading: &str, period: Option<Period>) -> Names {
    let folded = fold(heading);
    let tokens: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || "(),;:".contains(c))
        .filter(|t| !t.is_empty())
        .collect();
    let joined = format!(" {} ", tokens.join(" "));
    let has = |phrases: &[&str]| phrases.iter().any(|p| joined.contains(&format!(" {p} ")));
    if has(OTHER_PERIOD) {
        return Names::Other;
    }
    if has(THIS_PERIOD) {
        return Names::This;
    }
    let Some(period) = period else {
        return Names::Neither;
    };
    let (half, whole) = (has(HALF_YEAR_WORDS), has(WHOLE_YEAR_WORDS));
    let kind_named = match period.kind {
        PeriodKind::FirstHalf => (half, whole),
        PeriodKind::Year => (whole, half),
    };
    if kind_named.1 {
        return Names::Other;
    }
    let years: Vec<i32> = tokens
        .iter()
        .filter(|t| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|t| t.parse().ok())
        .collect();
    let this_year = years.contains(&period.year);
    let other_year = years.iter().any(|y| *y != period.year);
    match (this_year, other_year) {
        (true, false) => Names::This,
        (false, true) => Names::Other,
        (false, false) if kind_named.0 => Names::This,
        _ => Names::Neither,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(col: u32, heading: &str) -> ValueColumn {
        ValueColumn {
            col,
            cell: a1(4, col),
            heading: heading.into(),
        }
    }

    fn chosen(headings: &[&str], period: &str) -> Result<u32, usize> {
        let cands = headings
            .iter()
            .enumerate()
            .map(|(i, h)| col(i as u32, h))
            .collect();
        choose(cands, Some(period.parse().unwrap()))
            .map(|c| c.col)
            .map_err(|all| all.len())
    }

    #[test]
    fn the_column_naming_this_period_wins() {
        let h1 = "2024-H1";
        assert_eq!(
            chosen(&["Số liệu cùng kỳ năm 2023", "Số liệu 6 tháng 2024"], h1),
            Ok(1)
        );
        assert_eq!(
            chosen(&["Số liệu 6 tháng 2024", "Số liệu cùng kỳ năm 2023"], h1),
            Ok(0)
        );
        assert_eq!(chosen(&["Kỳ trước", "Kỳ này"], h1), Ok(1));
        assert_eq!(chosen(&["Kỳ báo cáo", "Kỳ trước"], h1), Ok(0));
        assert_eq!(chosen(&["Năm 2023", "Năm 2024"], h1), Ok(1));
        assert_eq!(chosen(&["Năm 2023", "Năm 2024"], "2023-Y"), Ok(0));
        assert_eq!(chosen(&["Số liệu", "Số liệu cùng kỳ"], h1), Ok(0));
        assert_eq!(
            chosen(&["6 tháng 2024", "Cả năm 2024"], "2024-Y"),
            Ok(1),
            "a half-year column is not the annual report's"
        );
        assert_eq!(
            chosen(
                &[
                    "Số liệu thực hiện (từ ngày 15/12/2023 đến ngày 14/6/2024)",
                    "Số liệu cùng kỳ"
                ],
                h1
            ),
            Ok(0),
            "years inside dates name no period"
        );
    }

    #[test]
    fn undecided_headings_use_no_column() {
        let h1 = "2024-H1";
        assert_eq!(chosen(&["Số liệu", "Số liệu"], h1), Err(2));
        assert_eq!(chosen(&["Kỳ trước", "Cùng kỳ"], h1), Err(2));
        assert_eq!(chosen(&["Kỳ này", "Số liệu 6 tháng 2024"], h1), Err(2));
        assert_eq!(chosen(&["Năm 2022", "Năm 2023"], h1), Err(2));
        assert_eq!(
            chosen(&["Năm 2023", "Năm 2024"], "2025-Y"),
            Err(2),
            "neither is this period"
        );
    }

    #[test]
    fn one_column_is_read_whatever_its_heading() {
        assert_eq!(chosen(&["Số liệu"], "2024-H1"), Ok(0));
    }
}
