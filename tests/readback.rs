//! The report's very hidden figures (`qcdc_so_lieu`) as `--compare` reads them
//! back: the one-row-per-unit layout written now, the long layout of reports
//! written before it (a report of the sample period by qcdc 0.1.0, kept in
//! `tests/data/earlier`), and a report saved again by LibreOffice all give the
//! sample period's figures and statuses, as the JSON and the long CSV have them.

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::{Workdir, sample_aggregate};
use qcdc::read::Limits;
use qcdc::read::earlier::{
    EarlierPeriod, LONG_HEADER, READBACK_SHEET, STATUS_COLUMN, WIDE_HEADER, read_earlier,
};
use qcdc::schema::Schema;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn earlier_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/earlier")
        .join(name)
}

/// The hidden sheet's header row, as calamine reads it.
fn readback_header(path: &Path) -> Vec<String> {
    let mut wb: Xlsx<_> = open_workbook(path).expect("the report opens");
    let sheet = wb
        .worksheet_range(READBACK_SHEET)
        .expect("the hidden sheet");
    let first = sheet.rows().next().expect("a header row");
    first.iter().map(|d| d.to_string()).collect()
}

fn read(path: &Path) -> EarlierPeriod {
    read_earlier(path, &Limits::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The sample period written now, with its JSON and its long CSV's figures.
struct Written {
    wrk: Workdir,
    json: serde_json::Value,
    figures: BTreeMap<String, BTreeMap<String, u64>>,
}

fn written() -> Written {
    let wrk = Workdir::new();
    let mut args = sample_aggregate("r.xlsx");
    args.extend(["--long".to_string(), "r.csv".to_string()]);
    let json = wrk.json(&args.iter().map(String::as_str).collect::<Vec<_>>(), 0);
    let mut figures: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut csv = csv::Reader::from_path(wrk.path("r.csv")).unwrap();
    for row in csv.records() {
        let row = row.unwrap();
        figures
            .entry(row[0].to_string())
            .or_default()
            .insert(row[4].to_string(), row[5].parse().unwrap());
    }
    Written { wrk, json, figures }
}

/// Every unit of the JSON with its status, and the long CSV's figures, are
/// what was read back.
fn assert_is_the_sample(read: &EarlierPeriod, w: &Written) {
    assert_eq!(read.period.to_string(), "2022-H1");
    let units = w.json["units"].as_array().unwrap();
    assert_eq!(read.units.len(), units.len());
    assert_eq!(read.units.len(), 47);
    for u in units {
        let code = u["ma_don_vi"].as_str().unwrap();
        let got = read.units.iter().find(|e| e.code == code).expect(code);
        assert_eq!(got.status.as_deref(), u["status"].as_str(), "{code}");
        assert_eq!(got.name, u["ten_don_vi"].as_str().unwrap(), "{code}");
        let want = w.figures.get(code).cloned().unwrap_or_default();
        assert_eq!(got.values, want, "{code}");
    }
    assert!(w.figures.values().map(BTreeMap::len).sum::<usize>() > 900);
}

#[test]
fn the_hidden_sheet_has_a_row_per_unit_and_a_column_per_indicator() {
    let w = written();
    let header = readback_header(&w.wrk.path("r.xlsx"));
    let schema = Schema::builtin();
    let mut want: Vec<String> = WIDE_HEADER.iter().map(|h| h.to_string()).collect();
    want.extend(schema.count_codes().iter().map(|c| c.to_string()));
    assert_eq!(header, want);
    assert_is_the_sample(&read(&w.wrk.path("r.xlsx")), &w);
}

#[test]
fn a_report_written_before_the_wide_layout_reads_back_the_same() {
    let w = written();
    let old = earlier_fixture("tong-hop-2022-H1.xlsx");
    let mut long: Vec<String> = LONG_HEADER.iter().map(|h| h.to_string()).collect();
    long.push(STATUS_COLUMN.to_string());
    assert_eq!(
        readback_header(&old),
        long,
        "the fixture has the long layout"
    );
    let old = read(&old);
    assert_is_the_sample(&old, &w);
    assert_eq!(old, read(&w.wrk.path("r.xlsx")));
}

#[test]
fn a_report_saved_again_by_libreoffice_reads_back_the_same() {
    let w = written();
    let resaved = earlier_fixture("tong-hop-2022-H1-libreoffice.xlsx");
    assert_eq!(readback_header(&resaved)[..5], WIDE_HEADER);
    assert_eq!(read(&resaved), read(&w.wrk.path("r.xlsx")));
}
