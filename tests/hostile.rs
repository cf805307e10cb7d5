//! A folder of hostile and broken files, made in code: `validate` and
//! `aggregate` answer every file, never panic, and stay within bounds.

mod common;

use common::{Workdir, sample, words, zip_of};
use serde_json::Value;
use std::io::Write;

/// Deterministic pseudo-random bytes.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A zip container with one highly compressible part.
fn zip_with(part: &str, size: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "[Content_Types].xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file(part, zip::write::SimpleFileOptions::default())
        .unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..size >> 20 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn build(wrk: &Workdir) -> usize {
    let exts = ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv"];
    for (i, ext) in exts.iter().enumerate() {
        wrk.create(
            &format!("hostile/ngau-nhien-{i}.{ext}"),
            noise(i as u64, 4096),
        );
        wrk.create(&format!("hostile/rong-{i}.{ext}"), b"");
    }
    let good = std::fs::read(sample().join("nop/S02_So_Tai_chinh.xlsx")).unwrap();
    wrk.create("hostile/cat-ngang.xlsx", &good[..good.len() / 2]);
    let xls = std::fs::read(sample().join("nop/S12_Thanh_tra_tinh.xls")).unwrap();
    wrk.create("hostile/cat-ngang.xls", &xls[..xls.len() / 3]);
    let foreign =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/foreign/python-calamine");
    wrk.create(
        "hostile/mat-khau.xlsx",
        std::fs::read(foreign.join("password.xlsx")).unwrap(),
    );
    wrk.create(
        "hostile/mat-khau.xls",
        std::fs::read(foreign.join("password.xls")).unwrap(),
    );
    wrk.create("hostile/web.xls", "<html><head><meta charset=utf-8></head><body><table><tr><td>Mã đơn vị</td></tr></table></body></html>");
    wrk.create(
        "hostile/excel2003.xls",
        "<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet/></Workbook>",
    );
    wrk.create(
        "hostile/bom-nen.xlsx",
        zip_with("xl/worksheets/sheet1.xml", 16 << 20),
    );
    let mut grid = rust_xlsxwriter::Workbook::new();
    let ws = grid.add_worksheet();
    ws.write(0, 0, "Mã đơn vị").unwrap();
    ws.write(1_048_575, 16_383, "góc xa").unwrap();
    wrk.create("hostile/toan-luoi.xlsx", grid.save_to_buffer().unwrap());
    wrk.create(
        "hostile/toan-luoi.ods",
        qcdc::fuzzing::spread_ods(1_048_575, 16_000),
    );
    wrk.create(
        "hostile/toan-luoi.xls",
        qcdc::fuzzing::spread_xls(65_535, 255),
    );
    // "Xã Đà Bắc" in Windows-1258: tones are combining bytes after the letter.
    wrk.create(
        "hostile/windows-1258.csv",
        b"ma_don_vi;ten_don_vi;VB01;TT01;TT02\nX001;X\x61\xde \xd0\x61\xcc B\xe3\xecc;1;2;3\n",
    );
    wrk.create(
        "hostile/nul.csv",
        b"ma_don_vi;VB01;TT01;TT02\nX\x00001;1;\x002;3\n",
    );
    let mut long = b"ma_don_vi;VB01;TT01;TT02\nX001;".to_vec();
    long.extend(vec![b'9'; 5 << 20]);
    long.extend(b";1;1\n");
    wrk.create("hostile/o-5mb.csv", long);
    wrk.create(
        "hostile/chi-tieu-de.csv",
        "ma_don_vi;ky_bao_cao;nam;VB01;TT01;TT02\n",
    );
    wrk.create("hostile/~$khoa.xlsx", noise(99, 165));
    wrk.create("hostile/ghi-chu.docx", noise(7, 300));
    std::fs::create_dir_all(wrk.path("hostile/vong")).unwrap();
    std::os::unix::fs::symlink(wrk.path("hostile"), wrk.path("hostile/vong/lap")).unwrap();
    std::fs::read_dir(wrk.path("hostile"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_file())
        .count()
}

fn assert_quiet(stderr: &[u8]) {
    let stderr = String::from_utf8_lossy(stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn validate_answers_every_hostile_file() {
    let wrk = Workdir::new();
    let n = build(&wrk);
    let out = wrk.run(&["validate", "hostile", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_quiet(&out.stderr);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(
        files.len(),
        n,
        "every file listed once (the loop is not followed)"
    );
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["message"].as_str().unwrap().contains("vòng lặp"))
    );
    let reason = |name: &str| {
        let f = files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name}"));
        (
            f["status"].as_str().unwrap().to_string(),
            f["reason"].as_str().unwrap_or("").to_string(),
        )
    };
    for (name, status, words) in [
        ("mat-khau.xlsx", "unreadable", "mật khẩu"),
        ("mat-khau.xls", "unreadable", "mật khẩu"),
        ("web.xls", "unreadable", "HTML"),
        ("excel2003.xls", "unreadable", "XML"),
        ("bom-nen.xlsx", "unreadable", "bom nén"),
        ("toan-luoi.ods", "unreadable", "giới hạn"),
        ("toan-luoi.xls", "unreadable", "giới hạn"),
        ("o-5mb.csv", "unreadable", "giới hạn"),
        ("rong-0.xlsx", "unreadable", "rỗng"),
        ("cat-ngang.xlsx", "unreadable", "hỏng"),
        ("~$khoa.xlsx", "skipped", "tệp khóa"),
        ("ghi-chu.docx", "unreadable", "hỏng"),
    ] {
        let (got, why) = reason(name);
        assert_eq!(got, status, "{name}: {why}");
        assert!(why.contains(words), "{name}: {why}");
    }
    assert_eq!(
        reason("toan-luoi.xlsx").0,
        "errors",
        "read sparsely: a sheet, no form"
    );
    let nul = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("nul.csv"))
        .unwrap();
    assert_eq!(nul["submissions"][0]["unit"], "X001");
    let legacy = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("windows-1258.csv"))
        .unwrap();
    assert!(
        legacy["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["message"].as_str().unwrap().contains("windows-1258"))
    );
}

#[test]
fn aggregate_accounts_for_every_hostile_file() {
    let wrk = Workdir::new();
    // One real submission beside them: a folder of nothing but hostile files
    // is "nothing to judge" (exit 1, no workbook; see tests/scheduled.rs).
    let n = build(&wrk) + 1;
    let good = sample().join("nop/S02_So_Tai_chinh.xlsx");
    let out = wrk.run(&[
        "aggregate",
        "hostile",
        good.to_str().unwrap(),
        "--period",
        "2022-H1",
        "--json",
        "-o",
        "r.xlsx",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_quiet(&out.stderr);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["files"];
    let total = f["read"].as_u64().unwrap()
        + f["skipped"].as_u64().unwrap()
        + f["unreadable"].as_u64().unwrap();
    assert_eq!(total as usize, n);
    assert!(wrk.path("r.xlsx").exists());
}

/// A calamine panic on a malformed file is that file's error, with the panic's
/// text, and nothing of it (no "panicked at", no backtrace) reaches stderr.
#[test]
fn reader_panics_are_file_errors_not_noise() {
    let wrk = Workdir::new();
    let crashes =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-regressions");
    let formula = std::fs::read(crashes.join("read_xls/xls-1531-formula")).unwrap();
    let xlsb = std::fs::read(crashes.join("read_xlsx/xlsb-mod-309-relid-slice")).unwrap();
    wrk.create("nop/cong-thuc.xls", formula);
    wrk.create("nop/nhi-phan.xlsb", xlsb);
    let out = wrk
        .command(&words("validate nop"))
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for (file, detail) in [
        ("cong-thuc.xls", "range end index 30 out of range"),
        ("nhi-phan.xlsb", "range end index 17051668 out of range"),
    ] {
        let line = stdout
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not answered: {stdout}"));
        assert!(line.contains("không đọc được tệp"), "{line}");
        assert!(line.contains(detail), "{line}");
    }
}

const FORM_CSV: &[u8] =
    b"ma_don_vi;ky_bao_cao;nam;VB01;TT01;TT02\nX001;6 th\xc3\xa1ng;2022;1;2;3\n";

/// A mail whose body is these MIME parts.
fn mail(parts: &str) -> Vec<u8> {
    format!("From: a@xa.gov.vn\r\nDate: Thu, 9 Jun 2022 08:00:00 +0700\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n{parts}--b--\r\n").into_bytes()
}

/// Containers built to hurt: each must get a clear finding, in bounded time
/// and memory, and every member must be accounted for.
fn build_containers(wrk: &Workdir) {
    // Paths that try to leave the archive, beside an honest member.
    wrk.create(
        "hop/thoat.zip",
        zip_of(&[
            ("../../ra-ngoai.csv", FORM_CSV),
            ("/etc/tuyet-doi.csv", FORM_CSV),
            ("ok/X001.csv", FORM_CSV),
        ]),
    );
    // Fifty zips, each inside the next.
    let mut nested = zip_of(&[("X001.csv", FORM_CSV)]);
    for depth in (1..50).rev() {
        nested = zip_of(&[(&format!("lop-{depth}.zip"), &nested)]);
    }
    wrk.create("hop/long-50.zip", nested);
    // A zip bomb (16 MiB of spaces in a few kilobytes) inside an honest zip.
    let bomb = zip_of(&[("khoang-trang.csv", &vec![b' '; 16 << 20])]);
    wrk.create(
        "hop/bom-trong-zip.zip",
        zip_of(&[("bom.zip", &bomb), ("X001.csv", FORM_CSV)]),
    );
    // Ten thousand tiny attachments.
    let tiny: String = (0..10_000)
        .map(|i| format!("--b\r\nContent-Type: text/csv; name=\"t{i}.csv\"\r\n\r\nx\r\n"))
        .collect();
    wrk.create("hop/10000-tep.eml", mail(&tiny));
    // One attachment on a single 50 MB base64 line.
    let mut line = String::from(
        "--b\r\nContent-Type: application/octet-stream; name=\"du-lieu.xlsx\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
    );
    line.push_str(&"A".repeat(50 << 20));
    line.push_str("\r\n");
    wrk.create("hop/dong-50mb.eml", mail(&line));
    // A Word table of 100,000 rows.
    let row = "<w:tr><w:tc><w:p><w:r><w:t>VB01</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>";
    let document = format!(
        "<w:document><w:body><w:tbl>{}</w:tbl></w:body></w:document>",
        row.repeat(100_000)
    );
    wrk.create(
        "hop/bang-100000-dong.docx",
        zip_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", document.as_bytes()),
        ]),
    );
}

#[test]
fn every_hostile_container_is_accounted_for() {
    let wrk = Workdir::new();
    build_containers(&wrk);
    let out = wrk.run(&["validate", "hop", "--json"]);
    assert_quiet(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    let file = |path: &str| {
        files
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("{path} not listed"))
    };
    let answer = |path: &str| {
        let f = file(path);
        (
            f["status"].as_str().unwrap().to_string(),
            f["reason"].as_str().unwrap_or_default().to_string(),
        )
    };
    for (path, status, words) in [
        (
            "thoat.zip/../../ra-ngoai.csv",
            "unreadable",
            "trỏ ra ngoài tệp nén",
        ),
        (
            "thoat.zip//etc/tuyet-doi.csv",
            "unreadable",
            "trỏ ra ngoài tệp nén",
        ),
        (
            "bom-trong-zip.zip/bom.zip/khoang-trang.csv",
            "unreadable",
            "bom nén",
        ),
        ("10000-tep.eml", "unreadable", "10000 tệp"),
        ("dong-50mb.eml/du-lieu.xlsx", "unreadable", "không khớp"),
        ("bang-100000-dong.docx", "unreadable", "hơn 20000 dòng"),
    ] {
        let (got, why) = answer(path);
        assert_eq!(got, status, "{path}: {why}");
        assert!(why.contains(words), "{path}: {why}");
    }
    // Beside the refused members, the honest ones are read.
    for path in ["thoat.zip/ok/X001.csv", "bom-trong-zip.zip/X001.csv"] {
        assert_eq!(file(path)["submissions"][0]["unit"], "X001", "{path}");
    }
    // Eight levels are opened, the ninth is refused by name.
    let deep = files
        .iter()
        .find(|f| {
            f["reason"]
                .as_str()
                .unwrap_or_default()
                .contains("lồng nhau quá 8 lớp")
        })
        .expect("the nesting limit is reported");
    assert_eq!(deep["path"].as_str().unwrap().matches(".zip").count(), 9);
    assert!(
        files
            .iter()
            .all(|f| !f["path"].as_str().unwrap().contains("lop-10.zip"))
    );
    // Every report is counted once by aggregate.
    let out = wrk.run(&words("aggregate hop --period 2022-H1 --json -o r.xlsx"));
    assert_quiet(&out.stderr);
    let agg: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &agg["files"];
    let total = f["read"].as_u64().unwrap()
        + f["skipped"].as_u64().unwrap()
        + f["unreadable"].as_u64().unwrap();
    assert_eq!(total as usize, files.len());
}
