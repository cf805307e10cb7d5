//! Reading, parsing and checking every input file, in parallel.
//!
//! Files are independent, so they are processed on all cores (rayon) and the
//! results kept in input order, which makes every output deterministic whatever
//! the number of threads. One file's failure, even a panic inside a reader, is
//! that file's finding and never stops the others.

use crate::check::{self, Context};
use crate::finding::{Finding, FindingKind};
use crate::inputs::{Input, base_name};
use crate::parse::{self, Submission};
use crate::read::{self, Format, Limits};
use chrono::NaiveDate;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// What became of one input file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "reason")]
pub enum Outcome {
    /// Opened and read (whether or not it held a form).
    Read(Format),
    /// Not a spreadsheet or CSV: counted, not read.
    Skipped(String),
    /// A spreadsheet that could not be read, and why.
    Unreadable(String),
}

/// Everything learnt from one input file.
#[derive(Debug)]
pub struct FileReport {
    pub input: Input,
    /// The base name, as receipts name it.
    pub name: String,
    pub size: u64,
    pub modified: Option<NaiveDate>,
    pub sha256: Option<String>,
    pub outcome: Outcome,
    pub submissions: Vec<Submission>,
    pub findings: Vec<Finding>,
}

/// Processes every file; `done` is called once per file (for a progress bar).
pub fn process(
    inputs: &[Input],
    ctx: Context,
    limits: &Limits,
    done: &(dyn Fn() + Sync),
) -> Vec<FileReport> {
    inputs
        .par_iter()
        .map(|input| {
            let report = process_one(input, ctx, limits);
            done();
            report
        })
        .collect()
}

/// Processes one file, containing any panic to that file.
pub fn process_one(input: &Input, ctx: Context, limits: &Limits) -> FileReport {
    let mut report = FileReport {
        input: input.clone(),
        name: base_name(&input.path),
        size: 0,
        modified: None,
        sha256: None,
        outcome: Outcome::Skipped(String::new()),
        submissions: Vec::new(),
        findings: Vec::new(),
    };
    // Opened once: its size, date and bytes all come from the same file, even
    // if the path is replaced meanwhile.
    let file = std::fs::File::open(&input.path);
    if let Some(meta) = file.as_ref().ok().and_then(|f| f.metadata().ok()) {
        report.size = meta.len();
        report.modified = meta
            .modified()
            .ok()
            .map(|t| chrono::DateTime::<chrono::Local>::from(t).date_naive());
    }
    if let Some(reason) = skip_reason(&report.name) {
        report.outcome = Outcome::Skipped(reason);
        // Hashed all the same: the report lists every input with its SHA-256.
        report.sha256 = file
            .ok()
            .and_then(|f| read::file_bytes(f, report.size, limits).ok())
            .map(|b| hex(&Sha256::digest(&b)));
        return report;
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        read_parse_check(file, &mut report, ctx, limits)
    }));
    if let Err(panic) = result {
        let detail = read::panic_message(panic.as_ref());
        fail(
            &mut report,
            format!("lỗi nội bộ khi đọc tệp ({detail}); hãy báo cho người phát triển kèm tệp này"),
        );
    }
    report
}

/// Why a file is not read at all, if it is not.
fn skip_reason(name: &str) -> Option<String> {
    if name.starts_with("~$") {
        return Some("tệp khóa tạm của Excel (~$), không phải báo cáo".into());
    }
    if name.starts_with(".~lock.") && name.ends_with('#') {
        return Some("tệp khóa tạm của LibreOffice (.~lock.…#), không phải báo cáo".into());
    }
    if !read::is_supported(std::path::Path::new(name)) {
        return Some("không phải bảng tính hoặc CSV".into());
    }
    None
}

fn fail(report: &mut FileReport, reason: String) {
    report.findings.push(Finding::error(
        FindingKind::Unreadable,
        &report.input.shown,
        format!("không đọc được tệp: {reason}"),
    ));
    report.outcome = Outcome::Unreadable(reason);
    report.submissions.clear();
}

fn read_parse_check(
    file: std::io::Result<std::fs::File>,
    report: &mut FileReport,
    ctx: Context,
    limits: &Limits,
) {
    let input = &report.input;
    let read = file
        .map_err(|e| read::ReadError::Io(e.to_string()))
        .and_then(|f| read::file_bytes(f, report.size, limits));
    let bytes = match read {
        Ok(b) => b,
        Err(e) => return fail(report, e.to_string()),
    };
    report.sha256 = Some(hex(&Sha256::digest(&bytes)));
    if let Some(own) = read::own::recognise(&bytes) {
        report.outcome = Outcome::Skipped(own.reason().into());
        return;
    }
    let workbook = match read::read_bytes(&bytes, &input.path, limits) {
        Ok(wb) => wb,
        Err(e) => return fail(report, e.to_string()),
    };
    drop(bytes);
    let shown = &input.shown;
    for note in &workbook.notes {
        let mut f = Finding::warning(FindingKind::ReadNote, shown, note.message.clone());
        if let Some(sheet) = &note.sheet {
            f = f.sheet(sheet);
        }
        if let Some((row, col)) = note.cell {
            f = f.cell(Some(&read::a1(row, col)));
        }
        report.findings.push(f);
    }
    let parsed = parse::parse_workbook(&workbook, shown, ctx.schema);
    report.findings.extend(parsed.findings);
    for sub in &parsed.submissions {
        report.findings.extend(check::check(sub, ctx));
    }
    report.submissions = parsed.submissions;
    report.outcome = Outcome::Read(workbook.format.unwrap_or(Format::Csv));
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}
