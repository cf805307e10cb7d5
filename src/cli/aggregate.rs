//! `qcdc aggregate`: consolidate a period and write the report.

use super::args::AggregateArgs;
use super::exit::Exit;
use anyhow::Context as _;
use qcdc::config::Settings as ReportSettings;
use qcdc::write::atomic::{self, OutputKind};
use qcdc::write::report::{self, ReportMeta};
use qcdc::write::{json, long};
use std::path::{Path, PathBuf};

pub fn run(args: AggregateArgs) -> anyhow::Result<Exit> {
    let period = args.period_args.period;
    let quiet = args.common.quiet;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("tong-hop-{period}.xlsx")));
    // Everything that can be refused is refused before anything is read.
    let mut planned = vec![(out.as_path(), OutputKind::Workbook)];
    planned.extend(args.long.as_deref().map(|p| (p, OutputKind::LongCsv)));
    atomic::check_names(&planned)?;
    let (report_settings, blank_province) = report_settings(&args)?;
    let mut loaded = super::load_common(&args.common)?;
    // The earlier period is read first: a wrong file stops the run before the
    // inputs are read, and no output may replace it.
    let earlier = args
        .compare
        .as_deref()
        .map(|p| read_earlier(p, period, &loaded))
        .transpose()?;
    loaded.named_files.extend(args.compare.clone());
    let outputs: Vec<&Path> = planned.iter().map(|(p, _)| *p).collect();
    loaded.ensure_writable(&outputs, &args.period_args)?;
    let book_file = atomic::reserve(&out)?;
    let long_file = args.long.as_deref().map(atomic::reserve).transpose()?;
    let mut c = super::consolidate(&loaded, &args.period_args, quiet || args.common.json)?;
    if let Some(exit) = super::nothing_to_judge(&c, args.common.json)? {
        return Ok(exit);
    }
    let schema = &loaded.schema;
    if let (Some(earlier), Some(path)) = (earlier, &args.compare) {
        qcdc::collect::compare::compare(&mut c, earlier, schema)
            .with_context(|| format!("--compare {}", path.display()))?;
    }
    let meta = ReportMeta {
        settings: &report_settings,
        made_at: chrono::Local::now().naive_local(),
    };
    // The workbook takes longest; the CSV and the JSON are made beside it.
    let (book, (long_csv, summary)) = rayon::join(
        || report::report(&c, schema, &meta),
        || {
            let long_csv = args.long.as_ref().map(|_| long::long_csv(&c, schema));
            let summary = args
                .common
                .json
                .then(|| serde_json::to_string_pretty(&json::summary(&c)));
            (long_csv, summary)
        },
    );
    let book = book.context("không tạo được biểu tổng hợp")?;
    // Both are made before either is written; each waits on the disk for its
    // own sync, side by side.
    let (book_written, long_written) = rayon::join(
        || book_file.commit(&book),
        || match (long_file, long_csv) {
            (Some(file), Some(bytes)) => file.commit(&bytes),
            _ => Ok(()),
        },
    );
    book_written?;
    long_written?;
    if let Some(summary) = summary {
        super::emit(summary? + "\n")?;
    }
    if !c.from_registry && !quiet {
        eprintln!(
            "Lưu ý: không có danh sách đơn vị (--units): chỉ tính các đơn vị đã nộp, nên không xác định được đơn vị chưa nộp."
        );
    }
    if let Some(warning) = blank_province {
        eprintln!("{warning}");
    }
    eprintln!("{} Đã ghi {}.", super::summary_line(&c), out.display());
    if let Some(cmp) = &c.comparison {
        let screened = c
            .findings
            .iter()
            .filter(|f| f.kind == qcdc::finding::FindingKind::Screening)
            .count();
        eprintln!(
            "So sánh với kỳ {}: {screened} số liệu cần kiểm tra lại (xem trang Lỗi và cảnh báo).",
            cmp.period
        );
    }
    Ok(if args.strict {
        Exit::from_errors(c.counts.errors)
    } else {
        Exit::Success
    })
}

/// The earlier period's figures, refused at once when they cannot stand beside
/// this period.
fn read_earlier(
    path: &Path,
    period: qcdc::period::Period,
    loaded: &super::Loaded,
) -> anyhow::Result<qcdc::read::earlier::EarlierPeriod> {
    let context = || format!("--compare {}", path.display());
    let earlier = qcdc::read::earlier::read_earlier(path, &loaded.limits).with_context(context)?;
    qcdc::collect::compare::comparable(&earlier, period, &loaded.schema).with_context(context)?;
    Ok(earlier)
}

/// Who issues the report: `qcdc.toml` (found or named), overridden by flags;
/// and, when the report would print a dotted blank for the province, the
/// warning to print with the summary (even with `--quiet`: a scheduled job's
/// log is where the IT staffer sees it).
fn report_settings(args: &AggregateArgs) -> anyhow::Result<(ReportSettings, Option<String>)> {
    let flags = ReportSettings {
        tinh: args.tinh.clone(),
        co_quan: args.co_quan.clone(),
        dia_danh: args.dia_danh.clone(),
        ..ReportSettings::default()
    };
    let found = ReportSettings::locate(args.config.as_deref(), args.common.units.as_deref())?;
    let settings = found.settings.overridden_by(flags);
    if !settings.lacks_province() {
        return Ok((settings, None));
    }
    let place = match &found.path {
        Some(p) => format!("{} không có khóa tinh", p.display()),
        None => format!(
            "không tìm thấy {} (đã tìm ở: {})",
            qcdc::config::CONFIG_FILE,
            found
                .looked_in
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let warning = format!(
        "Cảnh báo: {place}: biểu in \"{}\"; hãy ghi tinh = \"…\" vào qcdc.toml (cạnh danh sách đơn vị), dùng --config hoặc --tinh.",
        settings.parent_body()
    );
    Ok((settings, Some(warning)))
}
