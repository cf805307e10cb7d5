//! The integration-test harness: a temporary work folder, the `qcdc` binary run
//! in it, and fixtures written in code (after xsv's `Workdir`).
#![allow(dead_code)] // each test binary uses a different part of the harness

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The sample period shipped with the tests.
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/2022-H1")
}

/// `qcdc aggregate` over the sample period as the answer key was made (units,
/// receipts, as of 1 July 2022, JSON on stdout), writing `out` in the work folder.
pub fn sample_aggregate(out: &str) -> Vec<String> {
    let s = sample();
    let p = |x: &str| s.join(x).display().to_string();
    let mut args: Vec<String> = vec!["aggregate".into(), p("nop")];
    args.extend(
        words("--period 2022-H1 --as-of 2022-07-01 --json -o")
            .iter()
            .map(|w| w.to_string()),
    );
    args.push(out.into());
    for (flag, file) in [("--units", "units.csv"), ("--received", "so-den.csv")] {
        args.extend([flag.to_string(), p(file)]);
    }
    args
}

/// A temporary folder to run `qcdc` in.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file (creating folders) and returns its path.
    pub fn create(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// `qcdc` with these arguments, run in the folder.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("qcdc").unwrap();
        cmd.current_dir(self.dir.path()).args(args);
        cmd
    }

    /// Runs and returns the output, whatever the exit status.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs, checks the exit status, and parses stdout as JSON.
    pub fn json(&self, args: &[&str], status: i32) -> Value {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(status),
            "qcdc {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }
}

/// A table-layout CSV submission: header `ma_don_vi;ky_bao_cao;nam;ngay_bao_cao`
/// then the given indicator codes; one row per (unit, period kind, date, values).
pub fn table_csv(codes: &[&str], rows: &[(&str, &str, &str, &[&str])]) -> String {
    let mut out = format!(
        "ma_don_vi;ky_bao_cao;nam;ngay_bao_cao;{}\n",
        codes.join(";")
    );
    for (unit, kind, date, values) in rows {
        let year = &date[date.len() - 4..];
        out.push_str(&format!(
            "{unit};{kind};{year};{date};{}\n",
            values.join(";")
        ));
    }
    out
}

/// Command-line words from one string (no word here contains a space).
pub fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// Runs `qcdc` with its stderr on a pseudo-terminal (openpty), as an
/// interactive shell would; returns whether it succeeded and what the
/// terminal showed.
#[cfg(target_os = "linux")]
pub fn run_on_terminal(wrk: &Workdir, args: &[&str]) -> (bool, String) {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut leader, mut follower) = (0, 0);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors, which are then owned here.
    let (leader, follower) = unsafe {
        let rc = libc::openpty(
            &mut leader,
            &mut follower,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        );
        assert_eq!(rc, 0, "openpty");
        (OwnedFd::from_raw_fd(leader), OwnedFd::from_raw_fd(follower))
    };
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("qcdc"))
        .args(args)
        .current_dir(wrk.path(""))
        .stdout(std::process::Stdio::null())
        .stderr(follower)
        .spawn()
        .unwrap();
    // Read until the child has closed its end (EIO on Linux), then reap it.
    let mut seen = Vec::new();
    let _ = std::fs::File::from(leader).read_to_end(&mut seen);
    let ok = child.wait().unwrap().success();
    (ok, String::from_utf8_lossy(&seen).into_owned())
}

/// A zip of these (path, bytes) members, deflated.
pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (path, bytes) in members {
        zip.start_file(*path, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}
