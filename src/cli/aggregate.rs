//! `qcdc aggregate`: consolidate a period and write the report.

use super::args::AggregateArgs;
use super::exit::Exit;
use anyhow::Context as _;
use qcdc::config::Settings as ReportSettings;
use qcdc::write::report::{self, ReportMeta};
use qcdc::write::{atomic, json, long};
use std::path::{Path, PathBuf};

pub fn run(args: AggregateArgs) -> anyhow::Result<Exit> {
    let period = args.period_args.period;
    let flags = ReportSettings {
        tinh: args.tinh.clone(),
        co_quan: args.co_quan.clone(),
        dia_danh: args.dia_danh.clone(),
        ..ReportSettings::default()
    };
    let report_settings =
        ReportSettings::load_from(std::path::Path::new("."))?.overridden_by(flags);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("tong-hop-{period}.xlsx")));
    let loaded = super::load_common(&args.common)?;
    let outputs: Vec<&Path> = std::iter::once(out.as_path())
        .chain(args.long.as_deref())
        .collect();
    loaded.ensure_writable(&outputs, &args.period_args)?;
    let c = super::consolidate(&loaded, &args.period_args, args.common.json)?;
    let schema = &loaded.schema;
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
    atomic::write(&out, &book.context("không tạo được biểu tổng hợp")?)?;
    if let (Some(path), Some(bytes)) = (&args.long, long_csv) {
        atomic::write(path, &bytes)?;
    }
    if let Some(summary) = summary {
        super::emit(summary? + "\n")?;
    }
    let n = &c.counts;
    if !c.from_registry {
        eprintln!(
            "Lưu ý: không có danh sách đơn vị (--units): chỉ tính các đơn vị đã nộp, nên không xác định được đơn vị chưa nộp."
        );
    }
    eprintln!(
        "Kỳ {} (hạn {}): {} đơn vị phải nộp, {} đã nộp ({} đúng hạn, {} trễ hạn), {} chưa nộp, {} không hợp lệ, {} chưa đến hạn; {} lỗi, {} cảnh báo. Đã ghi {}.",
        c.period,
        c.due.format("%d/%m/%Y"),
        n.expected,
        n.received,
        n.on_time,
        n.late,
        n.missing,
        n.invalid,
        n.not_yet_due,
        n.errors,
        n.warnings,
        out.display()
    );
    Ok(if args.strict {
        Exit::from_errors(n.errors)
    } else {
        Exit::Success
    })
}
