//! Forms typed in TCVN3 (ABC) or VNI-Windows, end to end: read as Unicode, with
//! one warning naming the encoding; and no false detection on any real text the
//! tests hold (the sample period, the foreign corpus).

mod common;

use common::Workdir;
use qcdc::read::legacy::{Encoding, encode};
use qcdc::read::{CellValue, Limits, read_file};
use qcdc::registry::Unit;
use qcdc::schema::Schema;
use qcdc::template::{self, Prefill};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;

const GROUP_IX: &str =
    "Đã tổ chức đối thoại định kỳ với Nhân dân; công khai đầy đủ thủ tục hành chính.";

/// A filled form from `qcdc::template` for unit X361 "Xã Lạc Sơn".
fn form(name: &str, ix: &str) -> Vec<u8> {
    let schema = Schema::builtin();
    let unit = Unit::unregistered("X361", name);
    let values = schema
        .indicators
        .iter()
        .map(|ind| {
            let typed = match ind.kind {
                qcdc::schema::IndicatorKind::Count => "3".to_string(),
                qcdc::schema::IndicatorKind::Text => ix.to_string(),
            };
            (ind.code.clone(), typed)
        })
        .collect();
    let prefill = Prefill {
        period: "2024-H1".parse().ok(),
        unit: Some(&unit),
        values,
        report_date: chrono::NaiveDate::from_ymd_opt(2024, 6, 5),
    };
    template::form(&schema, &prefill).unwrap()
}

/// The xlsx with every text (shared strings, sheet names) typed in `encoding`,
/// as Excel stores text typed with a legacy font.
fn retyped(xlsx: &[u8], encoding: Encoding) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut text = Vec::new();
        part.read_to_end(&mut text).unwrap();
        if name == "xl/sharedStrings.xml" || name == "xl/workbook.xml" {
            // Markup is ASCII, which every encoding keeps.
            text = encode(std::str::from_utf8(&text).unwrap(), encoding).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn validate(wrk: &Workdir, file: &str) -> Value {
    let v = wrk.json(&["validate", file, "--period", "2024-H1", "--json"], 0);
    v["files"][0].clone()
}

fn legacy_warnings(file: &Value) -> Vec<String> {
    file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .filter(|m| m.contains("gõ bằng bảng mã"))
        .collect()
}

#[test]
fn a_form_typed_wholly_in_tcvn3_reads_as_unicode() {
    let wrk = Workdir::new();
    let bytes = retyped(&form("Xã Lạc Sơn", GROUP_IX), Encoding::Tcvn3);
    wrk.create("lac-son.xlsx", bytes);
    let file = validate(&wrk, "lac-son.xlsx");
    let sub = &file["submissions"][0];
    assert_eq!(sub["unit"], "X361", "{file:#}");
    assert_eq!(sub["period"], "2024-H1");
    assert_eq!(sub["values"]["VB01"], 3);
    let texts: Vec<&str> = sub["values"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        !texts.is_empty() && texts.iter().all(|t| *t == GROUP_IX),
        "{texts:?}"
    );
    let warnings = legacy_warnings(&file);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("văn bản gõ bằng bảng mã TCVN3 (ABC), đã chuyển sang Unicode"));
}

#[test]
fn a_form_typed_wholly_in_vni_reads_as_unicode() {
    let wrk = Workdir::new();
    wrk.create(
        "lac-son.xlsx",
        retyped(&form("Xã Lạc Sơn", GROUP_IX), Encoding::Vni),
    );
    let file = validate(&wrk, "lac-son.xlsx");
    assert_eq!(file["submissions"][0]["unit"], "X361", "{file:#}");
    let warnings = legacy_warnings(&file);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("bảng mã VNI-Windows"));
}

/// The province's Unicode template with only the unit's name and its group IX
/// answers typed in TCVN3: those are converted, and listed.
#[test]
fn answers_typed_in_tcvn3_on_a_unicode_form_are_converted_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lac-son.xlsx");
    let name = encode("Xã Lạc Sơn", Encoding::Tcvn3);
    assert_eq!(name, "X· L¹c S¬n");
    std::fs::write(&path, form(&name, &encode(GROUP_IX, Encoding::Tcvn3))).unwrap();
    let wb = read_file(&path, &Limits::default()).unwrap();
    let texts: Vec<&str> = wb
        .sheets
        .iter()
        .flat_map(|s| &s.cells)
        .filter_map(|c| c.value.as_text())
        .collect();
    assert!(texts.contains(&"Xã Lạc Sơn"), "{texts:?}");
    assert!(texts.contains(&GROUP_IX));
    assert!(texts.contains(&"Mã đơn vị:") || texts.iter().any(|t| t.starts_with("Mã đơn vị")));
    assert!(!texts.iter().any(|t| t.contains('¬') || t.contains('®')));
    let notes: Vec<_> = wb
        .notes
        .iter()
        .filter(|n| n.message.contains("gõ bằng bảng mã"))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].message.contains("các ô: 'Biểu báo cáo'!"),
        "{}",
        notes[0].message
    );
}

/// Every file the tests hold: no text is taken for a legacy encoding.
#[test]
fn no_real_text_is_taken_for_a_legacy_encoding() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut read = 0;
    let mut texts = 0;
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() || !qcdc::read::is_supported(entry.path()) {
            continue;
        }
        let Ok(wb) = read_file(entry.path(), &Limits::default()) else {
            continue;
        };
        read += 1;
        texts += wb
            .sheets
            .iter()
            .flat_map(|s| &s.cells)
            .filter(|c| matches!(c.value, CellValue::Text(_)))
            .count();
        for note in &wb.notes {
            assert!(
                !note.message.contains("gõ bằng bảng mã"),
                "{}: {}",
                entry.path().display(),
                note.message
            );
        }
    }
    assert!(read > 100 && texts > 1000, "{read} files, {texts} texts");
}
