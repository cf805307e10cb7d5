//! Value cells holding formulas, end to end: no stored result (openpyxl, POI),
//! `fullCalcOnLoad` with every result 0 (xlsxwriter), manual calculation, and
//! formulas that cannot be computed.

mod common;

use common::Workdir;
use rust_xlsxwriter::{Formula, Workbook};
use serde_json::Value;
use std::io::{Read, Write};

/// A table-layout submission (unit X001, 6 tháng 2024) whose VB01 is `=SUM(B2:D2)`
/// over three helper cells, TT01 is `=VB01-1` (through the first formula) and
/// TT02 is `formula`; results stored as given (xlsxwriter always asks for a
/// full recalculation on load).
fn xlsx(tt02: &str, results: [&str; 3]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 1, "Phần tính").unwrap();
    for (col, n) in [(1u16, 2.0), (2, 3.0), (3, 4.0)] {
        ws.write_number(1, col, n).unwrap();
    }
    for (col, head) in [
        "ma_don_vi",
        "ky_bao_cao",
        "nam",
        "ngay_bao_cao",
        "VB01",
        "TT01",
        "TT02",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(4, col as u16, *head).unwrap();
    }
    for (col, text) in ["X001", "6 tháng", "2024", "05/06/2024"].iter().enumerate() {
        ws.write_string(5, col as u16, *text).unwrap();
    }
    let formulas = ["=SUM(B2:D2)", "=E6-1", tt02];
    for (i, (f, r)) in formulas.iter().zip(results).enumerate() {
        ws.write_formula(5, 4 + i as u16, Formula::new(*f).set_result(r))
            .unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// The xlsx with one part rewritten.
fn rewrite(xlsx: &[u8], part: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut seen = false;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        if name == part {
            text = edit(&text);
            seen = true;
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    assert!(seen, "{part} is in the workbook");
    out.finish().unwrap().into_inner()
}

/// As openpyxl writes: no stored result, no recalculation flag.
fn without_results(xlsx: &[u8]) -> Vec<u8> {
    let no_flag = rewrite(xlsx, "xl/workbook.xml", |x| {
        assert!(x.contains(r#" fullCalcOnLoad="1""#));
        x.replace(r#" fullCalcOnLoad="1""#, "")
    });
    rewrite(&no_flag, "xl/worksheets/sheet1.xml", |x| {
        let mut out = String::new();
        let mut rest = x;
        while let Some(i) = rest.find("<v>") {
            let end = rest[i..].find("</v>").unwrap() + i + 4;
            let in_formula_cell = rest[..i].rfind("<f>") > rest[..i].rfind("<c ");
            out.push_str(&rest[..if in_formula_cell { i } else { end }]);
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    })
}

fn manual(xlsx: &[u8]) -> Vec<u8> {
    rewrite(xlsx, "xl/workbook.xml", |x| {
        x.replace(r#" fullCalcOnLoad="1""#, r#" calcMode="manual""#)
    })
}

fn validate(bytes: Vec<u8>, status: i32) -> Value {
    let wrk = Workdir::new();
    wrk.create("x001.xlsx", bytes);
    let v = wrk.json(
        &["validate", "x001.xlsx", "--period", "2024-H1", "--json"],
        status,
    );
    v["files"][0].clone()
}

fn findings(file: &Value) -> Vec<(String, String, String)> {
    file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["cell"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn formulas_without_stored_results_are_computed() {
    let file = validate(without_results(&xlsx("=(E6+F6)*2", ["0", "0", "0"])), 0);
    let values = &file["submissions"][0]["values"];
    assert_eq!(values["VB01"], 9, "{file:#}");
    assert_eq!(values["TT01"], 8);
    assert_eq!(values["TT02"], 34);
    assert!(findings(&file).is_empty(), "{:?}", findings(&file));
}

#[test]
fn full_calc_on_load_zeros_are_computed_with_a_warning_per_cell() {
    let file = validate(xlsx("=E6+F6", ["0", "0", "17"]), 0);
    let values = &file["submissions"][0]["values"];
    assert_eq!(values["VB01"], 9, "{file:#}");
    assert_eq!(values["TT01"], 8);
    assert_eq!(values["TT02"], 17);
    let warned: Vec<String> = findings(&file)
        .into_iter()
        .filter(|(sev, _, m)| sev == "warning" && m.starts_with("ô có công thức"))
        .map(|(_, cell, _)| cell)
        .collect();
    assert_eq!(warned, ["E6", "F6"]);
}

#[test]
fn manual_calculation_stale_results_are_replaced() {
    let file = validate(manual(&xlsx("=SUM(E6,F6)", ["9", "5", "17"])), 0);
    let values = &file["submissions"][0]["values"];
    assert_eq!(values["TT01"], 8, "{file:#}");
    assert_eq!(values["TT02"], 17);
    let stale: Vec<_> = findings(&file)
        .into_iter()
        .filter(|(_, _, m)| m.contains("thủ công"))
        .collect();
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(stale[0].1, "F6");
    assert!(
        stale[0]
            .2
            .contains("kết quả lưu trong tệp là 5 nhưng tính lại từ các ô được 8")
    );
}

#[test]
fn a_formula_that_cannot_be_computed_is_an_error_naming_it() {
    let file = validate(
        without_results(&xlsx("=VLOOKUP(A6,B1:D2,2,0)", ["0", "0", "0"])),
        1,
    );
    let errors: Vec<_> = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{file:#}");
    assert_eq!(errors[0]["cell"], "G6");
    assert_eq!(errors[0]["value"], "=VLOOKUP(A6,B1:D2,2,0)");
    assert!(errors[0]["message"].as_str().unwrap().contains("công thức"));
    // The computable ones are still read.
    assert_eq!(file["submissions"][0]["values"]["VB01"], 9);
}

#[test]
fn trusted_results_are_used_as_stored() {
    // Excel's own file: results stored, no recalculation asked; a stored result
    // is what the unit saw, even one this reader would compute otherwise.
    let stored = rewrite(&xlsx("=E6+F6", ["9", "8", "99"]), "xl/workbook.xml", |x| {
        x.replace(r#" fullCalcOnLoad="1""#, "")
    });
    let file = validate(stored, 0);
    assert_eq!(file["submissions"][0]["values"]["TT02"], 99, "{file:#}");
    assert!(findings(&file).is_empty(), "{:?}", findings(&file));
}
