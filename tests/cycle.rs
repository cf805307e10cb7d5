//! The crontab lines of `docs/cycle.md`, run the way cron runs them: no
//! terminal, `env -i`, `PATH=/usr/bin:/bin`, `/bin/sh -c`, `%` handled as cron
//! does. The lines are taken from the doc itself, so the doc cannot drift.

mod common;

use common::{Workdir, table_csv};
use std::path::Path;

/// The non-comment lines of the doc's `cron` block.
fn crontab_lines() -> Vec<String> {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cycle.md")).unwrap();
    let block = doc
        .split("```cron\n")
        .nth(1)
        .expect("a cron block")
        .split("```")
        .next()
        .unwrap();
    block
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// The five time fields and the command as cron hands it to the shell: `\%`
/// becomes `%`; an unescaped `%` would end the command, which the doc must not do.
fn split(line: &str) -> (Vec<&str>, String) {
    let mut rest = line;
    let mut fields = Vec::new();
    for _ in 0..5 {
        rest = rest.trim_start();
        let end = rest.find(' ').unwrap();
        fields.push(&rest[..end]);
        rest = &rest[end..];
    }
    let mut command = String::new();
    let mut chars = rest.trim_start().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'%') => command.push(chars.next().unwrap()),
            '%' => panic!("an unescaped % ends the command under cron: {line}"),
            c => command.push(c),
        }
    }
    (fields, command)
}

/// The folder the doc's jobs expect, under /srv/qcdc's stand-in.
fn job_folder(wrk: &Workdir) {
    let codes = ["VB01", "TT01", "TT02"];
    wrk.create("srv/don-vi.csv", "ma_don_vi,ten_don_vi,loai_hinh,email\nA1,Đơn vị A,SO_NGANH,a@x.vn\nB1,Đơn vị B,SO_NGANH,b@x.vn\n");
    wrk.create(
        "srv/so-den.csv",
        "tep,ma_don_vi,ngay_nhan\na.csv,A1,12/11/2024\n",
    );
    wrk.create("srv/qcdc.toml", "tinh = \"Quảng Trị\"\n");
    wrk.create(
        "srv/nop/a.csv",
        table_csv(&codes, &[("A1", "năm", "12/11/2024", &["1", "2", "3"])]),
    );
}

/// Runs a command as cron would, with `bin` prepended to cron's PATH when given.
fn run_as_cron(wrk: &Workdir, command: &str, bin: Option<&Path>) {
    let srv = wrk.path("srv").display().to_string();
    let qcdc = assert_cmd::cargo::cargo_bin("qcdc").display().to_string();
    let command = command
        .replace("/usr/local/bin/qcdc", &qcdc)
        .replace("/srv/qcdc", &srv);
    let path = match bin {
        Some(b) => format!("{}:/usr/bin:/bin", b.display()),
        None => "/usr/bin:/bin".to_string(),
    };
    let out = std::process::Command::new("/usr/bin/env")
        .args([
            "-i",
            &format!("PATH={path}"),
            "SHELL=/bin/sh",
            "/bin/sh",
            "-c",
            &command,
        ])
        .current_dir("/")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "everything goes to the log: {out:?}"
    );
}

/// A `date` that answers `+%u` with the given weekday, for the weekday test.
fn fake_weekday(wrk: &Workdir, day: u32) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = \"+%u\" ]; then echo {day}; else exec /bin/date \"$@\"; fi\n"
    );
    let path = wrk.create(&format!("bin-{day}/date"), script);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.parent().unwrap().to_path_buf()
}

fn log(wrk: &Workdir) -> Vec<String> {
    std::fs::read_to_string(wrk.path("srv/qcdc.log"))
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn the_doc_crontab_lines_work_under_cron() {
    let lines = crontab_lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let (status_fields, status) = split(&lines[0]);
    let (_, aggregate) = split(&lines[1]);
    // Day of month and weekday both restricted would mean "either" in cron.
    assert!(
        status_fields[2] == "*" || status_fields[4] == "*",
        "{status_fields:?}"
    );
    let wrk = Workdir::new();
    job_folder(&wrk);

    run_as_cron(&wrk, &status, Some(&fake_weekday(&wrk, 6)));
    assert_eq!(log(&wrk), Vec::<String>::new(), "no run on a Saturday");
    run_as_cron(&wrk, &status, Some(&fake_weekday(&wrk, 3)));
    let logged = log(&wrk);
    assert_eq!(logged.len(), 1, "one line a morning: {logged:?}");
    assert!(logged[0].starts_with("Kỳ 2024-Y (hạn "), "{logged:?}");
    assert!(
        logged[0].contains("2 đơn vị phải nộp, 1 đã nộp"),
        "{logged:?}"
    );
    let reminders = std::fs::read_to_string(wrk.path("srv/nhac-nop.csv")).unwrap();
    assert!(reminders.contains("B1,Đơn vị B,b@x.vn"), "{reminders}");

    // With cron's own PATH and the real `date`: a line on weekdays only.
    let weekday = std::process::Command::new("/usr/bin/env")
        .args(["-i", "/bin/date", "+%u"])
        .output()
        .unwrap();
    let weekday: u32 = String::from_utf8(weekday.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    run_as_cron(&wrk, &status, None);
    assert_eq!(log(&wrk).len(), if weekday <= 5 { 2 } else { 1 });

    let before = log(&wrk).len();
    run_as_cron(&wrk, &aggregate, None);
    let logged = log(&wrk);
    assert_eq!(logged.len(), before + 1, "{logged:?}");
    assert!(
        logged[before].ends_with("Đã ghi tong-hop-2024-Y.xlsx."),
        "{logged:?}"
    );
    assert!(wrk.path("srv/tong-hop-2024-Y.xlsx").exists());
    assert!(wrk.path("srv/so-lieu-2024-Y.csv").exists());
}
