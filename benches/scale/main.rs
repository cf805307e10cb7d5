//! Scale benchmark: `qcdc aggregate` end to end on N generated form submissions,
//! side by side with the floor it must beat: merely opening every file with
//! calamine and visiting every cell, on one thread.
//!
//! Run: `cargo bench --bench scale` (sizes 100, 1000, 10000) or
//! `cargo bench --bench scale -- 1000 5000` for other sizes. Generated data is
//! kept in `target/bench-data/<N>/` between runs. Targets (issue 6): time at
//! 10,000 files below 0.7x the floor, peak memory at most 200 MB and growing
//! sub-linearly, the same cost per file at 100 and 10,000 files.

use calamine::{Data, Reader, open_workbook_auto};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs per measurement; the median is reported.
const RUNS: usize = 3;

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
    println!("| files | floor (1 thread) | qcdc aggregate | ratio | files/s | peak RSS |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let dir = root.join(n.to_string());
        generate::ensure(&dir, n);
        let floor = median((0..RUNS).map(|_| floor(&dir.join("nop"))).collect());
        let (time, peak) = aggregate(&dir);
        println!(
            "| {n} | {:.2} s | {:.2} s | {:.2}x | {:.0} | {:.0} MB |",
            floor.as_secs_f64(),
            time.as_secs_f64(),
            time.as_secs_f64() / floor.as_secs_f64(),
            n as f64 / time.as_secs_f64(),
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

/// Median wall time of `qcdc aggregate` over the folder, and the peak RSS (KiB)
/// of any run, from the kernel's accounting of waited-for children.
fn aggregate(dir: &Path) -> (Duration, i64) {
    let out = tempfile::tempdir().expect("temp dir");
    let times = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_qcdc"))
                .arg("aggregate")
                .arg(dir.join("nop"))
                .args([
                    "--period",
                    "2024-H1",
                    "--as-of",
                    "2024-07-01",
                    "--json",
                    "--units",
                ])
                .arg(dir.join("don-vi.csv"))
                .arg("--out")
                .arg(out.path().join("r.xlsx"))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .expect("qcdc runs");
            assert!(
                status.success(),
                "qcdc aggregate failed on {}",
                dir.display()
            );
            start.elapsed()
        })
        .collect();
    (median(times), peak_child_rss_kib())
}

fn peak_child_rss_kib() -> i64 {
    // SAFETY: getrusage only writes into the struct we pass.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage.ru_maxrss
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
        let done = dir.join(".complete-v2");
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
