//! Whether a run had anything to judge. An empty or unmounted folder, last
//! year's folder, or a registry where nobody owes this period would otherwise
//! give a picture in which every unit is missing, and a reminders list chasing
//! units that did report. Such a run says why and ends with exit 1.

use super::Consolidation;
use crate::batch::Outcome;

/// Why there is nothing to judge.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NothingToJudge {
    #[error(
        "không có tệp nào trong thư mục đầu vào (thư mục trống, hoặc ổ mạng chưa được gắn?): không có gì để xét"
    )]
    NoInputFile,
    #[error(
        "danh sách đơn vị không có đơn vị nào phải nộp báo cáo kỳ {period} (xem cột bao_cao), dù thư mục có {submitted} báo cáo kỳ này: không có gì để xét"
    )]
    NobodyOwes { period: String, submitted: usize },
    #[error(
        "không có báo cáo nào của kỳ {period} trong {files} tệp đã xem ({other} báo cáo của kỳ khác, {unreadable} tệp không đọc được, {skipped} tệp bỏ qua): có thể nhầm thư mục hoặc nhầm kỳ (--period); không có gì để xét"
    )]
    NoSubmissionForPeriod {
        period: String,
        files: usize,
        other: usize,
        unreadable: usize,
        skipped: usize,
    },
}

/// Why the consolidation has nothing to judge, if so.
pub fn nothing_to_judge(c: &Consolidation) -> Option<NothingToJudge> {
    let period = c.period.to_string();
    if c.files.is_empty() {
        return Some(NothingToJudge::NoInputFile);
    }
    let submitted = c
        .entries
        .iter()
        .filter(|e| e.submission.period == Some(c.period))
        .count();
    if c.from_registry && c.units.is_empty() {
        return Some(NothingToJudge::NobodyOwes { period, submitted });
    }
    let this_period = submitted > 0;
    // A receipt naming an unreadable file is something to act on, and so is a
    // submission of the period the receipts log dates after the day judged.
    let invalid = c.counts.invalid > 0;
    let received_later = c
        .findings
        .iter()
        .any(|f| f.kind == crate::finding::FindingKind::ReceivedAfterAsOf);
    if this_period || invalid || received_later {
        return None;
    }
    let outcome = |f: fn(&Outcome) -> bool| c.files.iter().filter(|r| f(&r.outcome)).count();
    Some(NothingToJudge::NoSubmissionForPeriod {
        period,
        files: c.files.len(),
        other: c.entries.len(),
        unreadable: outcome(|o| matches!(o, Outcome::Unreadable(_))),
        skipped: outcome(|o| matches!(o, Outcome::Skipped(_))),
    })
}
