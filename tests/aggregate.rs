//! `qcdc aggregate` end to end: the sample period against its answer key,
//! determinism, status boundaries, ties, and registry errors.

mod common;

use common::{Workdir, sample, sample_aggregate, table_csv, words};
use serde_json::Value;

fn sample_args(wrk: &Workdir) -> Vec<String> {
    let mut args = sample_aggregate(&wrk.path("r.xlsx").display().to_string());
    args.extend(["--long".into(), wrk.path("r.csv").display().to_string()]);
    args
}

fn expected() -> Value {
    serde_json::from_slice(&std::fs::read(sample().join("expected.json")).unwrap()).unwrap()
}

#[test]
fn sample_period_matches_the_answer_key() {
    let wrk = Workdir::new();
    let args = sample_args(&wrk);
    let v = wrk.json(&args.iter().map(String::as_str).collect::<Vec<_>>(), 0);
    let e = expected();
    for k in [
        "period",
        "due",
        "expected",
        "on_time",
        "late",
        "missing",
        "invalid",
        "unknown_unit",
        "wrong_period",
        "superseded",
    ] {
        assert_eq!(v[k], e[k], "{k}");
    }
    assert_eq!(v["received"], 43);
    assert_eq!(
        v["files"],
        serde_json::json!({"read": 45, "skipped": 1, "unreadable": 1})
    );
    let units = v["units"].as_array().unwrap();
    assert_eq!(units.len(), 47);
    for u in units {
        let code = u["ma_don_vi"].as_str().unwrap();
        assert_eq!(u["status"], e["status"][code], "status of {code}");
    }
    assert_eq!(v["totals"], e["totals"]);
    let s03 = units.iter().find(|u| u["ma_don_vi"] == "S03").unwrap();
    assert_eq!(
        (&s03["received"], &s03["received_from"], &s03["days_late"]),
        (&"2022-06-24".into(), &"receipts".into(), &14.into())
    );
    let x004 = units.iter().find(|u| u["ma_don_vi"] == "X004").unwrap();
    assert_eq!(
        (&x004["received"], &x004["days_late"]),
        (&"2022-06-08".into(), &Value::Null)
    );
    let s04 = units.iter().find(|u| u["ma_don_vi"] == "S04").unwrap();
    assert!(
        s04["files"][0].as_str().unwrap().ends_with("thay_the.xlsx"),
        "{s04}"
    );

    // The long CSV holds exactly the expected values, sorted.
    let text = std::fs::read_to_string(wrk.path("r.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("ma_don_vi,ten_don_vi,loai_hinh,ky,ma_chi_tieu,gia_tri")
    );
    let mut got: std::collections::BTreeMap<String, serde_json::Map<String, Value>> =
        Default::default();
    let mut keys = Vec::new();
    for record in csv::Reader::from_reader(text.as_bytes()).records() {
        let r = record.unwrap();
        assert_eq!(&r[3], "2022-H1");
        keys.push((r[0].to_string(), r[4].to_string()));
        got.entry(r[0].to_string())
            .or_default()
            .insert(r[4].to_string(), r[5].parse::<u64>().unwrap().into());
    }
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "rows sorted by unit then indicator");
    let want: std::collections::BTreeMap<String, serde_json::Map<String, Value>> = e["values"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_object().unwrap().clone()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn outputs_are_byte_identical_whatever_the_order_and_threads() {
    let nop = sample().join("nop");
    let mut files: Vec<String> = std::fs::read_dir(&nop)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    files.sort();
    let run = |files: &[String], threads: &str| {
        let wrk = Workdir::new();
        let mut args = sample_args(&wrk);
        args.splice(1..2, files.iter().cloned());
        let out = wrk
            .command(&args.iter().map(String::as_str).collect::<Vec<_>>())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        (out.stdout, std::fs::read(wrk.path("r.csv")).unwrap())
    };
    let forward = run(&files, "1");
    files.reverse();
    let backward = run(&files, "2");
    assert_eq!(
        String::from_utf8(forward.0).unwrap(),
        String::from_utf8(backward.0).unwrap()
    );
    assert_eq!(forward.1, backward.1);
}

const REGISTRY: &str = "ma_don_vi,ten_don_vi,loai_hinh\nA1,Đơn vị A,SO_NGANH\nB1,Đơn vị B,SO_NGANH\nC1,Đơn vị C,UBND_XA\n";
const CODES: &[&str] = &["VB01", "TT01", "TT02"];

/// A, received on the due date; B, received the day after; C, nothing.
fn boundary_period(wrk: &Workdir) {
    wrk.create("units.csv", REGISTRY);
    wrk.create(
        "nop/a.csv",
        table_csv(CODES, &[("A1", "6 tháng", "10/06/2024", &["1", "2", "3"])]),
    );
    wrk.create(
        "nop/b.csv",
        table_csv(CODES, &[("B1", "6 tháng", "11/06/2024", &["4", "5", "6"])]),
    );
}

fn statuses(v: &Value) -> Vec<(String, String, Value)> {
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["ma_don_vi"].as_str().unwrap().into(),
                u["status"].as_str().unwrap().into(),
                u["days_late"].clone(),
            )
        })
        .collect()
}

#[test]
fn due_date_is_on_time_the_day_after_is_late() {
    let wrk = Workdir::new();
    boundary_period(&wrk);
    let v = wrk.json(
        &words("aggregate nop --period 2024-H1 --units units.csv --as-of 2024-06-11 --json"),
        0,
    );
    assert_eq!(
        statuses(&v),
        [
            ("A1".into(), "on_time".into(), Value::Null),
            ("B1".into(), "late".into(), 1.into()),
            ("C1".into(), "missing".into(), Value::Null)
        ]
    );
    assert_eq!(
        v["totals"],
        serde_json::json!({"VB01": 5, "TT01": 7, "TT02": 9})
    );
    assert!(
        wrk.path("tong-hop-2024-H1.xlsx").exists(),
        "default output name"
    );
}

#[test]
fn nothing_is_missing_before_or_on_the_due_date() {
    let wrk = Workdir::new();
    boundary_period(&wrk);
    for as_of in ["2024-06-01", "10/06/2024"] {
        let v = wrk.json(
            &[
                "aggregate",
                "nop/a.csv",
                "--period",
                "6T-2024",
                "--units",
                "units.csv",
                "--as-of",
                as_of,
                "--json",
            ],
            0,
        );
        assert_eq!(statuses(&v)[2].1, "not_yet_due", "as of {as_of}");
        assert_eq!(
            (v["missing"].clone(), v["not_yet_due"].clone()),
            (0.into(), 2.into())
        );
    }
}

#[test]
fn a_tie_is_an_error_and_the_last_path_wins() {
    let wrk = Workdir::new();
    wrk.create("units.csv", REGISTRY);
    wrk.create(
        "nop/1.csv",
        table_csv(CODES, &[("A1", "6 tháng", "05/06/2024", &["1", "1", "1"])]),
    );
    wrk.create(
        "nop/2.csv",
        table_csv(CODES, &[("A1", "6 tháng", "05/06/2024", &["9", "9", "9"])]),
    );
    let args = words("aggregate nop --period 2024-H1 --units units.csv --as-of 2024-07-01 --json");
    let v = wrk.json(&args, 0);
    assert_eq!(v["totals"]["VB01"], 9);
    assert_eq!(
        (v["superseded"].clone(), v["errors"].clone()),
        (1.into(), 1.into())
    );
    assert!(
        v["units"][0]["files"][0]
            .as_str()
            .unwrap()
            .ends_with("2.csv")
    );
    let strict: Vec<&str> = args.iter().copied().chain(["--strict"]).collect();
    wrk.json(&strict, 1);
}

#[test]
fn receipts_outrank_the_form_date_and_name_invalid_units() {
    let wrk = Workdir::new();
    boundary_period(&wrk);
    wrk.create("nop/c.xlsx", "không phải bảng tính");
    wrk.create(
        "so-den.csv",
        "tep,ma_don_vi,ngay_nhan\nb.csv,B1,09/06/2024\nc.xlsx,C1,2024-06-08\n",
    );
    let v = wrk.json(
        &words("aggregate nop --period 2024-H1 --units units.csv --received so-den.csv --as-of 2024-07-01 --json"),
        0,
    );
    assert_eq!(
        statuses(&v)[1],
        ("B1".into(), "on_time".into(), Value::Null)
    );
    assert_eq!(v["units"][1]["received_from"], "receipts");
    assert_eq!(v["units"][0]["received_from"], "form");
    assert_eq!(
        (&v["units"][2]["status"], &v["units"][2]["received"]),
        (&"invalid".into(), &"2024-06-08".into())
    );
    assert_eq!(v["files"]["unreadable"], 1);
}

#[test]
fn without_a_registry_nothing_can_be_missing() {
    let wrk = Workdir::new();
    boundary_period(&wrk);
    let out = wrk.run(&words(
        "aggregate nop --period 2024-H1 --as-of 2024-07-01 --json",
    ));
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            v["expected"].clone(),
            v["missing"].clone(),
            v["units_from_registry"].clone()
        ),
        (2.into(), 0.into(), false.into())
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("không có danh sách đơn vị"));
}

#[test]
fn a_broken_registry_stops_the_run_naming_the_line() {
    let wrk = Workdir::new();
    boundary_period(&wrk);
    for (registry, message) in [
        (
            "ma_don_vi,ten_don_vi,loai_hinh\nA1,A,SO_NGANH\nA1,B,SO_NGANH\n",
            "danh sách đơn vị bad.csv, dòng 3: mã đơn vị A1 bị trùng (đã có ở dòng 2)",
        ),
        (
            "ma_don_vi,ten_don_vi,loai_hinh\nA1,A,PHONG\n",
            "danh sách đơn vị bad.csv, dòng 2: loại hình 'PHONG' của đơn vị A1 không hợp lệ",
        ),
        (
            "ma_don_vi,ten\nA1,A\n",
            "danh sách đơn vị bad.csv: thiếu cột ten don vi",
        ),
    ] {
        wrk.create("bad.csv", registry);
        let out = wrk.run(&words("aggregate nop --period 2024-H1 --units bad.csv"));
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[test]
fn outputs_never_overwrite_the_registry_or_the_receipts_log() {
    let wrk = Workdir::new();
    boundary_period(&wrk);
    wrk.create("so-den.csv", "tep,ma_don_vi,ngay_nhan\n,B1,11/06/2024\n");
    let before = |name: &str| std::fs::read(wrk.path(name)).unwrap();
    let (units, receipts) = (before("units.csv"), before("so-den.csv"));
    for line in [
        "aggregate nop --period 2024-H1 --units units.csv --long units.csv",
        "aggregate nop --period 2024-H1 --received so-den.csv --long ./so-den.csv",
        "status nop --period 2024-H1 --units units.csv --received so-den.csv --reminders so-den.csv",
    ] {
        let out = wrk.run(&words(line));
        assert_eq!(out.status.code(), Some(2), "{line}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("không ghi đè lên tệp đầu vào"),
            "{line}: {stderr}"
        );
    }
    assert_eq!(before("units.csv"), units);
    assert_eq!(before("so-den.csv"), receipts);
}

#[test]
fn outputs_never_overwrite_an_input() {
    let wrk = Workdir::new();
    boundary_period(&wrk);
    let out = wrk.run(&words("aggregate nop --period 2024-H1 --long nop/a.csv"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("không ghi đè lên tệp đầu vào"));
    assert!(
        std::fs::read_to_string(wrk.path("nop/a.csv"))
            .unwrap()
            .starts_with("ma_don_vi;")
    );
}

#[test]
fn a_custom_schema_moves_the_deadline() {
    let wrk = Workdir::new();
    boundary_period(&wrk);
    let builtin =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema/default.toml"))
            .unwrap();
    wrk.create(
        "tinh-khac.toml",
        builtin.replace("H1 = \"06-10\"", "H1 = \"06-15\""),
    );
    let v = wrk.json(
        &words("aggregate nop --period 2024-H1 --units units.csv --as-of 2024-07-01 --schema tinh-khac.toml --json"),
        0,
    );
    assert_eq!(v["due"], "2024-06-15");
    assert_eq!(
        statuses(&v)[1].1,
        "on_time",
        "B1 received 11/06 is on time with a 15/06 deadline"
    );
    wrk.create("hong.toml", "name = \"x\"");
    let out = wrk.run(&words("aggregate nop --period 2024-H1 --schema hong.toml"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tệp cấu trúc biểu hong.toml"));
}

#[test]
fn unattended_runs_print_no_progress_only_the_summary() {
    let wrk = Workdir::new();
    boundary_period(&wrk);
    wrk.create("qcdc.toml", "tinh = \"Quảng Trị\"\n");
    let out = wrk.run(&words(
        "aggregate nop --period 2024-H1 --units units.csv --as-of 2024-06-11",
    ));
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "stdout is for --json only");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("Kỳ 2024-H1 (hạn 10/06/2024): 3 đơn vị phải nộp, 2 đã nộp (1 đúng hạn, 1 trễ hạn), 1 chưa nộp"), "{stderr}");
}

/// On a terminal the officer sees files being read.
#[cfg(target_os = "linux")]
#[test]
fn a_terminal_shows_the_progress_of_reading() {
    let wrk = Workdir::new();
    boundary_period(&wrk);
    let (ok, seen) = common::run_on_terminal(
        &wrk,
        &words("aggregate nop --period 2024-H1 --units units.csv --as-of 2024-06-11"),
    );
    assert!(ok);
    assert!(seen.contains("Đang đọc"), "a progress bar: {seen}");
    assert!(seen.contains("tệp/giây"), "{seen}");
    assert!(seen.contains("Kỳ 2024-H1"), "and the summary: {seen}");
}
