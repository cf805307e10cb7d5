//! `qcdc validate`: check submissions and say precisely what is wrong, file by file.

use super::args::ValidateArgs;
use super::exit::Exit;
use super::{load_common, progress};
use qcdc::batch::{self, FileReport, Outcome};
use qcdc::check::Context;
use qcdc::finding::{self, Finding, Severity};
use qcdc::parse::{SlotState, Submission};
use serde_json::{Value, json};

pub fn run(args: ValidateArgs) -> anyhow::Result<Exit> {
    let loaded = load_common(&args.common)?;
    let ctx = Context {
        schema: &loaded.schema,
        registry: loaded.registry.as_ref(),
        period: args.period,
        as_of: None,
    };
    let bar = progress::bar(
        loaded.discovery.files.len(),
        args.common.json || args.common.quiet,
    );
    let mut reports = batch::process(&loaded.discovery.files, ctx, &loaded.limits, &|| bar.inc(1));
    bar.finish_and_clear();
    for r in &mut reports {
        finding::sort(&mut r.findings);
    }
    let notes = &loaded.discovery.notes;
    let count = |s| {
        reports
            .iter()
            .flat_map(|r| &r.findings)
            .chain(notes)
            .filter(|f| f.severity == s)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    if args.common.json {
        let files: Vec<Value> = reports.iter().map(file_json).collect();
        let out = json!({"files": files, "notes": notes, "errors": errors, "warnings": warnings});
        super::emit(serde_json::to_string_pretty(&out)? + "\n")?;
    } else {
        super::emit(human(&reports, notes, errors, warnings, args.common.quiet))?;
    }
    Ok(Exit::from_errors(errors))
}

fn file_status(r: &FileReport) -> &'static str {
    match &r.outcome {
        Outcome::Skipped(_) => "skipped",
        Outcome::Unreadable(_) => "unreadable",
        Outcome::Read(_) | Outcome::Opened(_)
            if r.findings.iter().any(|f| f.severity == Severity::Error) =>
        {
            "errors"
        }
        Outcome::Read(_) | Outcome::Opened(_) => "ok",
    }
}

fn submission_json(s: &Submission) -> Value {
    let values: serde_json::Map<String, Value> = s
        .slots
        .iter()
        .filter_map(|slot| match &slot.state {
            SlotState::Value(qcdc::value::Reported::Count(n)) => {
                Some((slot.code.clone(), json!(n)))
            }
            SlotState::Value(qcdc::value::Reported::Text(t)) => Some((slot.code.clone(), json!(t))),
            _ => None,
        })
        .collect();
    json!({
        "unit": s.unit,
        "unit_name": s.unit_name,
        "period": s.period,
        "report_date": s.report_date.map(|d| d.to_string()),
        "sheet": s.sheet,
        "layout": s.layout,
        "values": values,
    })
}

fn file_json(r: &FileReport) -> Value {
    let reason = match &r.outcome {
        Outcome::Skipped(why) | Outcome::Unreadable(why) | Outcome::Opened(why) => {
            Some(why.as_str())
        }
        Outcome::Read(_) => None,
    };
    json!({
        "path": r.input.shown,
        "status": file_status(r),
        "reason": reason,
        "submissions": r.submissions.iter().map(submission_json).collect::<Vec<_>>(),
        "findings": r.findings,
    })
}

/// The compiler-style report: one line per finding (none with `--quiet`),
/// then a summary.
fn human(
    reports: &[FileReport],
    notes: &[Finding],
    errors: usize,
    warnings: usize,
    quiet: bool,
) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mut line = |f: &Finding| {
        if quiet {
            return Ok(());
        }
        writeln!(
            out,
            "{}: {}: {}",
            f.location(),
            f.severity_label(),
            f.message
        )
    };
    for f in notes {
        let _ = line(f);
    }
    let (mut ok, mut skipped, mut unreadable, mut with_errors, mut forms) = (0, 0, 0, 0, 0);
    for r in reports {
        match file_status(r) {
            "ok" => ok += 1,
            "skipped" => skipped += 1,
            "unreadable" => unreadable += 1,
            _ => with_errors += 1,
        }
        forms += r.submissions.len();
        for f in &r.findings {
            let _ = line(f);
        }
    }
    let _ = writeln!(
        out,
        "{}Đã xem {} tệp: {ok} hợp lệ, {with_errors} có lỗi, {unreadable} không đọc được, {skipped} bỏ qua (không phải bảng tính); {forms} biểu báo cáo; {errors} lỗi, {warnings} cảnh báo.",
        if quiet { "" } else { "\n" },
        reports.len()
    );
    out
}
