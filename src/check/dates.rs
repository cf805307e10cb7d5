//! Form dates that cannot be true.
//!
//! A unit's `Ngày báo cáo` is the second source of the date received (after the
//! receipts log). A date after the as-of date, or after the day the file was last
//! saved, was not the day the report was made: most often a date cell typed
//! `08/06` on a computer set to the US format, which stored 6 August. Such a date
//! is set aside, with a warning (naming the swap when swapping day and month
//! gives a date that could be true), and the next source of the date is used.

use crate::finding::{Finding, FindingKind};
use crate::parse::Submission;
use chrono::{Datelike, NaiveDate};

/// Sets aside the submission's form date when it cannot be true, and says why.
/// `as_of` is the day the officer consolidates; `saved`, the file's
/// modification day.
pub fn set_aside_impossible(
    sub: &mut Submission,
    as_of: Option<NaiveDate>,
    saved: Option<NaiveDate>,
) -> Option<Finding> {
    let date = sub.report_date?;
    let (limit, reason) = [
        (as_of, "ngày tổng hợp (--as-of)"),
        (saved, "ngày tệp được lưu lần cuối"),
    ]
    .into_iter()
    .filter_map(|(day, why)| day.map(|d| (d, why)))
    .filter(|(day, _)| date > *day)
    .min_by_key(|(day, _)| *day)?;
    sub.report_date = None;
    let swapped = swapped(date).filter(|s| {
        *s <= limit
            && as_of.is_none_or(|a| *s <= a)
            && saved.is_none_or(|m| *s <= m)
            && sub.period.is_none_or(|p| s.year() == p.year)
    });
    let hint = swapped.map_or(String::new(), |s| {
        format!(
            "; có thể ngày và tháng bị đảo (ngày {}, do máy tính đặt định dạng ngày kiểu Mỹ)",
            s.format("%d/%m/%Y")
        )
    });
    let shown = date.format("%d/%m/%Y").to_string();
    let message = format!(
        "ngày báo cáo ghi trên biểu {shown} sau {reason} {}, không thể đúng{hint}; ngày này không được dùng, ngày nhận lấy theo nguồn tiếp theo — đề nghị đơn vị sửa ngày báo cáo",
        limit.format("%d/%m/%Y")
    );
    Some(
        Finding::warning(FindingKind::ImpossibleDate, &sub.file, message)
            .sheet(&sub.sheet)
            .cell(sub.report_date_cell.as_deref())
            .unit(sub.unit.as_deref())
            .value(shown),
    )
}

/// The date with day and month swapped, when that is a date at all.
fn swapped(date: NaiveDate) -> Option<NaiveDate> {
    (date.day() != date.month())
        .then(|| NaiveDate::from_ymd_opt(date.year(), date.day(), date.month()))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Layout;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn form_dated(date: Option<NaiveDate>) -> Submission {
        let mut sub = Submission::blank("t.xlsx", "Biểu", Layout::Form);
        sub.report_date = date;
        sub.report_date_cell = Some("C6".into());
        sub.period = "2024-H1".parse().ok();
        sub
    }

    #[test]
    fn a_date_after_the_as_of_date_is_set_aside_naming_the_swap() {
        let mut sub = form_dated(d(2024, 8, 6));
        let f = set_aside_impossible(&mut sub, d(2024, 6, 15), d(2024, 6, 20)).unwrap();
        assert_eq!(sub.report_date, None);
        assert_eq!(
            (f.kind, f.cell.as_deref()),
            (FindingKind::ImpossibleDate, Some("C6"))
        );
        assert!(
            f.message.contains("06/08/2024") && f.message.contains("15/06/2024"),
            "{}",
            f.message
        );
        assert!(f.message.contains("ngày 08/06/2024"), "{}", f.message);
    }

    #[test]
    fn a_date_after_the_file_was_saved_is_set_aside() {
        let mut sub = form_dated(d(2024, 6, 25));
        let f = set_aside_impossible(&mut sub, None, d(2024, 6, 9)).unwrap();
        assert_eq!(sub.report_date, None);
        assert!(
            f.message.contains("lưu lần cuối 09/06/2024"),
            "{}",
            f.message
        );
        assert!(
            !f.message.contains("đảo"),
            "25/06 has no swap: {}",
            f.message
        );
    }

    #[test]
    fn possible_dates_are_kept() {
        for (as_of, saved) in [
            (d(2024, 6, 15), d(2024, 6, 5)),
            (None, None),
            (d(2024, 6, 5), None),
        ] {
            let mut sub = form_dated(d(2024, 6, 5));
            assert_eq!(set_aside_impossible(&mut sub, as_of, saved), None);
            assert_eq!(sub.report_date, d(2024, 6, 5));
        }
    }

    #[test]
    fn a_swap_that_is_still_too_late_is_not_suggested() {
        let mut sub = form_dated(d(2024, 12, 7));
        let f = set_aside_impossible(&mut sub, d(2024, 6, 15), None).unwrap();
        assert!(!f.message.contains("đảo"), "{}", f.message);
    }
}
