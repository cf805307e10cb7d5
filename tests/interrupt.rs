//! An interrupted run (Ctrl-C, or SIGTERM from cron's or systemd's stop) leaves
//! no temporary file: a real run is signalled while its outputs are pending.

mod common;

use common::{Workdir, sample};
use std::time::{Duration, Instant};

/// Enough submissions that reading them takes a while, even in a release build.
fn many_submissions(wrk: &Workdir) {
    let nop = sample().join("nop");
    for copy in 0..6 {
        for entry in std::fs::read_dir(&nop).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            wrk.create(&format!("nop/{copy}/{name}"), std::fs::read(&path).unwrap());
        }
    }
    std::fs::create_dir_all(wrk.path("ket-qua")).unwrap();
}

fn temporary_files(wrk: &Workdir) -> Vec<String> {
    std::fs::read_dir(wrk.path("ket-qua"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".qcdc-") && n.ends_with(".tmp"))
        .collect()
}

/// Starts a run, waits for its pending output, signals it, and returns the
/// exit status and stderr.
fn interrupt(signal: i32) -> (Option<i32>, String) {
    use std::os::unix::process::ExitStatusExt;
    let wrk = Workdir::new();
    many_submissions(&wrk);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("qcdc"))
        .args([
            "aggregate",
            "nop",
            "--period",
            "2022-H1",
            "-o",
            "ket-qua/th.xlsx",
        ])
        .args(["--long", "ket-qua/th.csv", "--tinh", "X"])
        .current_dir(wrk.path(""))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while temporary_files(&wrk).len() < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the outputs are reserved before the read"
        );
        assert!(child.try_wait().unwrap().is_none(), "the run ended first");
        std::thread::sleep(Duration::from_millis(5));
    }
    // SAFETY: signalling a child process this test started and still owns.
    assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.signal(),
        None,
        "handled, not killed by the signal"
    );
    assert_eq!(
        temporary_files(&wrk),
        Vec::<String>::new(),
        "no .qcdc-*.tmp left"
    );
    assert!(
        !wrk.path("ket-qua/th.xlsx").exists(),
        "nothing half-written in place"
    );
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn sigterm_removes_pending_outputs_and_exits_143() {
    let (code, stderr) = interrupt(libc::SIGTERM);
    assert_eq!(code, Some(143), "{stderr}");
    assert!(
        stderr.contains("đã dừng theo yêu cầu (SIGTERM)"),
        "{stderr}"
    );
}

#[test]
fn ctrl_c_removes_pending_outputs_and_exits_130() {
    let (code, stderr) = interrupt(libc::SIGINT);
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("Ctrl-C"), "{stderr}");
}
