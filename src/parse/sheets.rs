//! Several forms of one unit and period in one workbook: which one is read.
//!
//! Units keep copies beside the form they send: last period's sheet (`Kỳ
//! trước`), a draft (`nháp`), a hidden original. A hidden sheet never wins over
//! a visible one; a sheet whose name marks another period or a draft gives way
//! to one that does not; two forms still left are an error, and the first in
//! workbook order is read, so that the same file always gives the same figures.

use super::{Parsed, Submission};
use crate::finding::{Finding, FindingKind};
use crate::period::{Period, find_year};
use crate::read::Workbook;
use crate::text::fold;
use std::collections::HashMap;

/// Folded words of a sheet name that mark it as another period's or a draft.
/// `nháp` (draft) folds like `nhập` (entry, as in `Nhập liệu`), so it is looked
/// for with its diacritics, or as the whole name when typed without them.
const NOT_THIS_PERIOD: &[&str] = &["ky truoc", "cung ky", "nam truoc", "ban nhap", "draft"];

/// Leaves one sheet's form per unit and period, with a finding for each sheet
/// set aside. Table rows of one sheet are not compared here: several rows of one
/// unit are the collect stage's to settle.
pub fn keep_one_per_unit(parsed: &mut Parsed, workbook: &Workbook) {
    let order = |sheet: &str| workbook.sheets.iter().position(|s| s.name == sheet);
    let hidden = |sheet: &str| workbook.sheets.iter().any(|s| s.name == sheet && s.hidden);
    let mut groups: HashMap<(&str, Period), Vec<&str>> = HashMap::new();
    for sub in &parsed.submissions {
        if let (Some(unit), Some(period)) = (sub.unit.as_deref(), sub.period) {
            let sheets = groups.entry((unit, period)).or_default();
            if !sheets.contains(&sub.sheet.as_str()) {
                sheets.push(&sub.sheet);
            }
        }
    }
    let mut set_aside: Vec<(String, Period, String, Finding)> = Vec::new();
    for ((unit, period), mut sheets) in groups.into_iter().filter(|(_, s)| s.len() > 1) {
        sheets.sort_by_key(|s| order(s));
        let file = &parsed.submissions[0].file;
        let mut keep: Vec<&str> = sheets.clone();
        if keep.iter().any(|s| !hidden(s)) {
            for s in keep.iter().filter(|s| hidden(s)) {
                let visible = sheets
                    .iter()
                    .find(|v| !hidden(v))
                    .copied()
                    .unwrap_or_default();
                let message = format!(
                    "trang tính ẩn '{s}' cũng có biểu của đơn vị {unit} kỳ {period}; trang tính ẩn không được dùng, số liệu lấy ở trang tính '{visible}'"
                );
                set_aside.push(not_used(file, s, unit, period, message));
            }
            keep.retain(|s| !hidden(s));
        }
        if keep.iter().any(|s| !marks_other(s, period)) {
            let used = keep
                .iter()
                .find(|s| !marks_other(s, period))
                .copied()
                .unwrap_or_default();
            for s in keep.iter().filter(|s| marks_other(s, period)) {
                let message = format!(
                    "trang tính '{s}' có tên của kỳ khác hoặc bản nháp; biểu của đơn vị {unit} kỳ {period} được lấy ở trang tính '{used}', trang tính '{s}' không được dùng"
                );
                set_aside.push(not_used(file, s, unit, period, message));
            }
            keep.retain(|s| !marks_other(s, period));
        }
        if let [first, rest @ ..] = keep.as_slice() {
            for s in rest {
                let message = format!(
                    "tệp có hai biểu của đơn vị {unit} kỳ {period}, ở trang tính '{first}' và trang tính '{s}'; dùng trang tính '{first}' (đứng trước), đề nghị đơn vị xóa biểu thừa hoặc xác nhận biểu đúng"
                );
                let finding = Finding::error(FindingKind::TwoForms, file, message)
                    .sheet(s)
                    .unit(Some(unit));
                set_aside.push((s.to_string(), period, unit.to_string(), finding));
            }
        }
    }
    for (sheet, period, unit, finding) in set_aside {
        let is_it = |sub: &Submission| {
            sub.sheet == sheet && sub.period == Some(period) && sub.unit.as_deref() == Some(&unit)
        };
        parsed.submissions.retain(|sub| !is_it(sub));
        // What was said about the cells of a sheet that is not read would only
        // send the unit to correct a copy nobody uses.
        parsed
            .findings
            .retain(|f| !(f.sheet.as_deref() == Some(&sheet) && f.unit.as_deref() == Some(&unit)));
        parsed.findings.push(finding);
    }
}

fn not_used(
    file: &str,
    sheet: &str,
    unit: &str,
    period: Period,
    message: String,
) -> (String, Period, String, Finding) {
    let finding = Finding::warning(FindingKind::SheetNotUsed, file, message)
        .sheet(sheet)
        .unit(Some(unit));
    (sheet.to_string(), period, unit.to_string(), finding)
}

/// Whether a sheet's name marks it as another period's or a draft: one of the
/// words above, or a year other than the period's (`2023` in a 2024 report).
fn marks_other(sheet: &str, period: Period) -> bool {
    let folded = format!(" {} ", fold(sheet).replace(['_', '-', '.', '(', ')'], " "));
    let draft =
        crate::text::clean(sheet).to_lowercase().contains("nháp") || folded.trim() == "nhap";
    draft
        || NOT_THIS_PERIOD
            .iter()
            .any(|w| folded.contains(&format!(" {w} ")))
        || find_year(sheet).is_some_and(|y| y != period.year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_that_mark_another_period_or_a_draft() {
        let p: Period = "2024-H1".parse().unwrap();
        for name in [
            "Kỳ trước",
            "Cung ky",
            "Bieu 2023",
            "Nháp",
            "ban_nhap",
            "6T-2023",
        ] {
            assert!(marks_other(name, p), "{name}");
        }
        for name in ["Biểu", "Bieu 2024", "Sheet1", "Nhập liệu", "Sheet1 (2)"] {
            assert!(!marks_other(name, p), "{name}");
        }
    }
}
