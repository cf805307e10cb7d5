//! The consolidated workbook read back with calamine: sheets, header block,
//! totals equal to the JSON, formula totals with cached values, text that looks
//! like a formula kept as text, settings from qcdc.toml and flags.

mod common;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use common::{Workdir, sample, sample_aggregate, table_csv, words};
use serde_json::Value;
use std::path::Path;

fn sample_report(wrk: &Workdir, extra: &[&str]) -> Value {
    let mut args = sample_aggregate("r.xlsx");
    args.extend(extra.iter().map(|e| e.to_string()));
    wrk.json(&args.iter().map(String::as_str).collect::<Vec<_>>(), 0)
}

fn book(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).expect("the report opens")
}

fn text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    range
        .get_value((row, col))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

#[test]
fn seven_sheets_the_hidden_figures_and_the_decree_30_header() {
    let wrk = Workdir::new();
    sample_report(&wrk, &["--tinh", "Hòa Bình"]);
    let mut wb = book(&wrk.path("r.xlsx"));
    assert_eq!(
        wb.sheet_names(),
        [
            "Tổng hợp",
            "Biểu đồ",
            "Chi tiết đơn vị",
            "Tình hình nộp",
            "Lỗi và cảnh báo",
            "Ý kiến đơn vị",
            "Thông tin",
            "qcdc_so_lieu"
        ]
    );
    // The figures for a later --compare: very hidden, never printed.
    let hidden = wb.sheets_metadata().last().unwrap().visible;
    assert_eq!(hidden, calamine::SheetVisible::VeryHidden);
    let summary = wb.worksheet_range("Tổng hợp").unwrap();
    assert_eq!(text(&summary, 0, 0), "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH");
    assert_eq!(text(&summary, 1, 0), "SỞ NỘI VỤ");
    assert_eq!(text(&summary, 0, 3), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_eq!(text(&summary, 1, 3), "Độc lập - Tự do - Hạnh phúc");
    assert_eq!(text(&summary, 3, 3), "Hòa Bình, ngày 01 tháng 7 năm 2022");
    assert_eq!(
        text(&summary, 5, 0),
        "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ 6 THÁNG ĐẦU NĂM 2022"
    );
}

#[test]
fn summary_totals_equal_the_json_totals() {
    let wrk = Workdir::new();
    let v = sample_report(&wrk, &[]);
    let mut wb = book(&wrk.path("r.xlsx"));
    let summary = wb.worksheet_range("Tổng hợp").unwrap();
    let totals = v["totals"].as_object().unwrap();
    let mut seen = 0;
    for row in summary.rows() {
        let code = row.get(1).map(|d| d.to_string()).unwrap_or_default();
        if let Some(want) = totals.get(&code) {
            assert_eq!(row[4].as_f64(), want.as_f64(), "total of {code}");
            let reported = v["reported"][&code].as_u64().unwrap();
            // Of the 43 units received, those the indicator applies to.
            let of = row.last().unwrap().to_string();
            let applicable: usize = of
                .strip_prefix(&format!("{reported}/"))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{code}: {of}"));
            assert!(
                applicable <= 43 && applicable as u64 >= reported,
                "{code}: {of}"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, totals.len(), "every total has its row");
    let figure = |label: &str| {
        summary
            .rows()
            .find(|r| r[0] == label)
            .and_then(|r| r[3].as_f64())
    };
    assert_eq!(figure("Số đơn vị phải báo cáo"), Some(47.0));
    assert_eq!(figure("   - Đúng hạn"), Some(39.0));
    assert_eq!(figure("   - Trễ hạn"), Some(4.0));
    assert_eq!(figure("Số đơn vị chưa nộp"), Some(3.0));
    assert_eq!(figure("Số đơn vị nộp báo cáo không hợp lệ"), Some(1.0));
    // The derived rate of HS04 = 100 * HS03 / HS02, from the totals.
    let hs04 = summary.rows().find(|r| r[1] == "HS04").unwrap();
    let want = 100.0 * 1_837_835.0 / 1_936_067.0;
    assert!((hs04[4].as_f64().unwrap() - want).abs() < 1e-9);
}

#[test]
fn detail_totals_are_formulas_with_cached_values() {
    let wrk = Workdir::new();
    let v = sample_report(&wrk, &[]);
    let mut wb = book(&wrk.path("r.xlsx"));
    let detail = wb.worksheet_range("Chi tiết đơn vị").unwrap();
    let formulas = wb.worksheet_formula("Chi tiết đơn vị").unwrap();
    // Two heading rows: the groups, then each indicator's code and label.
    let header: Vec<String> = detail
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    let total_row = detail.height() as u32 - 1;
    assert_eq!(text(&detail, total_row, 0), "Tổng cộng");
    assert_eq!(detail.height(), 2 + 47 + 1);
    for (code, want) in v["totals"].as_object().unwrap() {
        let col = header
            .iter()
            .position(|h| h.starts_with(&format!("{code}\n")))
            .unwrap() as u32;
        assert_eq!(
            detail.get_value((total_row, col)).and_then(Data::as_f64),
            want.as_f64(),
            "cached total of {code}"
        );
        let f = formulas.get_value((total_row, col)).unwrap();
        let letter = calamine_col(col);
        assert_eq!(
            f,
            &format!("SUM({letter}3:{letter}49)"),
            "formula of {code}"
        );
    }
    let s04 = detail.rows().find(|r| r[1] == "S04").unwrap();
    assert_eq!(s04[2].to_string(), "Sở Nông nghiệp và Môi trường");
}

fn calamine_col(col: u32) -> String {
    let mut n = col + 1;
    let mut s = String::new();
    while n > 0 {
        s.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    s
}

#[test]
fn status_and_findings_sheets_list_everything() {
    let wrk = Workdir::new();
    let v = sample_report(&wrk, &[]);
    let mut wb = book(&wrk.path("r.xlsx"));
    let status = wb.worksheet_range("Tình hình nộp").unwrap();
    let s03 = status.rows().find(|r| r[1] == "S03").unwrap();
    // The date received is a date, the days late a number: they sort.
    assert_eq!(
        (s03[4].to_string(), s03[6].to_string()),
        ("Trễ hạn".into(), "Sổ nhận văn bản".into())
    );
    assert_eq!(
        s03[5].as_date(),
        chrono::NaiveDate::from_ymd_opt(2022, 6, 24)
    );
    assert_eq!(s03[7], Data::Float(14.0));
    let all: Vec<String> = status
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    for needle in [
        "X999_xa_la.xlsx",
        "S01_ky_khac.xlsx",
        "lan1.xlsx",
        "hong.xlsx",
        "ghi_chu.txt",
    ] {
        assert!(all.iter().any(|l| l.contains(needle)), "{needle} listed");
    }
    let findings = wb.worksheet_range("Lỗi và cảnh báo").unwrap();
    // Every finding is there, alike ones of a unit folded into one row that
    // names each indicator.
    let named: usize = findings
        .rows()
        .skip(1)
        .map(|r| r[5].to_string().split(", ").count())
        .sum();
    assert_eq!(
        named,
        (v["errors"].as_u64().unwrap() + v["warnings"].as_u64().unwrap()) as usize
    );
    assert!(findings.rows().any(|r| r[4] == "X012"
        && r[5] == "NX01, NX02, NX03"
        && r[8] == "chỉ tiêu NX01, NX02, NX03 chưa có nội dung"));
    assert!(
        findings
            .rows()
            .any(|r| r[3] == "E15" && r[6] == "12,5" && r[7] == "Lỗi")
    );
    let info = wb.worksheet_range("Thông tin").unwrap();
    let listed = info
        .rows()
        .filter(|r| r.len() > 4 && r[4].to_string().len() == 64)
        .count();
    assert_eq!(
        listed, 47,
        "every input with its SHA-256, the skipped note and the corrupt file too"
    );
    // The fingerprints are the files' own, read and skipped alike.
    for name in ["S02_So_Tai_chinh.xlsx", "ghi_chu.txt", "hong.xlsx"] {
        use sha2::Digest;
        let bytes = std::fs::read(sample().join("nop").join(name)).unwrap();
        let expected: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let row = info
            .rows()
            .find(|r| r.len() > 4 && r[1] == name)
            .unwrap_or_else(|| panic!("{name} listed in Thông tin"));
        assert_eq!(row[4].to_string(), expected, "{name}");
    }
    assert_eq!(
        info.rows()
            .filter(|r| r.len() > 4 && r[4].to_string().len() == 64)
            .count(),
        47
    );
}

#[test]
fn a_remark_that_looks_like_a_formula_stays_text() {
    let wrk = Workdir::new();
    let remark = "=HYPERLINK(\"http://x.example\",\"bấm vào đây\")";
    wrk.create(
        "nop/a.csv",
        table_csv(
            &words("VB01 TT01 TT02 NX01"),
            &[("A1", "6 tháng", "05/06/2024", &["1", "2", "3", remark])],
        ),
    );
    wrk.create(
        "units.csv",
        "ma_don_vi,ten_don_vi,loai_hinh\nA1,Đơn vị A,SO_NGANH\n",
    );
    wrk.json(
        &words(
            "aggregate nop --period 2024-H1 --units units.csv --as-of 2024-07-01 --json -o r.xlsx",
        ),
        0,
    );
    let mut wb = book(&wrk.path("r.xlsx"));
    let remarks = wb.worksheet_range("Ý kiến đơn vị").unwrap();
    assert_eq!(
        remarks.get_value((1, 4)),
        Some(&Data::String(remark.to_string()))
    );
    let formulas = wb.worksheet_formula("Ý kiến đơn vị").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no live formula"
    );
}

#[test]
fn settings_come_from_qcdc_toml_and_flags_override() {
    let wrk = Workdir::new();
    wrk.create(
        "qcdc.toml",
        "tinh = \"Quảng Trị\"\nco_quan = \"Sở Nội vụ\"\ndia_danh = \"Đông Hà\"\n",
    );
    sample_report(&wrk, &[]);
    let summary = book(&wrk.path("r.xlsx"))
        .worksheet_range("Tổng hợp")
        .unwrap();
    assert_eq!(text(&summary, 0, 0), "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ");
    assert_eq!(text(&summary, 3, 3), "Đông Hà, ngày 01 tháng 7 năm 2022");
    sample_report(
        &wrk,
        &["--tinh", "Hà Tĩnh", "--co-quan", "Văn phòng UBND tỉnh"],
    );
    let summary = book(&wrk.path("r.xlsx"))
        .worksheet_range("Tổng hợp")
        .unwrap();
    assert_eq!(text(&summary, 0, 0), "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH");
    assert_eq!(text(&summary, 1, 0), "VĂN PHÒNG UBND TỈNH");
    assert_eq!(text(&summary, 3, 3), "Đông Hà, ngày 01 tháng 7 năm 2022");
    wrk.create("qcdc.toml", "tinh = 3");
    let out = wrk.run(&[
        "aggregate",
        sample().join("nop").to_str().unwrap(),
        "--period",
        "2022-H1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("qcdc.toml"));
}
