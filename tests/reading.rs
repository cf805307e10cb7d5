//! What units really send, end to end on workbooks made here: values as typed,
//! headings as written, this period's column, several forms in one workbook,
//! periods and dates as written.

mod common;

use common::{Workdir, words};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde_json::Value;

/// Writes the form's labels for unit `S01`, period `6 tháng` / `2024`, then the
/// header row (row 6) and one row per (code, value) from row 7.
fn form(ws: &mut Worksheet, kind: &str, headings: &[&str], rows: &[(&str, &[&str])]) {
    ws.write(0, 0, "Mã đơn vị (*):").unwrap();
    ws.write(0, 1, "S01").unwrap();
    ws.write(1, 0, "Kỳ báo cáo").unwrap();
    ws.write(1, 1, kind).unwrap();
    ws.write(2, 0, "Năm báo cáo").unwrap();
    ws.write(2, 1, 2024).unwrap();
    for (i, h) in headings.iter().enumerate() {
        ws.write(5, i as u16, *h).unwrap();
    }
    for (r, (code, values)) in rows.iter().enumerate() {
        let row = 7 + r as u32;
        ws.write(row, 0, *code).unwrap();
        for (c, v) in values.iter().enumerate() {
            if !v.is_empty() {
                ws.write(row, 1 + c as u16, *v).unwrap();
            }
        }
    }
}

fn save(wrk: &Workdir, name: &str, mut wb: Workbook) {
    wrk.create(name, wb.save_to_buffer().unwrap());
}

fn validate(wrk: &Workdir, extra: &str) -> Value {
    let out = wrk.run(&words(&format!(
        "validate nop --period 2024-H1 --json {extra}"
    )));
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn submissions(v: &Value) -> Vec<&Value> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["submissions"].as_array().unwrap())
        .collect()
}

fn findings(v: &Value) -> Vec<(String, String, String)> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap())
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("kind"), s("sheet"), s("cell"))
        })
        .collect()
}

#[test]
fn values_and_headings_as_units_type_them() {
    let wrk = Workdir::new();
    let mut wb = Workbook::new();
    form(
        wb.add_worksheet().set_name("Biểu").unwrap(),
        "Sáu tháng đầu năm",
        &[
            "Mã chỉ tiêu",
            "Kết quả thực hiện (từ ngày 15/12/2023 đến ngày 14/6/2024)",
            "Ghi chú",
        ],
        &[
            ("VB 01", &["5 văn bản", ""]),
            ("TT.01", &["'7", ""]),
            ("TT02", &["１２", ""]),
            ("HN01", &["không phát sinh", ""]),
            ("HN02", &["", "3"]),
            ("KNO1", &["+4", ""]),
            ("KN02", &["(3)", ""]),
            ("CK01", &["chưa thống kê", ""]),
        ],
    );
    save(&wrk, "nop/s01.xlsx", wb);
    let v = validate(&wrk, "");
    let subs = submissions(&v);
    assert_eq!(subs.len(), 1);
    let values = &subs[0]["values"];
    assert_eq!(subs[0]["period"], "2024-H1");
    for (code, want) in [
        ("VB01", 5),
        ("TT01", 7),
        ("TT02", 12),
        ("HN01", 0),
        ("KN01", 4),
    ] {
        assert_eq!(values[code], want, "{code}");
    }
    for absent in ["HN02", "KN02", "CK01"] {
        assert!(values.get(absent).is_none(), "{absent}: {values}");
    }
    let got = findings(&v);
    let has = |kind: &str, cell: &str| got.iter().any(|(k, _, c)| k == kind && c == cell);
    for cell in ["B8", "B9", "B10", "B13"] {
        assert!(has("value_as_typed", cell), "{cell}: {got:?}");
    }
    assert!(has("number_in_note", "B12"), "{got:?}");
    assert!(has("indicator_matched", "A13"), "{got:?}");
    assert!(has("bad_value", "B14"), "{got:?}");
}

#[test]
fn the_column_of_this_period_is_read() {
    let wrk = Workdir::new();
    let mut wb = Workbook::new();
    form(
        wb.add_worksheet(),
        "6 tháng",
        &["Mã", "Số liệu cùng kỳ năm 2023", "Số liệu 6 tháng 2024"],
        &[("VB01", &["90", "3"])],
    );
    save(&wrk, "nop/two_columns.xlsx", wb);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    form(ws, "6 tháng", &["Mã"], &[("VB01", &["80", "4"])]);
    ws.merge_range(5, 1, 5, 2, "Số liệu", &Format::new())
        .unwrap();
    ws.write(6, 1, "Kỳ trước").unwrap();
    ws.write(6, 2, "Kỳ này").unwrap();
    ws.write(5, 3, "Ghi chú").unwrap();
    save(&wrk, "nop/merged.xlsx", wb);
    let mut wb = Workbook::new();
    form(
        wb.add_worksheet(),
        "6 tháng",
        &["Mã", "Số liệu", "Số liệu"],
        &[("VB01", &["70", "5"])],
    );
    save(&wrk, "nop/undecided.xlsx", wb);
    let v = validate(&wrk, "");
    let by_file = |name: &str| {
        let f = v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap();
        let value = f["submissions"][0]["values"]["VB01"].clone();
        let kinds: Vec<String> = f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["kind"].as_str().unwrap().to_string())
            .collect();
        (value, kinds)
    };
    assert_eq!(by_file("two_columns.xlsx"), (Value::from(3), vec![]));
    assert_eq!(by_file("merged.xlsx"), (Value::from(4), vec![]));
    assert_eq!(
        by_file("undecided.xlsx"),
        (Value::Null, vec!["period_column".to_string()])
    );
}

#[test]
fn hidden_and_last_periods_sheets_never_win() {
    let wrk = Workdir::new();
    let mut wb = Workbook::new();
    let old = wb.add_worksheet().set_name("Kỳ trước").unwrap();
    form(old, "6 tháng", &["Mã", "Số liệu"], &[("VB01", &["90"])]);
    let hidden = wb.add_worksheet().set_name("Gốc").unwrap();
    form(hidden, "6 tháng", &["Mã", "Số liệu"], &[("VB01", &["80"])]);
    hidden.set_hidden(true);
    let this = wb.add_worksheet().set_name("Biểu").unwrap();
    form(this, "6 tháng", &["Mã", "Số liệu"], &[("VB01", &["3"])]);
    let copy = wb.add_worksheet().set_name("Biểu (2)").unwrap();
    form(copy, "6 tháng", &["Mã", "Số liệu"], &[("VB01", &["4"])]);
    save(&wrk, "nop/sheets.xlsx", wb);
    let v = validate(&wrk, "");
    let subs = submissions(&v);
    assert_eq!(subs.len(), 1);
    assert_eq!(
        (
            subs[0]["sheet"].as_str(),
            subs[0]["values"]["VB01"].as_u64()
        ),
        (Some("Biểu"), Some(3))
    );
    let mut got = findings(&v);
    got.sort();
    let want = [
        ("sheet_not_used", "Gốc"),
        ("sheet_not_used", "Kỳ trước"),
        ("two_forms", "Biểu (2)"),
    ];
    let got: Vec<(&str, &str)> = got
        .iter()
        .map(|(k, s, _)| (k.as_str(), s.as_str()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn periods_outside_the_programme_are_refused_with_the_text() {
    let wrk = Workdir::new();
    let mut wb = Workbook::new();
    form(
        wb.add_worksheet(),
        "6 tháng cuối năm",
        &["Mã", "Số liệu"],
        &[("VB01", &["3"])],
    );
    save(&wrk, "nop/h2.xlsx", wb);
    let out = wrk.run(&words("validate nop --period 2024-H1"));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("\"6 tháng cuối năm\" không phải kỳ báo cáo"),
        "{text}"
    );
    for bad in ["9-tháng-2024", "2024-H2", "Quý-III-2024"] {
        let out = wrk.run(&["validate", "nop", "--period", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(&format!("không hiểu kỳ báo cáo '{bad}'")),
            "{err}"
        );
    }
    let ok = wrk.run(&["validate", "nop", "--period", "Sáu tháng đầu năm 2024"]);
    assert_eq!(
        ok.status.code(),
        Some(1),
        "read, with the form's period error"
    );
}

#[test]
fn an_impossible_form_date_gives_way_to_the_next_source() {
    let wrk = Workdir::new();
    wrk.create(
        "units.csv",
        "ma_don_vi,ten_don_vi,loai_hinh\nS01,Sở A,SO_NGANH\nS02,Sở B,SO_NGANH\n",
    );
    for (unit, date) in [
        ("S01", "08/06/2024"),
        ("S02", "Lạc Thủy, ngày 06 tháng 8 năm 2024"),
    ] {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        form(ws, "6 tháng", &["Mã", "Số liệu"], &[("VB01", &["3"])]);
        ws.write(0, 1, unit).unwrap();
        ws.write(3, 0, "Ngày báo cáo").unwrap();
        ws.write(3, 1, date).unwrap();
        save(&wrk, &format!("nop/{unit}.xlsx"), wb);
    }
    let out = wrk.run(&words(
        "aggregate nop --period 2024-H1 --units units.csv --as-of 2024-06-20 --json -o r.xlsx",
    ));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let units = v["units"].as_array().unwrap();
    assert_eq!(units[0]["received"], "2024-06-08");
    assert_eq!(units[0]["received_from"], "form");
    assert_ne!(units[1]["received_from"], "form", "{}", units[1]);
    // Without --as-of (validate), only the file's save date bounds the form's.
    let validated = validate(&wrk, "");
    let dates: Vec<&Value> = submissions(&validated)
        .iter()
        .map(|s| &s["report_date"])
        .collect();
    assert_eq!(
        dates,
        [&Value::from("2024-06-08"), &Value::from("2024-08-06")]
    );
}
