//! Findings: everything the officer must know about an input, located precisely.
//!
//! A finding names the file, sheet, cell (A1), unit, indicator and the value as
//! seen, with a Vietnamese message. Findings never stop the run; they are
//! gathered, sorted and reported.

pub use crate::schema::Severity;
use serde::Serialize;

/// What a finding is about, for callers that branch on it and for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The file could not be read at all.
    Unreadable,
    /// A file units send instead of a spreadsheet (a PDF, a Word 97–2003
    /// document, a photo, a RAR): named for what it is, not read.
    NotRead,
    /// Something the reader noticed (an encoding guess, an unreadable sheet).
    ReadNote,
    /// No sheet of the file holds a QCDC form or table.
    NoForm,
    /// A form has labels but no indicator table.
    NoIndicatorTable,
    MissingUnit,
    MissingPeriod,
    BadReportDate,
    BadValue,
    /// A figure read from text that held more than the number (`5 cuộc`, `'7`).
    ValueAsTyped,
    /// `Số liệu` empty while `Ghi chú` holds a bare number, which is not used.
    NumberInNote,
    /// `không áp dụng` written for an indicator that applies to the unit's type.
    MarkedNotApplicable,
    /// An indicator found by a near code (`KNO1`) or by its label, not its code.
    IndicatorMatched,
    /// Several value columns, and the headings do not say which is this period's.
    PeriodColumn,
    /// A sheet holding a form that is not used (hidden, another period, a draft).
    SheetNotUsed,
    /// Two visible forms of one unit and period in one file.
    TwoForms,
    /// A form date that cannot be true (after the as-of date, after the file was saved).
    ImpossibleDate,
    DuplicateIndicator,
    UnknownIndicator,
    NoValues,
    RuleViolated,
    MissingValue,
    NotApplicable,
    UnknownUnit,
    WrongPeriod,
    /// Two submissions of one unit received the same day.
    Tie,
    /// The receipts log names a file that is not among the inputs.
    ReceiptFileMissing,
    /// The receipts log dates a submission after the day judged.
    ReceivedAfterAsOf,
    /// A unit code matched the registry only without its leading zeros.
    StrippedCode,
    /// Something the registry itself looks wrong in (codes stripped of zeros).
    Registry,
    /// The date received is only the file's modification time.
    EstimatedDate,
    /// A figure that looks mistyped beside the unit's earlier one or its peers.
    Screening,
    /// A folder could not be walked (permissions, a symbolic-link loop).
    Walk,
}

/// One located remark about an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub kind: FindingKind,
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub unit: Option<String>,
    pub indicator: Option<String>,
    pub value: Option<String>,
    pub message: String,
}

impl Finding {
    /// An error about a file; add the location with the builder methods.
    pub fn error(kind: FindingKind, file: &str, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Error, kind, file, message)
    }

    /// A warning about a file; add the location with the builder methods.
    pub fn warning(kind: FindingKind, file: &str, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Warning, kind, file, message)
    }

    fn new(
        severity: Severity,
        kind: FindingKind,
        file: &str,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            severity,
            kind,
            file: file.to_string(),
            sheet: None,
            cell: None,
            unit: None,
            indicator: None,
            value: None,
            message: message.into(),
        }
    }

    pub fn sheet(mut self, sheet: &str) -> Finding {
        self.sheet = Some(sheet.to_string());
        self
    }

    pub fn cell(mut self, cell: Option<&str>) -> Finding {
        self.cell = cell.map(str::to_string);
        self
    }

    pub fn unit(mut self, unit: Option<&str>) -> Finding {
        self.unit = unit.map(str::to_string);
        self
    }

    pub fn indicator(mut self, code: &str) -> Finding {
        self.indicator = Some(code.to_string());
        self
    }

    pub fn value(mut self, seen: impl Into<String>) -> Finding {
        self.value = Some(seen.into());
        self
    }

    /// The severity word shown to the officer.
    pub fn severity_label(&self) -> &'static str {
        match self.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        }
    }

    /// Where it is, compiler style: `file: sheet!E15`.
    pub fn location(&self) -> String {
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => format!("{}: {s}!{c}", self.file),
            (Some(s), None) => format!("{}: {s}", self.file),
            _ => self.file.clone(),
        }
    }

    /// The sort key used everywhere: unit, file, sheet, then cell in reading order.
    pub fn sort_key(&self) -> (String, String, String, (u32, u32), Severity, FindingKind) {
        (
            self.unit.clone().unwrap_or_default(),
            self.file.clone(),
            self.sheet.clone().unwrap_or_default(),
            self.cell.as_deref().map(cell_order).unwrap_or((0, 0)),
            self.severity,
            self.kind,
        )
    }
}

/// (row, column) of an A1 address, so E9 sorts before E10.
fn cell_order(a1: &str) -> (u32, u32) {
    let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row = a1[letters.len()..].parse().unwrap_or(0);
    let col = letters.bytes().fold(0u32, |acc, b| {
        acc.saturating_mul(26).saturating_add((b - b'A' + 1) as u32)
    });
    (row, col)
}

/// Sorts findings into their reporting order.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by_cached_key(Finding::sort_key);
}
