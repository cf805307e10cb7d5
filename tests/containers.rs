//! What arrives by mail and messaging apps, as it was saved: a zip of several
//! forms, a saved mail with the form attached, a Word report, and the files
//! units send instead of a spreadsheet (.doc, .pdf), through the binary.

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::{Workdir, sample, zip_of};
use serde_json::Value;
use std::io::Write;

const X002: &str = "nop/X002_Phuong_Thong_Nhat.xlsx";
const S02: &str = "nop/S02_So_Tai_chinh.xlsx";

fn sample_file(name: &str) -> Vec<u8> {
    std::fs::read(sample().join(name)).unwrap()
}

/// A saved mail with these attachments (file name, bytes), base64-encoded.
fn mail_with(date: &str, attachments: &[(&str, &[u8])]) -> Vec<u8> {
    let mut mail = format!(
        "From: =?UTF-8?B?{}?= <vanthu@phuongthongnhat.gov.vn>\r\nTo: snv@tinh.gov.vn\r\nDate: {date}\r\nSubject: =?UTF-8?Q?B=C3=A1o_c=C3=A1o_QCDC?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"ranh-gioi\"\r\n\r\n--ranh-gioi\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKính gửi Sở Nội vụ, xin gửi báo cáo.\r\n",
        base64("Văn thư Phường Thống Nhất".as_bytes())
    );
    for (name, bytes) in attachments {
        let encoded = base64(bytes);
        mail.push_str(&format!(
            "--ranh-gioi\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=utf-8''{}\r\nContent-Transfer-Encoding: base64\r\n\r\n",
            percent(name)
        ));
        for line in encoded.as_bytes().chunks(76) {
            mail.push_str(std::str::from_utf8(line).unwrap());
            mail.push_str("\r\n");
        }
    }
    mail.push_str("--ranh-gioi--\r\n");
    mail.into_bytes()
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                ABC[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

fn percent(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A Word document whose body is this XML (paragraphs and tables).
pub fn docx_with(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", document.as_bytes()),
    ])
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn tc(text: &str, props: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text))
}

fn sample_args<'a>(input: &'a str, extra: &[&'a str]) -> Vec<String> {
    let units = sample().join("units.csv").display().to_string();
    let mut args: Vec<String> = [
        "aggregate",
        input,
        "--period",
        "2022-H1",
        "--as-of",
        "2022-07-01",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(["--units".to_string(), units]);
    args.extend(["--json", "-o", "r.xlsx"].iter().map(|s| s.to_string()));
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn aggregate(wrk: &Workdir, input: &str, extra: &[&str]) -> Value {
    let args = sample_args(input, extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    wrk.json(&args, 0)
}

fn unit<'a>(v: &'a Value, code: &str) -> &'a Value {
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["ma_don_vi"] == code)
        .unwrap_or_else(|| panic!("{code}"))
}

fn status_sheet(wrk: &Workdir) -> Vec<Vec<String>> {
    sheet(wrk, "Tình hình nộp")
}

fn sheet(wrk: &Workdir, name: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook(wrk.path("r.xlsx")).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn a_zip_of_two_forms_gives_two_units_dated_by_the_receipt_naming_the_zip() {
    let wrk = Workdir::new();
    wrk.create(
        "nop/Zalo tin nhắn.zip",
        zip_of(&[
            (
                "Báo cáo phường/X002_Phuong_Thong_Nhat.xlsx",
                &sample_file(X002),
            ),
            ("S02_So_Tai_chinh.xlsx", &sample_file(S02)),
        ]),
    );
    wrk.create(
        "so-den.csv",
        "tep,ma_don_vi,ngay_nhan\nZalo tin nhắn.zip,,05/06/2022\n",
    );
    let v = aggregate(&wrk, "nop", &["--received", "so-den.csv"]);
    for code in ["X002", "S02"] {
        let u = unit(&v, code);
        assert_eq!(u["status"], "on_time", "{u}");
        assert_eq!(u["received"], "2022-06-05", "{u}");
        assert_eq!(u["received_from"], "receipts", "{u}");
    }
    assert_eq!(
        unit(&v, "X002")["files"][0],
        "Zalo tin nhắn.zip/Báo cáo phường/X002_Phuong_Thong_Nhat.xlsx"
    );
    // The figures are the files' own, as if they had been in the folder.
    let direct = Workdir::new();
    direct.create("nop/a.xlsx", sample_file(X002));
    direct.create("nop/b.xlsx", sample_file(S02));
    assert_eq!(v["totals"], aggregate(&direct, "nop", &[])["totals"]);
    assert_eq!(v["totals"]["TT02"], 2134 + 5740);
    // The zip and each member are listed in Thông tin, each with its own hash.
    let mut book: Xlsx<_> = open_workbook(wrk.path("r.xlsx")).unwrap();
    let info = book.worksheet_range("Thông tin").unwrap();
    let rows: Vec<Vec<String>> = info
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let listed = |name: &str| {
        rows.iter()
            .find(|r| r.get(1).is_some_and(|c| c == name))
            .unwrap_or_else(|| panic!("{name} not in Thông tin: {rows:?}"))
            .clone()
    };
    let zip = listed("Zalo tin nhắn.zip");
    assert!(zip[3].contains("đã mở: 2 tệp bên trong"), "{zip:?}");
    let member = listed("Zalo tin nhắn.zip/S02_So_Tai_chinh.xlsx");
    use sha2::Digest;
    let want: String = sha2::Sha256::digest(sample_file(S02))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(member[4], want);
    assert_ne!(zip[4], want);
    assert_eq!(zip[4].len(), 64);
}

#[test]
fn a_receipt_naming_the_member_beats_the_one_naming_the_zip() {
    let wrk = Workdir::new();
    wrk.create(
        "nop/gui-chung.zip",
        zip_of(&[
            ("X002.xlsx", &sample_file(X002)),
            ("S02.xlsx", &sample_file(S02)),
        ]),
    );
    wrk.create(
        "so-den.csv",
        "tep,ma_don_vi,ngay_nhan\ngui-chung.zip,,05/06/2022\nX002.xlsx,X002,14/06/2022\n",
    );
    let v = aggregate(&wrk, "nop", &["--received", "so-den.csv"]);
    assert_eq!(unit(&v, "X002")["status"], "late");
    assert_eq!(unit(&v, "X002")["days_late"], 4);
    assert_eq!(unit(&v, "S02")["received"], "2022-06-05");
}

#[test]
fn a_receipt_naming_a_zip_without_the_unit_makes_it_invalid_and_says_why() {
    let wrk = Workdir::new();
    wrk.create("nop/goi.zip", zip_of(&[("S02.xlsx", &sample_file(S02))]));
    wrk.create(
        "so-den.csv",
        "tep,ma_don_vi,ngay_nhan
goi.zip,X005,05/06/2022
",
    );
    let v = aggregate(&wrk, "nop", &["--received", "so-den.csv"]);
    assert_eq!(unit(&v, "X005")["status"], "invalid");
    assert_eq!(unit(&v, "X005")["files"][0], "goi.zip");
    let rows = status_sheet(&wrk);
    let row = rows
        .iter()
        .find(|r| r.get(1).is_some_and(|c| c == "X005"))
        .unwrap();
    assert!(
        row[8].contains("trong tệp không có báo cáo dùng được của đơn vị này"),
        "{row:?}"
    );
    // The receipt names X005 alone: S02, in the same zip, keeps its form's date.
    assert_eq!(unit(&v, "S02")["received_from"], "form");
}

#[test]
fn a_saved_mail_gives_its_unit_dated_by_the_mail() {
    let wrk = Workdir::new();
    wrk.create(
        "nop/Fwd báo cáo.eml",
        mail_with(
            "Thu, 9 Jun 2022 21:15:00 +0700",
            &[("Báo cáo QCDC phường Thống Nhất.xlsx", &sample_file(X002))],
        ),
    );
    let v = aggregate(&wrk, "nop", &[]);
    let u = unit(&v, "X002");
    assert_eq!(u["status"], "on_time", "{u}");
    // The mail's day (not the form's own 08/06, nor the file's time).
    assert_eq!(u["received"], "2022-06-09", "{u}");
    assert_eq!(u["received_from"], "mail", "{u}");
    assert_eq!(
        u["files"][0],
        "Fwd báo cáo.eml/Báo cáo QCDC phường Thống Nhất.xlsx"
    );
    assert_eq!(v["totals"]["TT02"], 2134);
    let rows = status_sheet(&wrk);
    let row = rows
        .iter()
        .find(|r| r.get(1).is_some_and(|c| c == "X002"))
        .unwrap();
    assert_eq!(row[6], "Ngày gửi thư", "{row:?}");
    assert!(
        row[8].contains("Văn thư Phường Thống Nhất <vanthu@phuongthongnhat.gov.vn>"),
        "{row:?}"
    );
    // A receipt still ranks first.
    wrk.create("so-den.csv", "tep,ma_don_vi,ngay_nhan\n,X002,12/06/2022\n");
    let v = aggregate(&wrk, "nop", &["--received", "so-den.csv"]);
    assert_eq!(unit(&v, "X002")["received_from"], "receipts");
    assert_eq!(unit(&v, "X002")["status"], "late");
}

#[test]
fn a_mail_saved_inside_a_zip_dates_its_attachment_and_the_zip_receipt_ranks_first() {
    let wrk = Workdir::new();
    let mail = mail_with(
        "Wed, 15 Jun 2022 07:30:00 +0700",
        &[("X002.xlsx", &sample_file(X002))],
    );
    wrk.create(
        "nop/tai-ve.zip",
        zip_of(&[("thu/gui lai.eml", &mail), ("S02.xlsx", &sample_file(S02))]),
    );
    let v = aggregate(&wrk, "nop", &[]);
    let u = unit(&v, "X002");
    assert_eq!(u["received_from"], "mail", "{u}");
    assert_eq!(u["status"], "late");
    assert_eq!(u["days_late"], 5);
    assert_eq!(u["files"][0], "tai-ve.zip/thu/gui lai.eml/X002.xlsx");
    // S02 is beside the mail, not in it: dated by its own form.
    assert_eq!(unit(&v, "S02")["received_from"], "form");
    wrk.create(
        "so-den.csv",
        "tep,ma_don_vi,ngay_nhan
tai-ve.zip,,09/06/2022
",
    );
    let v = aggregate(&wrk, "nop", &["--received", "so-den.csv"]);
    assert_eq!(unit(&v, "X002")["status"], "on_time");
    assert_eq!(unit(&v, "X002")["received_from"], "receipts");
}

#[test]
fn a_mail_with_only_a_photo_says_so() {
    let wrk = Workdir::new();
    let photo = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01";
    wrk.create(
        "nop/thu.eml",
        mail_with("Thu, 9 Jun 2022 08:00:00 +0700", &[("ảnh biểu.jpg", photo)]),
    );
    let v = wrk.json(&["validate", "nop", "--json"], 0);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{v}");
    let mail = &files[0];
    assert_eq!(mail["path"], "thu.eml");
    let message = mail["findings"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("thư chỉ có ảnh chụp: "), "{message}");
    assert!(message.contains("ảnh biểu.jpg"), "{message}");
    assert_eq!(files[1]["path"], "thu.eml/ảnh biểu.jpg");
    assert_eq!(files[1]["status"], "skipped");
    assert!(files[1]["reason"].as_str().unwrap().starts_with("ảnh chụp"));
}

#[test]
fn a_word_report_gives_its_units_figures_exactly() {
    let wrk = Workdir::new();
    let header = format!(
        "<w:tr>{}{}{}{}{}</w:tr>",
        tc("STT", ""),
        tc("Chỉ tiêu", ""),
        tc("Mã", ""),
        tc("Đơn vị tính", ""),
        tc("Số liệu", "")
    );
    let row = |stt: &str, code: &str, value: &str| {
        format!(
            "<w:tr>{}{}{}{}{}</w:tr>",
            tc(stt, ""),
            tc("chỉ tiêu", ""),
            tc(code, ""),
            tc("cái", ""),
            tc(value, "")
        )
    };
    // A heading row spanning the table, and a unit column merged down two rows.
    let heading = format!(
        "<w:tr>{}</w:tr>",
        tc("I. Tuyên truyền", "<w:gridSpan w:val=\"5\"/>")
    );
    let merged = |code: &str, value: &str, merge: &str| {
        format!(
            "<w:tr>{}{}{}{}{}</w:tr>",
            tc("", ""),
            tc("chỉ tiêu", ""),
            tc(code, ""),
            tc("văn bản", merge),
            tc(value, "")
        )
    };
    // STT and Chỉ tiêu typed in one cell spanning both columns.
    let spanned = |code: &str, value: &str| {
        format!(
            "<w:tr>{}{}{}{}</w:tr>",
            tc("3. chỉ tiêu", "<w:gridSpan w:val=\"2\"/>"),
            tc(code, ""),
            tc("cuộc", ""),
            tc(value, "")
        )
    };
    let body = [
        p("ỦY BAN NHÂN DÂN PHƯỜNG THỐNG NHẤT"),
        "<w:p><w:r><w:t>Mã đơn vị:</w:t></w:r><w:r><w:tab/><w:t>X002</w:t></w:r></w:p>".to_string(),
        p("Tên đơn vị: Phường Thống Nhất"),
        "<w:p><w:r><w:t>Kỳ báo cáo: 6 tháng</w:t></w:r><w:r><w:br/><w:t>Năm báo cáo: 2022</w:t></w:r></w:p>".to_string(),
        p("Ngày báo cáo: 03/06/2022"),
        format!(
            "<w:tbl>{header}{heading}{}{}{}{}{}{}{}</w:tbl>",
            merged("VB01", "12", "<w:vMerge w:val=\"restart\"/>"),
            merged("TT01", "1.234", "<w:vMerge/>"),
            spanned("TT02", "56"),
            row("4", "HN01", "12"),
            row("4b", "HN02", "9"),
            row("5", "CK01", "7").replace("<w:tcPr></w:tcPr><w:p><w:r><w:t xml:space=\"preserve\">7", "<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t xml:space=\"preserve\">7"),
            row("6", "DT01", "7").replace("<w:tcPr></w:tcPr><w:p><w:r><w:t xml:space=\"preserve\">7", "<w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t xml:space=\"preserve\">7"),
        ),
    ]
    .concat();
    wrk.create("nop/Báo cáo X002.docx", docx_with(&body));
    let v = wrk.json(&["validate", "nop", "--json"], 0);
    let file = &v["files"][0];
    let sub = &file["submissions"][0];
    assert_eq!(sub["unit"], "X002", "{file}");
    assert_eq!(sub["period"], "2022-H1");
    assert_eq!(sub["report_date"], "2022-06-03");
    assert_eq!(
        sub["values"],
        serde_json::json!({"VB01": 12, "TT01": 1234, "TT02": 56, "HN01": 12, "HN02": 9, "CK01": 7})
    );
    let v = aggregate(&wrk, "nop", &[]);
    assert_eq!(unit(&v, "X002")["status"], "on_time");
    assert_eq!(v["totals"]["TT01"], 1234);
}

#[test]
fn a_word_cover_letter_is_a_warning_not_an_error() {
    let wrk = Workdir::new();
    let letter = [
        p("ỦY BAN NHÂN DÂN PHƯỜNG THỐNG NHẤT"),
        p("V/v gửi báo cáo thực hiện dân chủ ở cơ sở 6 tháng đầu năm 2022"),
        p("Kính gửi: Sở Nội vụ"),
    ]
    .concat();
    wrk.create("nop/cong-van.docx", docx_with(&letter));
    let v = wrk.json(&["validate", "nop", "--json"], 0);
    let finding = &v["files"][0]["findings"][0];
    assert_eq!(finding["severity"], "warning", "{v}");
    assert_eq!(finding["kind"], "no_form");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("công văn kèm theo")
    );
}

/// A Word 97–2003 document, as an OLE compound file with its stream.
fn word_97() -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    file.create_stream("WordDocument")
        .unwrap()
        .write_all(&[0xec, 0xa5, 0xc1, 0x00])
        .unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

#[test]
fn doc_and_pdf_are_named_and_a_receipt_naming_one_makes_the_unit_invalid() {
    let wrk = Workdir::new();
    wrk.create("nop/X005 bao cao.doc", word_97());
    wrk.create("nop/X013.pdf", b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj\n");
    // A PDF saved as .xlsx is a PDF all the same.
    wrk.create("nop/X014.xlsx", b"%PDF-1.5\n1 0 obj\n");
    wrk.create(
        "so-den.csv",
        "tep,ma_don_vi,ngay_nhan\nX005 bao cao.doc,X005,02/06/2022\nX013.pdf,X013,03/06/2022\nX014.xlsx,X014,04/06/2022\n",
    );
    let v = aggregate(&wrk, "nop", &["--received", "so-den.csv"]);
    for (code, words) in [
        ("X005", "tệp Word 97–2003 (.doc)"),
        ("X013", "tệp PDF"),
        ("X014", "tệp PDF"),
    ] {
        let u = unit(&v, code);
        assert_eq!(u["status"], "invalid", "{u}");
        let row = status_sheet(&wrk)
            .into_iter()
            .find(|r| r.get(1).is_some_and(|c| c == code))
            .unwrap();
        assert_eq!(row[4], "Không hợp lệ");
        assert!(row[8].contains(words), "{code}: {row:?}");
        let findings = sheet(&wrk, "Lỗi và cảnh báo");
        assert!(
            findings
                .iter()
                .flatten()
                .any(|c| c.contains(&format!("đơn vị {code} không hợp lệ")) && c.contains(words)),
            "{code}: {findings:?}"
        );
    }
    let out = wrk.run(&["validate", "nop"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("X005 bao cao.doc: cảnh báo: tệp Word 97–2003 (.doc): không đọc được số liệu; hãy đề nghị đơn vị gửi bản .docx hoặc .xlsx"),
        "{text}"
    );
    assert!(text.contains("X013.pdf: cảnh báo: tệp PDF"), "{text}");
    assert!(
        text.contains("X014.xlsx: lỗi: không đọc được tệp: tệp không phải bảng tính (tệp PDF"),
        "{text}"
    );
}
