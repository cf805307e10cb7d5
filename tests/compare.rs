//! `aggregate --compare`: two periods of one province, the second made from the
//! first with changes under 25 % and three planted mistakes (40100 for 401, an
//! extra zero, a missing zero). The earlier totals come back exactly, in the
//! JSON and on Tổng hợp, from the workbook and from the long CSV; screening
//! warns about each planted mistake and nothing else; wrong files are refused.

mod common;

use calamine::{Data, DataType as _, Reader, Xlsx, open_workbook};
use common::Workdir;
use qcdc::schema::{Comparison, Schema};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// (code, name, type) of the province's units in the first period.
fn units() -> Vec<(String, String, &'static str)> {
    let mut out = Vec::new();
    for i in 1..=10 {
        out.push((format!("X{i:02}"), format!("Xã Số {i}"), "UBND_XA"));
    }
    for i in 1..=7 {
        out.push((format!("S{i:02}"), format!("Sở Số {i}"), "SO_NGANH"));
    }
    for i in 1..=3 {
        out.push((format!("D{i:02}"), format!("Trung tâm Số {i}"), "DVSN"));
    }
    out
}

/// The planted mistakes: (unit, indicator, earlier figure, figure sent now).
const PLANTED: [(&str, &str, u64, u64); 3] = [
    ("X03", "TD01", 401, 40100),
    ("S02", "HS01", 380, 3800),
    ("X07", "VB01", 250, 25),
];

/// Every unit's figures: honest ones spread 40–399, rule sides kept in order
/// (`HS02 <= HS01` and the like), the planted figures where they belong.
fn figures(second: bool) -> BTreeMap<String, BTreeMap<String, u64>> {
    let schema = Schema::builtin();
    let codes = schema.count_codes();
    let mut all = BTreeMap::new();
    for (i, (unit, _, _)) in units().iter().enumerate() {
        let mut values: BTreeMap<String, u64> = BTreeMap::new();
        for (j, code) in codes.iter().enumerate() {
            // A cheap hash spreads the figures like a draw would.
            let h = (i as u64 * 0x9E37_79B9 + j as u64 * 0x85EB_CA6B + 1).wrapping_mul(0xC2B2_AE35);
            let base = 40 + (h >> 20) % 360;
            let moved = if second {
                let step = ((i * 3 + j * 5) % 9) as f64 - 4.0; // -4..=4: within ±20 %
                (base as f64 * (1.0 + 0.05 * step)).round() as u64
            } else {
                base
            };
            values.insert(code.to_string(), moved);
        }
        for (u, code, before, now) in PLANTED {
            if u == unit {
                values.insert(code.into(), if second { now } else { before });
            }
        }
        for ind in &schema.indicators {
            if let Some(rule) = &ind.rule
                && matches!(rule.op, Comparison::Le | Comparison::Lt)
            {
                let cap = values[&rule.right] * 4 / 5;
                let left = values.get_mut(&rule.left).unwrap();
                *left = (*left).min(cap);
            }
        }
        all.insert(unit.clone(), values);
    }
    all
}

/// One period's folder: a registry and a table-layout CSV of every unit's
/// figures. The second period loses X10 and gains X11.
fn period(wrk: &Workdir, year: i32, second: bool) {
    let schema = Schema::builtin();
    let codes = schema.count_codes();
    let mut registry = String::from("ma_don_vi,ten_don_vi,loai_hinh\n");
    let mut table = format!(
        "ma_don_vi;ky_bao_cao;nam;ngay_bao_cao;{}\n",
        codes.join(";")
    );
    let mut figures = figures(second);
    let mut members = units();
    if second {
        members.retain(|(code, _, _)| code != "X10");
        members.push(("X11".into(), "Xã Mới".into(), "UBND_XA"));
        figures.insert("X11".into(), figures["X09"].clone());
    }
    for (code, name, unit_type) in &members {
        registry.push_str(&format!("{code},{name},{unit_type}\n"));
        let values: Vec<String> = codes
            .iter()
            .map(|c| figures[code][*c].to_string())
            .collect();
        table.push_str(&format!(
            "{code};Năm;{year};01/11/{year};{}\n",
            values.join(";")
        ));
    }
    wrk.create(&format!("{year}/don-vi.csv"), registry);
    wrk.create(&format!("{year}/nop/bang-tong-hop.csv"), table);
}

fn aggregate(wrk: &Workdir, year: i32, extra: &[&str]) -> std::process::Output {
    let (units, nop, out, long) = (
        format!("{year}/don-vi.csv"),
        format!("{year}/nop"),
        format!("tong-hop-{year}-Y.xlsx"),
        format!("so-lieu-{year}-Y.csv"),
    );
    let period = format!("{year}-Y");
    let mut args = vec![
        "aggregate",
        &nop,
        "--period",
        &period,
        "--units",
        &units,
        "--as-of",
    ];
    let as_of = format!("{year}-12-01");
    args.extend([as_of.as_str(), "--json", "-o", &out, "--long", &long]);
    args.extend(extra);
    wrk.run(&args)
}

fn json(out: &std::process::Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Both periods written; returns the first period's JSON.
fn two_periods(wrk: &Workdir) -> Value {
    period(wrk, 2023, false);
    period(wrk, 2024, true);
    json(&aggregate(wrk, 2023, &[]))
}

fn book(wrk: &Workdir, name: &str) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(wrk.path(name)).expect("the report opens")
}

/// (unit, indicator) of every screening warning in the workbook.
fn screened(wrk: &Workdir, name: &str) -> BTreeSet<(String, String)> {
    let sheet = book(wrk, name).worksheet_range("Lỗi và cảnh báo").unwrap();
    sheet
        .rows()
        .filter(|r| r[8].to_string().starts_with("số liệu cần kiểm tra"))
        .map(|r| (r[4].to_string(), r[5].to_string()))
        .collect()
}

fn planted() -> BTreeSet<(String, String)> {
    PLANTED
        .iter()
        .map(|(u, c, _, _)| (u.to_string(), c.to_string()))
        .collect()
}

/// The earlier totals by hand: province, and communes alone.
fn earlier_totals() -> (BTreeMap<String, u64>, BTreeMap<String, u64>) {
    let (mut all, mut communes) = (BTreeMap::new(), BTreeMap::new());
    for (unit, values) in figures(false) {
        for (code, v) in values {
            *all.entry(code.clone()).or_insert(0) += v;
            if unit.starts_with('X') {
                *communes.entry(code).or_insert(0) += v;
            }
        }
    }
    (all, communes)
}

#[test]
fn the_earlier_totals_come_back_exactly_from_the_workbook_and_the_long_csv() {
    let wrk = Workdir::new();
    let first = two_periods(&wrk);
    let (all, _) = earlier_totals();
    let expected: Value = serde_json::to_value(&all).unwrap();
    assert_eq!(first["totals"], expected, "the first period adds up");
    for (file, on_time) in [
        ("tong-hop-2023-Y.xlsx", serde_json::json!(20)),
        ("so-lieu-2023-Y.csv", Value::Null),
    ] {
        let v = json(&aggregate(&wrk, 2024, &["--compare", file]));
        let cmp = &v["compare"];
        assert_eq!(cmp["period"], "2023-Y", "{file}");
        assert_eq!(cmp["totals"], first["totals"], "{file}");
        assert_eq!(cmp["received"], 20, "{file}");
        assert_eq!(cmp["on_time"], on_time, "{file}");
        assert_eq!(cmp["units_only_this_period"], serde_json::json!(["X11"]));
        assert_eq!(cmp["units_only_earlier"], serde_json::json!(["X10"]));
        // This period's own figures are untouched by the comparison.
        assert!(v["totals"]["TD01"].as_u64().unwrap() > 40100);
    }
}

#[test]
fn tong_hop_shows_the_earlier_totals_under_each_indicator() {
    let wrk = Workdir::new();
    two_periods(&wrk);
    let (all, communes) = earlier_totals();
    json(&aggregate(
        &wrk,
        2024,
        &["--compare", "tong-hop-2023-Y.xlsx"],
    ));
    let sheet = book(&wrk, "tong-hop-2024-Y.xlsx")
        .worksheet_range("Tổng hợp")
        .unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let header = rows
        .iter()
        .position(|r| r.get(4).is_some_and(|c| *c == "Toàn tỉnh"))
        .expect("the indicator table's header");
    let commune_col = rows[header]
        .iter()
        .position(|c| *c == "UBND cấp xã")
        .unwrap();
    let mut seen = 0;
    for (r, row) in rows.iter().enumerate().skip(header + 1) {
        let code = row[1].to_string();
        let Some(total) = all.get(&code) else {
            continue;
        };
        let earlier = rows[r + 1];
        assert_eq!(earlier[2].to_string().trim(), "Kỳ năm 2023", "{code}");
        assert_eq!(earlier[4], Data::Float(*total as f64), "{code}");
        assert_eq!(
            earlier[commune_col],
            Data::Float(communes[&code] as f64),
            "{code}"
        );
        let change = rows[r + 2][4].as_f64().unwrap();
        let now = row[4].as_f64().unwrap();
        let exact = (now - *total as f64) * 100.0 / *total as f64;
        assert!(
            (change - exact).abs() <= 0.05,
            "{code}: {change} vs {exact}"
        );
        seen += 1;
    }
    assert_eq!(seen, all.len());
    // The submission figures of both periods: expected, received, on time.
    let at = rows
        .iter()
        .position(|r| r[0].to_string().starts_with("So với kỳ năm 2023"))
        .unwrap();
    for (k, (now, before)) in [(20.0, 20.0), (20.0, 20.0), (20.0, 20.0)]
        .iter()
        .enumerate()
    {
        let row = rows[at + 1 + k];
        assert_eq!(
            (row[3].as_f64(), row[4].as_f64()),
            (Some(*now), Some(*before))
        );
    }
    let listed: Vec<String> = rows
        .iter()
        .map(|r| r[0].to_string())
        .filter(|t| t.starts_with("Đơn vị có số liệu"))
        .collect();
    assert!(listed[0].contains("X11 (Xã Mới)"), "{listed:?}");
    assert!(listed[1].contains("X10 (Xã Số 10)"), "{listed:?}");
}

#[test]
fn each_planted_mistake_is_warned_and_nothing_else() {
    let wrk = Workdir::new();
    two_periods(&wrk);
    assert_eq!(
        screened(&wrk, "tong-hop-2023-Y.xlsx"),
        BTreeSet::new(),
        "honest figures raise nothing"
    );
    for file in ["tong-hop-2023-Y.xlsx", "so-lieu-2023-Y.csv"] {
        let out = aggregate(&wrk, 2024, &["--compare", file]);
        json(&out);
        assert_eq!(screened(&wrk, "tong-hop-2024-Y.xlsx"), planted(), "{file}");
    }
    let sheet = book(&wrk, "tong-hop-2024-Y.xlsx")
        .worksheet_range("Lỗi và cảnh báo")
        .unwrap();
    let message = |unit: &str| {
        sheet
            .rows()
            .find(|r| r[4] == *unit && r[8].to_string().starts_with("số liệu"))
            .map(|r| (r[3].to_string(), r[6].to_string(), r[8].to_string()))
            .unwrap()
    };
    let (cell, value, text) = message("X03");
    assert!(!cell.is_empty());
    assert_eq!(value, "40100");
    assert!(
        text.contains("40.100") && text.contains("gấp 100 lần") && text.contains("kỳ 2023-Y (401)"),
        "{text}"
    );
    assert!(message("S02").2.contains("thừa một chữ số 0"));
    assert!(message("X07").2.contains("thiếu một chữ số 0"));
    // Without --compare only the peers judge: 40100 among communes of a few
    // hundred is found; a figure far below its peers never is (it cannot
    // inflate the total), and nothing honest is.
    json(&aggregate(&wrk, 2024, &[]));
    let found = screened(&wrk, "tong-hop-2024-Y.xlsx");
    assert!(found.contains(&("X03".into(), "TD01".into())), "{found:?}");
    assert!(!found.contains(&("X07".into(), "VB01".into())), "{found:?}");
    assert!(found.is_subset(&planted()), "{found:?}");
}

#[test]
fn files_that_cannot_be_compared_are_refused_in_one_line() {
    let wrk = Workdir::new();
    two_periods(&wrk);
    let long = std::fs::read_to_string(wrk.path("so-lieu-2023-Y.csv")).unwrap();
    wrk.create("khac.csv", long.replace(",TD01,", ",ZZ99,"));
    wrk.create("sau.csv", long.replace(",2023-Y,", ",2025-Y,"));
    let cases = [
        ("2023/nop/bang-tong-hop.csv", "không phải biểu tổng hợp"),
        ("2023/don-vi.csv", "không phải biểu tổng hợp"),
        ("khac.csv", "ZZ99"),
        ("sau.csv", "sau kỳ đang tổng hợp"),
    ];
    for (file, says) in cases {
        let out = wrk.run(&[
            "aggregate",
            "2024/nop",
            "--period",
            "2024-Y",
            "-o",
            "x.xlsx",
            "--compare",
            file,
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(says) && err.contains(file), "{file}: {err}");
        assert!(!wrk.path("x.xlsx").exists(), "nothing written for {file}");
    }
    let out = aggregate(&wrk, 2023, &["--compare", "so-lieu-2023-Y.csv"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("chính kỳ 2023-Y"), "{err}");
}

#[test]
fn the_chart_sheet_draws_the_on_time_rate_and_the_main_indicators() {
    let wrk = Workdir::new();
    two_periods(&wrk);
    json(&aggregate(
        &wrk,
        2024,
        &["--compare", "tong-hop-2023-Y.xlsx"],
    ));
    let mut wb = book(&wrk, "tong-hop-2024-Y.xlsx");
    let sheet = wb.worksheet_range("Biểu đồ").unwrap();
    let rate = |label: &str| {
        sheet
            .rows()
            .find(|r| r[0] == *label)
            .map(|r| (r[3].as_f64(), r[4].as_f64(), r[5].as_f64()))
            .unwrap()
    };
    assert_eq!(rate("UBND cấp xã"), (Some(10.0), Some(10.0), Some(100.0)));
    assert_eq!(rate("Toàn tỉnh"), (Some(20.0), Some(20.0), Some(100.0)));
    let zip = zip::ZipArchive::new(std::fs::File::open(wrk.path("tong-hop-2024-Y.xlsx")).unwrap())
        .unwrap();
    let charts = zip
        .file_names()
        .filter(|n| n.as_ref().is_ok_and(|n| n.starts_with("xl/charts/chart")))
        .count();
    assert_eq!(
        charts, 2,
        "on-time rate and the change of the main indicators"
    );
    // The sheet is fitted to A4 landscape, at some 83 % for its tables: chart
    // text of 11 pt prints at 9 pt, the least the printed report may carry
    // (`print-check` found 10 pt printed at 8.3).
    let mut zip = zip;
    for i in 1..=charts {
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name(&format!("xl/charts/chart{i}.xml")).unwrap(),
            &mut xml,
        )
        .unwrap();
        let sizes: Vec<u32> = xml
            .split(" sz=\"")
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
            .collect();
        assert!(!sizes.is_empty(), "chart{i} sets its text size");
        assert!(sizes.iter().all(|&sz| sz >= 1100), "chart{i}: {sizes:?}");
    }
}
