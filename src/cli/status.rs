//! `qcdc status`: who has sent what, without building the report. Made for a
//! morning cron job: exit 0 when it did its job, 1 when there was nothing to
//! judge (no file, only other periods, nobody owing), 2 when it could not run;
//! its summary goes to stderr like `aggregate`'s, one line with `--quiet`.

use super::args::StatusArgs;
use super::exit::Exit;
use qcdc::collect::Consolidation;
use qcdc::collect::reasons::Reasons;
use qcdc::write::atomic::{self, OutputKind};
use qcdc::write::json;
use qcdc::write::reminders::{owes, reminders_csv, reminders_xlsx};
use std::path::Path;

pub fn run(args: StatusArgs) -> anyhow::Result<Exit> {
    anyhow::ensure!(
        args.common.units.is_some(),
        "qcdc status cần danh sách đơn vị (--units FILE) để biết đơn vị nào còn phải nộp"
    );
    let to_stdout = args.reminders.as_deref() == Some(Path::new("-"));
    anyhow::ensure!(
        !(to_stdout && args.common.json),
        "--reminders - và --json cùng in ra stdout; hãy ghi danh sách nhắc nộp vào tệp (--reminders nhac-nop.csv)"
    );
    let file = args.reminders.as_deref().filter(|_| !to_stdout);
    if let Some(path) = file {
        atomic::check_names(&[(path, OutputKind::Reminders)])?;
    }
    let loaded = super::load_common(&args.common)?;
    if let Some(path) = file {
        loaded.ensure_writable(&[path], &args.period_args)?;
    }
    let reserved = file.map(atomic::reserve).transpose()?;
    let quiet = args.common.quiet;
    let c = super::consolidate(&loaded, &args.period_args, quiet || args.common.json)?;
    if let Some(exit) = super::nothing_to_judge(&c, args.common.json)? {
        return Ok(exit);
    }
    if let (Some(reserved), Some(path)) = (reserved, file) {
        let xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        let bytes = if xlsx {
            reminders_xlsx(&c)?
        } else {
            reminders_csv(&c)
        };
        reserved.commit(&bytes)?;
    } else if to_stdout {
        super::emit(reminders_csv(&c))?;
    }
    if args.common.json {
        super::emit(serde_json::to_string_pretty(&json::summary(&c))? + "\n")?;
    }
    if quiet {
        eprintln!("{}", super::summary_line(&c));
    } else {
        eprint!("{}", summary(&c));
    }
    Ok(Exit::Success)
}

/// The picture in a few lines, then the units still owed and why.
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
    let reasons = Reasons::new(c);
    if !owed.is_empty() {
        out.push_str(&format!("\nCác đơn vị còn phải nộp ({}):\n", owed.len()));
        for u in owed {
            out.push_str(&format!(
                "  {:<8} {:<40} {:<14} {}\n",
                u.unit.code,
                u.unit.name,
                u.status.label(),
                reasons.of(u).unwrap_or_default()
            ));
        }
    }
    let others = n.unknown_unit + n.wrong_period;
    if others > 0 || n.files_unreadable > 0 {
        out.push_str(&format!(
            "\nKhông tính: {} báo cáo của đơn vị không có trong danh sách, {} báo cáo kỳ khác, {} tệp không đọc được (xem --json hoặc qcdc validate).\n",
            n.unknown_unit, n.wrong_period, n.files_unreadable
        ));
    }
    out
}
