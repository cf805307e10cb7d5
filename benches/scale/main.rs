//! Scale benchmark: `qcdc aggregate` end to end on N generated form submissions,
//! side by side with the floor it must beat: merely opening every file with
//! calamine and visiting every cell, on one thread.
//!
//! Run: `cargo bench --bench scale` (100, 1000 and 10000 units) or
//! `cargo bench --bench scale -- 1000 5000` for other sizes. Generated data is
//! kept in `target/bench-data/<N>/` between runs. Targets (issue 6): time at
//! 10,000 files below 0.7x the floor, peak memory at most 200 MB and growing
//! sub-linearly, the same cost per file at 100 and 10,000 files.

use calamine::{Data, Reader, open_workbook_auto};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs per measurement; the median is reported.
const RUNS: usize = 5;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100, 1_000, 10_000]
    } else {
        sizes
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    println!(
        "| units | files | floor (1 thread) | qcdc aggregate | ratio | files/s | per file | per extra file | peak RSS |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    // The cost of the files added since the previous size, free of the fixed
    // cost (start-up, the report's fixed parts) that weighs on small runs.
    let mut previous: Option<(usize, Duration)> = None;
    for n in sizes {
        let dir = root.join(n.to_string());
        generate::ensure(&dir, n);
        let files = std::fs::read_dir(dir.join("nop"))
            .expect("bench data")
            .count();
        // Interleaved, so that a change in the machine's load hits both alike.
        let (mut floors, mut times, mut peak) = (Vec::new(), Vec::new(), 0);
        for _ in 0..RUNS {
            floors.push(floor(&dir.join("nop")));
            let (time, rss) = aggregate(&dir);
            times.push(time);
            peak = peak.max(rss);
        }
        let (floor, time) = (median(floors), median(times));
        let extra = match previous {
            Some((f, t)) if files > f => format!(
                "{:.0} µs",
                (time.as_secs_f64() - t.as_secs_f64()) * 1e6 / (files - f) as f64
            ),
            _ => "–".to_string(),
        };
        previous = Some((files, time));
        println!(
            "| {n} | {files} | {:.2} s | {:.2} s | {:.2}x | {:.0} | {:.0} µs | {extra} | {:.0} MB |",
            floor.as_secs_f64(),
            time.as_secs_f64(),
            time.as_secs_f64() / floor.as_secs_f64(),
            files as f64 / time.as_secs_f64(),
            time.as_secs_f64() * 1e6 / files as f64,
            peak as f64 / 1024.0
        );
    }
}

/// Opens every file with calamine and visits every cell of every sheet.
fn floor(dir: &Path) -> Duration {
    let start = Instant::now();
    let mut cells = 0usize;
    for entry in std::fs::read_dir(dir).expect("bench data") {
        let mut wb =
            open_workbook_auto(entry.expect("entry").path()).expect("generated file opens");
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).expect("sheet reads");
            cells += range
                .used_cells()
                .filter(|(_, _, d)| !matches!(d, Data::Empty))
                .count();
        }
    }
    assert!(cells > 0);
    start.elapsed()
}

/// Wall time of one `qcdc aggregate` over the folder, and its peak RSS (KiB),
/// from the kernel's accounting of that child.
fn aggregate(dir: &Path) -> (Duration, i64) {
    let out = tempfile::tempdir().expect("temp dir");
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_qcdc"))
        .arg("aggregate")
        .arg(dir.join("nop"))
        .args(["--period", "2024-H1", "--as-of", "2024-07-01", "--json"])
        .arg("--units")
        .arg(dir.join("don-vi.csv"))
        .arg("--received")
        .arg(dir.join("so-den.csv"))
        .arg("--out")
        .arg(out.path().join("r.xlsx"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("qcdc runs");
    let (status, rss) = wait_with_rusage(child);
    let elapsed = start.elapsed();
    assert_eq!(status, 0, "qcdc aggregate failed on {}", dir.display());
    (elapsed, rss)
}

/// Waits for a child (reaping it, as `Child::wait` would); its exit status and
/// peak RSS in KiB.
fn wait_with_rusage(child: std::process::Child) -> (i32, i64) {
    let pid = child.id();
    // SAFETY: wait4 only writes into the two values we pass.
    unsafe {
        let mut status = 0;
        let mut usage: libc::rusage = std::mem::zeroed();
        let waited = libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage);
        assert_eq!(waited, pid as libc::pid_t, "wait4");
        (libc::WEXITSTATUS(status), usage.ru_maxrss)
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

mod generate {
    //! N realistic filled forms and their registry, generated once.
    use super::*;

    pub fn ensure(dir: &Path, n: usize) {
        let done = dir.join(".complete-v3");
        if done.exists() {
            return;
        }
        let nop: PathBuf = dir.join("nop");
        let _ = std::fs::remove_dir_all(dir); // data of an older generator
        std::fs::create_dir_all(&nop).expect("bench dir");
        eprintln!("generating {n} submissions in {} ...", dir.display());
        data::write(dir, &nop, n);
        std::fs::write(done, b"").expect("marker");
    }
}

mod data;
