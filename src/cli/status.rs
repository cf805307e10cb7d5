//! `qcdc status`: who has sent what, without building the report. Made for a
//! morning cron job: quiet with `--quiet`, exit 0 unless it cannot run.

use super::args::StatusArgs;
use super::exit::Exit;
use qcdc::collect::Consolidation;
use qcdc::write::reminders::{owes, reminders_csv};
use qcdc::write::{atomic, json};

pub fn run(args: StatusArgs) -> anyhow::Result<Exit> {
    anyhow::ensure!(
        args.common.units.is_some(),
        "qcdc status cần danh sách đơn vị (--units FILE) để biết đơn vị nào còn phải nộp"
    );
    let loaded = super::load_common(&args.common)?;
    if let Some(path) = &args.reminders {
        loaded.ensure_writable(&[path], &args.period_args)?;
    }
    let c = super::consolidate(&loaded, &args.period_args, args.common.json)?;
    if let Some(path) = &args.reminders {
        atomic::write(path, &reminders_csv(&c))?;
    }
    if args.common.json {
        super::emit(serde_json::to_string_pretty(&json::summary(&c))? + "\n")?;
    } else if !args.quiet {
        super::emit(summary(&c))?;
    }
    Ok(Exit::Success)
}

/// The picture in a few lines, then the units still owed.
fn summary(c: &Consolidation) -> String {
    let n = &c.counts;
    let days = (c.due - c.as_of).num_days();
    let when = match days {
        d if d > 0 => format!("còn {d} ngày đến hạn"),
        0 => "hôm nay là hạn nộp".to_string(),
        d => format!("đã quá hạn {} ngày", -d),
    };
    let mut out = format!(
        "Kỳ {} — hạn nộp {} ({when}), xét đến ngày {}\nĐã nộp {}/{} đơn vị: {} đúng hạn, {} trễ hạn; chưa nộp {}; không hợp lệ {}; chưa đến hạn {}.\n",
        c.period,
        c.due.format("%d/%m/%Y"),
        c.as_of.format("%d/%m/%Y"),
        n.received,
        n.expected,
        n.on_time,
        n.late,
        n.missing,
        n.invalid,
        n.not_yet_due
    );
    let owed: Vec<_> = c.units.iter().filter(|u| owes(u.status)).collect();
    if !owed.is_empty() {
        out.push_str(&format!("\nCác đơn vị còn phải nộp ({}):\n", owed.len()));
        for u in owed {
            out.push_str(&format!(
                "  {:<8} {:<40} {}\n",
                u.unit.code,
                u.unit.name,
                u.status.label()
            ));
        }
    }
    out
}
