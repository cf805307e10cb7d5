//! Scale benchmark: `qcdc aggregate` end to end on N generated form submissions,
//! side by side with the floor it must beat: merely opening every file with
//! calamine and visiting every cell, on one thread.
//!
//! Run: `cargo bench --bench scale` (100, 1,000 and 10,000 units, every
//! producer), or name sizes and producers: `cargo bench --bench scale -- 940
//! 9400 openpyxl excel`. Generated data is kept in
//! `target/bench-data/<producer>/<N>/` between runs. Targets (issues 6, 17): time
//! at ~1,000 and ~10,000 files at most 0.7x the floor for every producer, peak
//! memory at most 200 MB at 10,000, the same cost per file at 100 and 10,000.
//! The machine is shared, so CPU time (user + system, from the kernel's
//! accounting) is printed beside wall time: it moves far less with the load.
//!
//! With `QCDC_BEFORE=/path/to/an/older/qcdc` in the environment, that binary is
//! timed too, in the same interleaved runs, so a before/after comparison meets
//! the same load. `-- floor` runs the floor alone, once per folder, for an
//! instruction count that no load moves: `valgrind --tool=callgrind` on it and on
//! `RAYON_NUM_THREADS=1 qcdc aggregate …`.

use calamine::{Data, Reader, open_workbook_auto};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs per measurement; the median is reported.
const RUNS: usize = 5;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![100, 1_000, 10_000];
    }
    let mut producers: Vec<&str> = producers::ALL
        .into_iter()
        .filter(|p| args.iter().any(|a| a == p))
        .collect();
    if producers.is_empty() {
        producers = producers::ALL.to_vec();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    if args.iter().any(|a| a == "readers") {
        return readers(&root, &sizes, &producers);
    }
    if args.iter().any(|a| a == "floor") {
        return floor_alone(&root, &sizes, &producers);
    }
    let before = std::env::var_os("QCDC_BEFORE").map(PathBuf::from);
    println!(
        "| producer | units | files | floor (1 thread) | qcdc aggregate | ratio (range) | CPU ratio | files/s | per extra file | peak RSS |{}",
        if before.is_some() {
            " before: ratio (range) | before: peak RSS |"
        } else {
            ""
        }
    );
    println!(
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|{}",
        if before.is_some() { "---:|---:|" } else { "" }
    );
    for producer in producers {
        // The cost of the files added since the previous size, free of the fixed
        // cost (start-up, the report's fixed parts) that weighs on small runs.
        let mut previous: Option<(usize, Duration)> = None;
        for &n in &sizes {
            let own = root.join("qcdc").join(n.to_string());
            generate::ensure(&own, n);
            let dir = root.join(producer).join(n.to_string());
            if producer != "qcdc" && !dir.join(".complete").exists() {
                let _ = std::fs::remove_dir_all(&dir);
                producers::convert(producer, &own, &dir);
                std::fs::write(dir.join(".complete"), b"").expect("marker");
            }
            let files = std::fs::read_dir(dir.join("nop"))
                .expect("bench data")
                .count();
            // Interleaved, so that a change in the machine's load hits all alike.
            let mut runs = Vec::new();
            let mut before_runs = Vec::new();
            for _ in 0..RUNS {
                let floor = floor(&dir.join("nop"));
                runs.push((
                    floor,
                    aggregate(Path::new(env!("CARGO_BIN_EXE_qcdc")), &dir),
                ));
                if let Some(bin) = &before {
                    before_runs.push((floor, aggregate(bin, &dir)));
                }
            }
            let ratios = wall_ratios(&runs);
            let cpu_ratios: Vec<f64> = runs
                .iter()
                .map(|((_, f), q)| q.cpu.as_secs_f64() / f.as_secs_f64())
                .collect();
            let floor = median(runs.iter().map(|r| r.0.0).collect());
            let time = median(runs.iter().map(|r| r.1.wall).collect());
            let peak = runs.iter().map(|r| r.1.peak_kib).max().unwrap_or(0);
            let extra = match previous {
                Some((f, t)) if files > f => format!(
                    "{:.0} µs",
                    (time.as_secs_f64() - t.as_secs_f64()) * 1e6 / (files - f) as f64
                ),
                _ => "–".to_string(),
            };
            previous = Some((files, time));
            let before_columns = if before_runs.is_empty() {
                String::new()
            } else {
                let peak = before_runs.iter().map(|r| r.1.peak_kib).max().unwrap_or(0);
                format!(
                    " {} | {:.0} MB |",
                    ratio_range(&wall_ratios(&before_runs)),
                    peak as f64 / 1024.0
                )
            };
            println!(
                "| {producer} | {n} | {files} | {:.2} s | {:.2} s | {} | {:.2}x | {:.0} | {extra} | {:.0} MB |{before_columns}",
                floor.as_secs_f64(),
                time.as_secs_f64(),
                ratio_range(&ratios),
                median_f64(cpu_ratios),
                files as f64 / time.as_secs_f64(),
                peak as f64 / 1024.0
            );
        }
    }
}

/// `-- readers`: the reading alone, one thread, CPU time: the floor, qcdc's
/// calamine path and its fast path, on data generated by an earlier run.
fn readers(root: &Path, sizes: &[usize], producers: &[&str]) {
    use qcdc::read::{self, Limits};
    println!("| producer | files | floor | calamine path | fast path | fast / floor |");
    println!("|---|---:|---:|---:|---:|---:|");
    for producer in producers {
        for n in sizes {
            let dir = root.join(producer).join(n.to_string()).join("nop");
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let paths: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
            let limits = Limits::default();
            let time = |f: &dyn Fn(&Path)| {
                let mut runs: Vec<Duration> = (0..RUNS)
                    .map(|_| {
                        let cpu = own_cpu();
                        paths.iter().for_each(|p| f(p));
                        own_cpu() - cpu
                    })
                    .collect();
                runs.sort();
                runs[RUNS / 2]
            };
            let floor = time(&|p| {
                let mut wb = open_workbook_auto(p).expect("opens");
                for name in wb.sheet_names() {
                    let range = wb.worksheet_range(&name).expect("sheet reads");
                    std::hint::black_box(range.used_cells().count());
                }
            });
            let calamine = time(&|p| {
                let bytes = std::fs::read(p).expect("read");
                std::hint::black_box(read::read_bytes_with_calamine(&bytes, p, &limits).ok());
            });
            let fast = time(&|p| {
                let bytes = std::fs::read(p).expect("read");
                std::hint::black_box(read::read_bytes(&bytes, p, &limits).ok());
            });
            println!(
                "| {producer} | {} | {:.3} s | {:.3} s | {:.3} s | {:.2}x |",
                paths.len(),
                floor.as_secs_f64(),
                calamine.as_secs_f64(),
                fast.as_secs_f64(),
                fast.as_secs_f64() / floor.as_secs_f64()
            );
        }
    }
}

/// `-- floor`: the floor alone, once per folder, on data generated earlier.
fn floor_alone(root: &Path, sizes: &[usize], producers: &[&str]) {
    for producer in producers {
        for n in sizes {
            let dir = root.join(producer).join(n.to_string()).join("nop");
            if dir.is_dir() {
                let (wall, cpu) = floor(&dir);
                println!("{producer} {n}: floor {wall:.2?} ({cpu:.2?} CPU)");
            }
        }
    }
}

/// Each run's wall time over its floor's.
fn wall_ratios(runs: &[((Duration, Duration), Run)]) -> Vec<f64> {
    runs.iter()
        .map(|((f, _), q)| q.wall.as_secs_f64() / f.as_secs_f64())
        .collect()
}

/// The median ratio and the range of all: `0.61x (0.58–0.66)`.
fn ratio_range(ratios: &[f64]) -> String {
    let (lo, hi) = ratios
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    format!("{:.2}x ({lo:.2}–{hi:.2})", median_f64(ratios.to_vec()))
}

fn median_f64(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// This process's CPU time so far (user + system).
fn own_cpu() -> Duration {
    // SAFETY: getrusage only writes into the value we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    cpu_of(&usage)
}

fn cpu_of(usage: &libc::rusage) -> Duration {
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Opens every file with calamine and visits every cell of every sheet: its
/// wall time and CPU time.
fn floor(dir: &Path) -> (Duration, Duration) {
    let (start, cpu) = (Instant::now(), own_cpu());
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
    (start.elapsed(), own_cpu() - cpu)
}

/// One run of `qcdc aggregate`.
struct Run {
    wall: Duration,
    cpu: Duration,
    peak_kib: i64,
}

/// One `qcdc aggregate` (this binary, `bin`) over the folder, every output
/// written (workbook, JSON, long CSV): wall time, and
/// CPU time and peak RSS from the kernel's accounting of that child.
fn aggregate(bin: &Path, dir: &Path) -> Run {
    let out = tempfile::tempdir().expect("temp dir");
    let start = Instant::now();
    let child = Command::new(bin)
        .arg("aggregate")
        .arg(dir.join("nop"))
        .args(["--period", "2024-H1", "--as-of", "2024-07-01", "--json"])
        .arg("--units")
        .arg(dir.join("don-vi.csv"))
        .arg("--received")
        .arg(dir.join("so-den.csv"))
        .arg("--out")
        .arg(out.path().join("r.xlsx"))
        .arg("--long")
        .arg(out.path().join("r.csv"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("qcdc runs");
    let (status, usage) = wait_with_rusage(child);
    let wall = start.elapsed();
    assert_eq!(status, 0, "qcdc aggregate failed on {}", dir.display());
    Run {
        wall,
        cpu: cpu_of(&usage),
        peak_kib: usage.ru_maxrss,
    }
}

/// Waits for a child (reaping it, as `Child::wait` would); its exit status and
/// resource usage.
fn wait_with_rusage(child: std::process::Child) -> (i32, libc::rusage) {
    let pid = child.id();
    // SAFETY: wait4 only writes into the two values we pass.
    unsafe {
        let mut status = 0;
        let mut usage: libc::rusage = std::mem::zeroed();
        let waited = libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage);
        assert_eq!(waited, pid as libc::pid_t, "wait4");
        (libc::WEXITSTATUS(status), usage)
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
mod producers;
