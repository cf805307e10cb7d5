//! Real spreadsheets from other projects (`tests/data/foreign`, see its README):
//! every file is read or explained, and what is read matches the reference
//! reader's sheet names and used-range dimensions.

mod common;

use common::Workdir;
use qcdc::read::{Limits, Sheet, read_file};
use std::path::Path;

struct Row {
    file: String,
    ext: String,
    opens: bool,
    sheets: Vec<String>,
    rows: Vec<String>,
    cols: Vec<String>,
    error: String,
}

fn manifest() -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/foreign/manifest.csv");
    let mut reader = csv::Reader::from_path(path).unwrap();
    let split = |s: &str| {
        if s.is_empty() {
            Vec::new()
        } else {
            s.split('|').map(String::from).collect()
        }
    };
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Row {
                file: r[0].into(),
                ext: r[1].into(),
                opens: &r[4] == "true",
                sheets: split(&r[5]),
                rows: split(&r[6]),
                cols: split(&r[7]),
                error: r[8].into(),
            }
        })
        .collect()
}

/// The used range of a sheet, as calamine's `Range::get_size()` counts it: from
/// the first to the last non-empty row and column.
fn used_size(sheet: &Sheet) -> (usize, usize) {
    if sheet.cells.is_empty() {
        return (0, 0);
    }
    let rows = sheet.cells.iter().map(|c| c.row);
    let cols = sheet.cells.iter().map(|c| c.col);
    let (r0, r1) = (rows.clone().min().unwrap(), rows.max().unwrap());
    let (c0, c1) = (cols.clone().min().unwrap(), cols.max().unwrap());
    ((r1 - r0 + 1) as usize, (c1 - c0 + 1) as usize)
}

/// calamine's used range of a sheet, ignoring cells that hold a blank string.
fn calamine_without_blanks(path: &Path, sheet: &str) -> (usize, usize) {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let kept: Vec<(usize, usize)> = range
        .used_cells()
        .filter(|(_, _, d)| {
            !matches!(d, Data::Empty) && !matches!(d, Data::String(s) if s.trim().is_empty())
        })
        .map(|(r, c, _)| (r, c))
        .collect();
    if kept.is_empty() {
        return (0, 0);
    }
    let rows = kept.iter().map(|k| k.0);
    let cols = kept.iter().map(|k| k.1);
    (
        rows.clone().max().unwrap() - rows.min().unwrap() + 1,
        cols.clone().max().unwrap() - cols.min().unwrap() + 1,
    )
}

#[test]
fn every_file_is_read_or_explained() {
    let wrk = Workdir::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/foreign");
    let v = wrk.json(&["validate", dir.to_str().unwrap(), "--json"], 1);
    let files = v["files"].as_array().unwrap();
    let manifest = manifest();
    let data_files = files
        .iter()
        .filter(|f| {
            !f["path"].as_str().unwrap().ends_with(".md")
                && !f["path"].as_str().unwrap().contains("LICENSE")
                && !f["path"].as_str().unwrap().ends_with("manifest.csv")
        })
        .count();
    assert_eq!(data_files, manifest.len(), "every corpus file is listed");
    for m in &manifest {
        let f = files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(&m.file))
            .unwrap_or_else(|| panic!("{} not listed", m.file));
        let status = f["status"].as_str().unwrap();
        if m.opens || !m.sheets.is_empty() {
            assert!(
                status == "ok" || status == "errors",
                "{}: the reference opens it, we say {status}: {}",
                m.file,
                f["reason"]
            );
        } else {
            assert_eq!(status, "unreadable", "{}", m.file);
            let reason = f["reason"].as_str().unwrap();
            let want = if m.error.contains("Password") {
                "mật khẩu"
            } else if m.error.contains("limit exceeded") {
                "vượt giới hạn an toàn"
            } else if m.file.contains("empty_file") {
                "rỗng"
            } else {
                "hỏng"
            };
            assert!(
                reason.contains(want),
                "{}: reference says {:?}, we say {reason:?}",
                m.file,
                m.error
            );
        }
    }
}

#[test]
fn sheets_and_dimensions_match_the_reference() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/foreign");
    let mut mismatches = Vec::new();
    for m in manifest()
        .iter()
        .filter(|m| m.ext != "csv" && !m.sheets.is_empty())
    {
        let wb = read_file(&dir.join(&m.file), &Limits::default())
            .unwrap_or_else(|e| panic!("{}: {e}", m.file));
        let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, m.sheets, "{}: sheet names in order", m.file);
        for (i, sheet) in wb.sheets.iter().enumerate() {
            if m.rows[i] == "ERR" {
                assert!(
                    wb.notes
                        .iter()
                        .any(|n| n.sheet.as_deref() == Some(sheet.name.as_str())),
                    "{}: failing sheet explained",
                    m.file
                );
                continue;
            }
            let want: (usize, usize) = (m.rows[i].parse().unwrap(), m.cols[i].parse().unwrap());
            // We drop cells holding only an empty or blank string (an empty cell is
            // "not reported"); calamine counts them. Where the sizes differ, that
            // must be the whole reason: calamine's range without blank strings
            // must give exactly our size.
            if used_size(sheet) != want
                && used_size(sheet) != calamine_without_blanks(&dir.join(&m.file), &sheet.name)
            {
                mismatches.push(format!(
                    "{} [{}]: ours {:?}, reference {want:?}",
                    m.file,
                    sheet.name,
                    used_size(sheet)
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} sheets differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
