//! Reading, parsing and checking every input file, in parallel.
//!
//! Files are independent, so they are processed on all cores (rayon) and the
//! results kept in input order, which makes every output deterministic whatever
//! the number of threads. One file's failure, even a panic inside a reader, is
//! that file's finding and never stops the others.
//!
//! A container (a zip, a saved mail) is one input that gives several reports:
//! its own, then one per member in the walk's order, each read from bytes in
//! memory and named `archive.zip/inner/path.xlsx`, so every output downstream
//! treats members as files.

use crate::check::{self, Context};
use crate::finding::{Finding, FindingKind};
use crate::inputs::{Identity, Input, base_name};
use crate::parse::{self, Submission};
use crate::read::container::{self, ContainerKind, What};
use crate::read::{self, Format, Limits, Mail};
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
    /// A container (a zip, a saved mail) opened, and what it held: its
    /// members are reported after it, each as a file of its own.
    Opened(String),
    /// Not a spreadsheet or CSV: counted, not read.
    Skipped(String),
    /// A spreadsheet that could not be read, and why.
    Unreadable(String),
}

/// Everything learnt from one input file, or from one member of a container
/// (then `input.shown` is `archive.zip/inner/path.xlsx`).
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
    /// The base names of the containers it was found in, innermost first: a
    /// receipt naming one of them applies to it.
    pub within: Vec<String>,
    /// The mail it is, or came attached to (the nearest): its date is a source
    /// of the date received, its sender shown beside the unit.
    pub mail: Option<Mail>,
}

/// Processes every file; `done` is called once per input (for a progress bar).
/// A container gives its own report followed by its members'.
pub fn process(
    inputs: &[Input],
    ctx: Context,
    limits: &Limits,
    done: &(dyn Fn() + Sync),
) -> Vec<FileReport> {
    let per_input: Vec<Vec<FileReport>> = inputs
        .par_iter()
        .map(|input| {
            let reports = process_input(input, ctx, limits);
            done();
            reports
        })
        .collect();
    per_input.into_iter().flatten().collect()
}

/// Processes one input file: its report, then, for a container, one per member.
pub fn process_input(input: &Input, ctx: Context, limits: &Limits) -> Vec<FileReport> {
    let mut report = FileReport::new(input.clone(), base_name(&input.path));
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
    let read = file
        .map_err(|e| read::ReadError::Io(e.to_string()))
        .and_then(|f| read::file_bytes(f, report.size, limits));
    let bytes = match read {
        Ok(b) => b,
        Err(_) if !might_be_read(&report.name) || skip_reason(&report.name).is_some() => {
            let reason = skip_reason(&report.name).unwrap_or_else(|| NOT_A_SPREADSHEET.into());
            report.outcome = Outcome::Skipped(reason);
            return vec![report];
        }
        Err(e) => {
            fail(&mut report, e.to_string());
            return vec![report];
        }
    };
    match container::kind_of(&bytes, &report.name).filter(|_| skip_reason(&report.name).is_none()) {
        Some(kind) => expand(report, &bytes, kind, ctx, limits),
        None => {
            report_bytes(&mut report, &bytes, ctx, limits);
            vec![report]
        }
    }
}

impl FileReport {
    fn new(input: Input, name: String) -> FileReport {
        FileReport {
            input,
            name,
            size: 0,
            modified: None,
            sha256: None,
            outcome: Outcome::Skipped(String::new()),
            submissions: Vec::new(),
            findings: Vec::new(),
            within: Vec::new(),
            mail: None,
        }
    }
}

/// A container's report and its members', in the walk's order. A panic inside
/// the walk (a third-party parser's) is the container's error; what was found
/// before it is kept.
fn expand(
    root: FileReport,
    bytes: &[u8],
    kind: ContainerKind,
    ctx: Context,
    limits: &Limits,
) -> Vec<FileReport> {
    let name = root.name.clone();
    let mut reports = vec![root];
    let walked = catch_unwind(AssertUnwindSafe(|| {
        container::walk(bytes, &name, kind, limits, &mut |found| {
            let report = if found.path.is_empty() {
                &mut reports[0]
            } else {
                let member = member_report(&reports[0], &found);
                reports.push(member);
                reports.last_mut().expect("just pushed")
            };
            match found.what {
                What::Container(opened, own) => {
                    report.sha256 = Some(hex(&Sha256::digest(own)));
                    report.size = own.len() as u64;
                    report.mail = opened.mail.clone().or(report.mail.take());
                    report.outcome = Outcome::Opened(opened_summary(opened));
                    for note in &opened.notes {
                        let shown = &report.input.shown;
                        report
                            .findings
                            .push(Finding::warning(FindingKind::ReadNote, shown, note));
                    }
                }
                What::File { bytes, modified } => {
                    report.modified = modified.or(report.modified);
                    report_bytes(report, bytes, ctx, limits);
                }
                What::Failed { bytes, error } => {
                    if let Some(own) = bytes {
                        report.sha256 = Some(hex(&Sha256::digest(own)));
                        report.size = own.len() as u64;
                    }
                    fail(report, error.to_string());
                }
            }
        })
    }));
    if let Err(panic) = walked {
        let detail = read::panic_message(panic.as_ref());
        let root = &mut reports[0];
        root.findings.push(Finding::error(
            FindingKind::Unreadable,
            &root.input.shown,
            format!("tệp nén hoặc thư có cấu trúc sai, đã dừng mở giữa chừng ({detail}); các tệp bên trong chưa mở được không có trong báo cáo"),
        ));
    }
    reports
}

/// The report of a member of the container `root` was opened from.
fn member_report(root: &FileReport, found: &container::Found) -> FileReport {
    let path = root.input.path.join(found.path);
    let input = Input {
        shown: format!("{}/{}", root.input.shown, found.path),
        identity: Identity::Path(path.clone()),
        path,
    };
    let name = found
        .path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut report = FileReport::new(input, name);
    report.modified = root.modified;
    report.within = found.within.iter().rev().map(|c| c.name.clone()).collect();
    report.mail = found.within.iter().rev().find_map(|c| c.mail.clone());
    report
}

/// What an opened container held, as Thông tin and Tình hình nộp show it.
fn opened_summary(opened: &container::Opened) -> String {
    match (&opened.kind, &opened.mail) {
        (ContainerKind::Mail, Some(mail)) => {
            let from = mail
                .from
                .as_deref()
                .map(|f| format!(" từ {f}"))
                .unwrap_or_default();
            let date = mail
                .date
                .map(|d| format!(", gửi ngày {}", d.format("%d/%m/%Y")))
                .unwrap_or_default();
            format!(
                "thư điện tử{from}{date}; đã mở: {} tệp đính kèm",
                opened.members
            )
        }
        _ => format!("tệp nén zip; đã mở: {} tệp bên trong", opened.members),
    }
}

/// Reads, parses and checks a file's bytes, containing any panic to that file;
/// a file that is not a spreadsheet is named for what it is.
fn report_bytes(report: &mut FileReport, bytes: &[u8], ctx: Context, limits: &Limits) {
    report.size = bytes.len() as u64;
    // Hashed whatever it is: the report lists every input with its SHA-256.
    report.sha256 = Some(hex(&Sha256::digest(bytes)));
    if let Some(reason) = skip_reason(&report.name) {
        report.outcome = Outcome::Skipped(reason);
        return;
    }
    if !read::is_supported(std::path::Path::new(&report.name)) {
        let named = read::named_by_content(bytes);
        report.outcome = Outcome::Skipped(named.unwrap_or(NOT_A_SPREADSHEET).to_string());
        if let Some(named) = named {
            let shown = &report.input.shown;
            report
                .findings
                .push(Finding::warning(FindingKind::NotRead, shown, named));
        }
        return;
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        read_parse_check(bytes, report, ctx, limits)
    }));
    if let Err(panic) = result {
        let detail = read::panic_message(panic.as_ref());
        fail(
            report,
            format!("lỗi nội bộ khi đọc tệp ({detail}); hãy báo cho người phát triển kèm tệp này"),
        );
    }
}

const NOT_A_SPREADSHEET: &str = "không phải bảng tính hoặc CSV";

/// Why a file is not read at all, by its name, if it is not.
fn skip_reason(name: &str) -> Option<String> {
    if name.starts_with("~$") {
        return Some("tệp khóa tạm của Excel (~$), không phải báo cáo".into());
    }
    if name.starts_with("._") {
        return Some("tệp phụ do máy Mac tạo (._), không phải báo cáo".into());
    }
    if name.starts_with(".~lock.") && name.ends_with('#') {
        return Some("tệp khóa tạm của LibreOffice (.~lock.…#), không phải báo cáo".into());
    }
    None
}

/// Whether a file's name lets it be read: a spreadsheet, a Word document or a
/// container. Any other file that cannot even be loaded is simply skipped.
fn might_be_read(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    read::is_supported(std::path::Path::new(name)) || matches!(ext.as_deref(), Some("zip" | "eml"))
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

fn read_parse_check(bytes: &[u8], report: &mut FileReport, ctx: Context, limits: &Limits) {
    let input = &report.input;
    if let Some(own) = read::own::recognise(bytes) {
        report.outcome = Outcome::Skipped(own.reason().into());
        return;
    }
    let workbook = match read::read_bytes(bytes, &input.path, limits) {
        Ok(wb) => wb,
        Err(e) => return fail(report, e.to_string()),
    };
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
    let mut parsed = parse::parse_workbook(&workbook, shown, ctx.schema);
    if workbook.format == Some(Format::Docx) {
        parsed.findings.iter_mut().for_each(cover_letter);
    }
    report.findings.extend(parsed.findings);
    for sub in &mut parsed.submissions {
        report.findings.extend(check::dates::set_aside_impossible(
            sub,
            ctx.as_of,
            report.modified,
        ));
    }
    for sub in &parsed.submissions {
        report.findings.extend(check::check(sub, ctx));
    }
    report.submissions = parsed.submissions;
    report.outcome = Outcome::Read(workbook.format.unwrap_or(Format::Csv));
}

/// A Word document without a form is most often the cover letter (công văn)
/// mailed with the form: said so, as a warning, since no figure is in it.
fn cover_letter(finding: &mut Finding) {
    if finding.kind == FindingKind::NoForm {
        finding.severity = crate::finding::Severity::Warning;
        finding.message = "tài liệu Word không có biểu QCDC (không có nhãn Mã đơn vị, Kỳ báo cáo hay bảng Mã / Số liệu); nếu là công văn kèm theo thì không cần làm gì, nếu là báo cáo thì hãy đề nghị đơn vị gửi biểu dạng .xlsx".into();
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}
