//! `qcdc validate` end to end: the sample period's values, bad cells, unreadable
//! and skipped files, and exit statuses.

mod common;

use common::{Workdir, sample, words};
use serde_json::Value;
use std::collections::BTreeMap;

fn sample_validation() -> Value {
    let wrk = Workdir::new();
    let nop = sample().join("nop");
    wrk.json(
        &[
            "validate",
            nop.to_str().unwrap(),
            "--period",
            "2022-H1",
            "--json",
        ],
        1,
    )
}

fn file<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap() == name.trim_start_matches('/'))
        .unwrap_or_else(|| panic!("{name} not listed"))
}

#[test]
fn every_unit_gets_exactly_its_expected_values() {
    let v = sample_validation();
    let expected: Value =
        serde_json::from_slice(&std::fs::read(sample().join("expected.json")).unwrap()).unwrap();
    let resubmitted = expected["must_flag"]["resubmitted_unit"].as_str().unwrap();
    let mut read: BTreeMap<String, Value> = BTreeMap::new();
    for f in v["files"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        if path.contains("ky_khac") || (path.contains(resubmitted) && path.contains("lan1")) {
            continue; // another period; the superseded first version
        }
        for s in f["submissions"].as_array().unwrap() {
            let counts: serde_json::Map<String, Value> = s["values"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, x)| x.is_u64())
                .map(|(k, x)| (k.clone(), x.clone()))
                .collect();
            read.insert(
                s["unit"].as_str().unwrap().to_string(),
                Value::Object(counts),
            );
        }
    }
    for (unit, values) in expected["values"].as_object().unwrap() {
        assert_eq!(read.get(unit), Some(values), "values of {unit}");
    }
}

#[test]
fn bad_cells_are_named_with_address_and_value() {
    let v = sample_validation();
    let f = file(&v, "X021_Xa_Tan_Lac.xlsx");
    let bad: Vec<(String, String, String)> = f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "bad_value")
        .map(|x| {
            (
                x["cell"].as_str().unwrap().into(),
                x["indicator"].as_str().unwrap().into(),
                x["value"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        bad,
        [
            ("E15".into(), "TT01".into(), "12,5".into()),
            ("E23".into(), "TD01".into(), "-3".into())
        ]
    );
    assert!(
        f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["sheet"] == "Bieu 01")
    );
    assert_eq!(f["status"], "errors");
}

#[test]
fn unreadable_and_skipped_files_are_listed() {
    let v = sample_validation();
    assert_eq!(file(&v, "/hong.xlsx")["status"], "unreadable");
    assert!(
        file(&v, "/hong.xlsx")["reason"]
            .as_str()
            .unwrap()
            .contains("hỏng")
    );
    assert_eq!(file(&v, "/ghi_chu.txt")["status"], "skipped");
    assert_eq!(file(&v, "S02_So_Tai_chinh.xlsx")["status"], "ok");
    assert_eq!(v["files"].as_array().unwrap().len(), 47);
    let rule = file(&v, "S11_So_Dan_toc_va_Ton_giao.xlsx");
    assert!(
        rule["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["kind"] == "rule_violated"
                && x["cell"] == "E30"
                && x["severity"] == "error")
    );
}

#[test]
fn human_output_is_compiler_like() {
    let wrk = Workdir::new();
    let x021 = sample().join("nop/X021_Xa_Tan_Lac.xlsx");
    let out = wrk.run(&["validate", x021.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    // A file given itself is shown by its name, never its absolute path.
    let line = "X021_Xa_Tan_Lac.xlsx: Bieu 01!E15: lỗi: chỉ tiêu TT01: giá trị '12,5' không phải số nguyên; giá trị này không được tính";
    assert!(stdout.contains(line), "{stdout}");
    assert!(stdout.contains("2 lỗi"), "{stdout}");
}

#[test]
fn clean_file_exits_zero_and_wrong_period_is_reported() {
    let wrk = Workdir::new();
    let s02 = sample().join("nop/S02_So_Tai_chinh.xlsx");
    wrk.json(&["validate", s02.to_str().unwrap(), "--json"], 0);
    let other = sample().join("nop/S01_ky_khac.xlsx");
    let v = wrk.json(
        &[
            "validate",
            other.to_str().unwrap(),
            "--period",
            "2022-H1",
            "--json",
        ],
        0,
    );
    let f = &v["files"][0];
    assert_eq!(f["submissions"][0]["period"], "2022-Y");
    assert!(
        f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["kind"] == "wrong_period")
    );
}

#[test]
fn registry_adds_unknown_units_and_missing_values() {
    let wrk = Workdir::new();
    let nop = sample().join("nop");
    let units = sample().join("units.csv");
    let v = wrk.json(
        &[
            "validate",
            nop.to_str().unwrap(),
            "--units",
            units.to_str().unwrap(),
            "--json",
        ],
        1,
    );
    let unknown = file(&v, "X999_xa_la.xlsx");
    assert!(
        unknown["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["kind"] == "unknown_unit" && x["value"] == "X999")
    );
    // S01 (a department) left only the commune-level rows empty: no warning.
    let s01 = file(&v, "S01_So_Noi_vu.xlsx");
    assert!(
        !s01["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["kind"] == "missing_value")
    );
    // S02 left KH02 (applies to every unit) empty: a warning at that cell.
    let s02 = file(&v, "S02_So_Tai_chinh.xlsx");
    let missing: Vec<&str> = s02["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "missing_value")
        .map(|x| x["indicator"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["KH02"]);
}

#[test]
fn layouts_are_read_from_csv_tables() {
    let wrk = Workdir::new();
    let csv = common::table_csv(
        &words("VB01 TT01 TT02 NX01"),
        &[
            ("x001 ", "6 tháng", "02/06/2022", &words("1.234 - ... Tốt")),
            ("X002", "Năm", "03/11/2022", &["5", "", "7", ""]),
        ],
    );
    wrk.create("bang.csv", csv);
    let v = wrk.json(&["validate", "bang.csv", "--json"], 0);
    let subs = v["files"][0]["submissions"].as_array().unwrap();
    assert_eq!(subs.len(), 2);
    assert_eq!(subs[0]["unit"], "X001");
    assert_eq!(subs[0]["period"], "2022-H1");
    assert_eq!(subs[0]["report_date"], "2022-06-02");
    assert_eq!(
        subs[0]["values"],
        serde_json::json!({"VB01": 1234, "TT01": 0, "NX01": "Tốt"})
    );
    assert_eq!(subs[1]["period"], "2022-Y");
    assert_eq!(subs[1]["values"], serde_json::json!({"VB01": 5, "TT02": 7}));
}

#[test]
fn missing_input_is_exit_two() {
    let wrk = Workdir::new();
    let out = wrk.run(&["validate", "khong-co"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "qcdc: lỗi: không tìm thấy tệp hoặc thư mục đầu vào: khong-co"
    );
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `qcdc … | head`: the pipe closes; qcdc ends quietly instead of panicking.
    let qcdc = assert_cmd::cargo::cargo_bin("qcdc");
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/foreign");
    for args in [
        "completions bash".to_string(),
        "man".to_string(),
        format!("validate {corpus}"),
    ] {
        let script = format!(
            "'{}' {args} | head -c 1 > /dev/null; echo ${{PIPESTATUS[0]}}",
            qcdc.display()
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args}: {stderr}");
        let status = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(status == "0" || status == "1", "{args}: exit {status}");
    }
}
