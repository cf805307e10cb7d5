//! `qcdc aggregate`: consolidate a period and write the report.

use super::args::AggregateArgs;
use super::exit::Exit;
use super::{load_common, progress};
use anyhow::Context as _;
use qcdc::batch;
use qcdc::check::Context;
use qcdc::collect::{self, Settings};
use qcdc::config::Settings as ReportSettings;
use qcdc::receipts::Receipts;
use qcdc::write::report::{self, ReportMeta};
use qcdc::write::{atomic, json, long};
use std::path::PathBuf;

pub fn run(args: AggregateArgs) -> anyhow::Result<Exit> {
    let loaded = load_common(&args.common)?;
    let receipts = args.received.as_deref().map(Receipts::load).transpose()?;
    let flags = ReportSettings {
        tinh: args.tinh.clone(),
        co_quan: args.co_quan.clone(),
        dia_danh: args.dia_danh.clone(),
    };
    let report_settings =
        ReportSettings::load_from(std::path::Path::new("."))?.overridden_by(flags);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("tong-hop-{}.xlsx", args.period)));
    let inputs: Vec<PathBuf> = loaded
        .discovery
        .files
        .iter()
        .map(|f| f.path.clone())
        .collect();
    atomic::ensure_not_input(&out, &inputs)?;
    if let Some(l) = &args.long {
        atomic::ensure_not_input(l, &inputs)?;
    }
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let ctx = Context {
        schema: &loaded.schema,
        registry: loaded.registry.as_ref(),
        period: Some(args.period),
    };
    let bar = progress::bar(loaded.discovery.files.len(), args.common.json);
    let reports = batch::process(&loaded.discovery.files, ctx, &loaded.limits, &|| bar.inc(1));
    bar.finish_and_clear();
    let settings = Settings {
        schema: &loaded.schema,
        period: args.period,
        as_of,
        registry: loaded.registry.as_ref(),
        receipts: receipts.as_ref(),
    };
    let c = collect::consolidate(reports, loaded.discovery.notes, &settings);

    let meta = ReportMeta {
        settings: &report_settings,
        made_at: chrono::Local::now().naive_local(),
    };
    let book = report::report(&c, &loaded.schema, &meta).context("không tạo được biểu tổng hợp")?;
    atomic::write(&out, &book)?;
    if let Some(path) = &args.long {
        atomic::write(path, &long::long_csv(&c, &loaded.schema))?;
    }
    if args.common.json {
        println!("{}", serde_json::to_string_pretty(&json::summary(&c))?);
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
