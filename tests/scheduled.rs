//! Safe to leave running (issue 13): what a scheduled `status` or `aggregate`
//! says and writes when the folder is empty or wrong, when outputs collide,
//! when qcdc's own outputs lie among the inputs, and when receipts are dated
//! after the day judged.

mod common;

use common::{Workdir, table_csv, words};
use serde_json::Value;

const REGISTRY: &str = "ma_don_vi,ten_don_vi,loai_hinh,email\nA1,Đơn vị A,SO_NGANH,a@x.vn\nB1,Đơn vị B,SO_NGANH,b@x.vn\nC1,Xã C,UBND_XA,\n";
const CODES: &[&str] = &["VB01", "TT01", "TT02"];

/// A1 on time for 2024-H1; B1 sent only last year's report.
fn folder(wrk: &Workdir) {
    wrk.create("units.csv", REGISTRY);
    wrk.create(
        "nop/a.csv",
        table_csv(CODES, &[("A1", "6 tháng", "03/06/2024", &["1", "2", "3"])]),
    );
    wrk.create(
        "nop/cu/b.csv",
        table_csv(CODES, &[("B1", "6 tháng", "03/06/2023", &["1", "2", "3"])]),
    );
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn files_in(wrk: &Workdir, dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(wrk.path(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_empty_folder_is_nothing_to_judge_and_chases_nobody() {
    let wrk = Workdir::new();
    wrk.create("units.csv", REGISTRY);
    std::fs::create_dir_all(wrk.path("nop")).unwrap();
    let out = wrk.run(&words(
        "status nop --period 2024-H1 --units units.csv --as-of 2024-06-20 --reminders nhac.csv",
    ));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("không có tệp nào trong thư mục đầu vào"),
        "{}",
        stderr(&out)
    );
    assert!(!wrk.path("nhac.csv").exists(), "no reminders list");
    let out = wrk.run(&words(
        "aggregate nop --period 2024-H1 --units units.csv -o th.xlsx",
    ));
    assert_eq!(out.status.code(), Some(1));
    assert!(!wrk.path("th.xlsx").exists());
    assert_eq!(
        files_in(&wrk, ""),
        ["nop", "units.csv"],
        "no temporary file either"
    );
}

#[test]
fn last_years_folder_is_nothing_to_judge() {
    let wrk = Workdir::new();
    folder(&wrk);
    std::fs::remove_file(wrk.path("nop/a.csv")).unwrap();
    let v = wrk.json(
        &words("status nop --period 2024-H1 --units units.csv --as-of 2024-06-20 --json --reminders nhac.csv"),
        1,
    );
    let why = v["nothing_to_judge"].as_str().unwrap();
    assert!(
        why.contains("không có báo cáo nào của kỳ 2024-H1")
            && why.contains("1 báo cáo của kỳ khác"),
        "{why}"
    );
    assert!(!wrk.path("nhac.csv").exists());
}

#[test]
fn a_registry_where_nobody_owes_the_period_is_nothing_to_judge() {
    let wrk = Workdir::new();
    folder(&wrk);
    wrk.create(
        "nam.csv",
        "ma_don_vi,ten_don_vi,loai_hinh,bao_cao\nA1,A,SO_NGANH,năm\nB1,B,SO_NGANH,năm\n",
    );
    let out = wrk.run(&words(
        "status nop --period 2024-H1 --units nam.csv --as-of 2024-06-20",
    ));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("không có đơn vị nào phải nộp báo cáo kỳ 2024-H1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn status_says_why_each_unit_is_owed() {
    let wrk = Workdir::new();
    folder(&wrk);
    wrk.create("registry4.csv", format!("{REGISTRY}D1,Đơn vị D,DVSN,\n"));
    wrk.create("nop/d.xlsx", "không phải bảng tính");
    wrk.create(
        "so-den.csv",
        "tep,ma_don_vi,ngay_nhan\nd.xlsx,D1,05/06/2024\nc-mat.xlsx,C1,06/06/2024\n",
    );
    let line = "status nop --period 2024-H1 --units registry4.csv --received so-den.csv --as-of 2024-06-20 --reminders nhac.csv";
    let out = wrk.run(&words(line));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("tệp cu/b.csv là báo cáo kỳ 2023-H1, không phải kỳ 2024-H1"),
        "{text}"
    );
    let csv = std::fs::read(wrk.path("nhac.csv")).unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for Excel"
    );
    let csv = String::from_utf8(csv[3..].to_vec()).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "ma_don_vi,ten_don_vi,email,trang_thai,so_ngay_tre,ly_do"
    );
    assert!(
        rows[1].starts_with("B1,Đơn vị B,b@x.vn,Chưa nộp,10,\"tệp cu/b.csv là báo cáo kỳ 2023-H1"),
        "{csv}"
    );
    assert!(
        rows[2].contains("sổ nhận ghi tệp 'c-mat.xlsx' nhưng không có tệp này"),
        "{csv}"
    );
    assert!(
        rows[3].starts_with("D1,Đơn vị D,,Không hợp lệ,10,tệp d.xlsx không đọc được"),
        "{csv}"
    );
    // A form of the unit that cannot be used (no period written) is its reason too.
    wrk.create("nop/e.csv", "ma_don_vi;VB01;TT01;TT02\nE1;1;2;3\n");
    wrk.create(
        "registry5.csv",
        format!("{REGISTRY}D1,Đơn vị D,DVSN,\nE1,Đơn vị E,DVSN,\n"),
    );
    let line = line.replace("registry4.csv", "registry5.csv");
    let v = wrk.json(&words(&format!("{line} --json")), 0);
    let e1 = reason_of(&v, "E1");
    assert!(
        e1.as_str().unwrap().starts_with("tệp e.csv có lỗi: "),
        "{e1}"
    );
    let reason = |code: &str| {
        v["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["ma_don_vi"] == code)
            .unwrap()["reason"]
            .clone()
    };
    assert_eq!(reason("A1"), Value::Null);
    assert!(reason("C1").as_str().unwrap().contains("c-mat.xlsx"));
}

fn reason_of(v: &Value, code: &str) -> Value {
    let units = v["units"].as_array().unwrap();
    units.iter().find(|u| u["ma_don_vi"] == code).unwrap()["reason"].clone()
}

#[test]
fn json_lists_every_input_and_every_finding() {
    let wrk = Workdir::new();
    folder(&wrk);
    wrk.create(
        "nop/x.csv",
        table_csv(CODES, &[("Z9", "6 tháng", "03/06/2024", &["1", "2", "3"])]),
    );
    wrk.create("nop/ghi-chu.txt", "đọc tôi");
    wrk.create("nop/.~lock.a.xlsx#", "khóa");
    let v = wrk.json(
        &words(
            "aggregate nop --period 2024-H1 --units units.csv --as-of 2024-06-20 --json -o th.xlsx",
        ),
        0,
    );
    let inputs = v["inputs"].as_array().unwrap();
    let entry = |path: &str| {
        inputs
            .iter()
            .find(|i| i["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {inputs:?}"))
    };
    assert_eq!(inputs.len(), 5);
    assert_eq!(entry("a.csv")["status"], "ok");
    assert_eq!(entry("cu/b.csv")["submissions"][0]["role"], "wrong_period");
    assert_eq!(entry("x.csv")["submissions"][0]["role"], "unknown_unit");
    assert_eq!(entry("ghi-chu.txt")["status"], "skipped");
    assert!(
        entry(".~lock.a.xlsx#")["reason"]
            .as_str()
            .unwrap()
            .contains("LibreOffice")
    );
    let findings = v["findings"].as_array().unwrap();
    let unknown = findings
        .iter()
        .find(|f| f["unit"] == "Z9")
        .expect("a finding for Z9");
    assert_eq!(unknown["file"], "x.csv");
    for key in ["severity", "sheet", "cell", "indicator", "value", "message"] {
        assert!(unknown.get(key).is_some(), "{key}");
    }
}

#[test]
fn paths_are_relative_to_their_input_folder() {
    let wrk = Workdir::new();
    folder(&wrk);
    wrk.create(
        "bo-sung/c.csv",
        table_csv(CODES, &[("C1", "6 tháng", "04/06/2024", &["1", "2", "3"])]),
    );
    let abs = wrk.path("nop").display().to_string();
    let v = wrk.json(
        &[
            "status",
            &abs,
            "bo-sung",
            "--period",
            "2024-H1",
            "--units",
            "units.csv",
            "--as-of",
            "2024-06-20",
            "--json",
        ],
        0,
    );
    let paths: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["bo-sung/c.csv", "nop/a.csv", "nop/cu/b.csv"]);
    assert_eq!(v["units"][0]["files"][0], "nop/a.csv");
}

#[test]
fn outputs_that_collide_or_misname_are_refused_before_reading() {
    let wrk = Workdir::new();
    folder(&wrk);
    for (line, says) in [
        (
            "aggregate nop --period 2024-H1 -o th.xlsx --long ./th.xlsx",
            "--long",
        ),
        (
            "aggregate nop --period 2024-H1 -o th.csv",
            "phải có đuôi .xlsx",
        ),
        (
            "aggregate nop --period 2024-H1 --long so-lieu.xlsx",
            "phải có đuôi .csv",
        ),
        (
            "status nop --period 2024-H1 --units units.csv --reminders nhac.txt",
            ".csv hoặc .xlsx",
        ),
        (
            "aggregate nop --period 2024-H1 -o khong-co/th.xlsx",
            "thư mục khong-co không tồn tại",
        ),
        (
            // Said before the registry (which does not exist either) is read.
            "aggregate nop --period 2024-H1 --units khong-co.csv --long khong-co/so-lieu.csv",
            "thư mục khong-co không tồn tại",
        ),
        (
            "status nop --period 2024-H1 --units units.csv --reminders - --json",
            "stdout",
        ),
    ] {
        let out = wrk.run(&words(line));
        assert_eq!(out.status.code(), Some(2), "{line}");
        let text = stderr(&out);
        assert!(text.contains(says), "{line}: {text}");
        assert_eq!(text.lines().count(), 1, "one line: {text}");
        assert!(
            !text.contains(".qcdc-") && !text.contains("os error"),
            "{text}"
        );
    }
    let same = wrk.run(&words(
        "aggregate nop --period 2024-H1 -o th.xlsx --long th.csv",
    ));
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert_eq!(
        files_in(&wrk, ""),
        ["nop", "th.csv", "th.xlsx", "units.csv"]
    );
}

#[test]
fn reminders_can_go_to_stdout_or_a_workbook() {
    let wrk = Workdir::new();
    folder(&wrk);
    let out = wrk.run(&words(
        "status nop --period 2024-H1 --units units.csv --as-of 2024-06-20 --reminders -",
    ));
    assert_eq!(out.status.code(), Some(0));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("\u{feff}ma_don_vi,"), "{csv}");
    assert_eq!(csv.lines().count(), 3, "B1 and C1: {csv}");
    assert!(!wrk.path("-").exists());
    let out = wrk.run(&words(
        "status nop --period 2024-H1 --units units.csv --as-of 2024-06-20 --reminders nhac.xlsx",
    ));
    assert_eq!(out.status.code(), Some(0));
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(wrk.path("nhac.xlsx")).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.get_value((2, 0)).unwrap().to_string(), "C1");
    assert_eq!(sheet.get_value((0, 5)).unwrap().to_string(), "ly_do");
}

#[test]
fn qcdcs_own_outputs_in_the_folder_are_skipped_and_replaced() {
    let wrk = Workdir::new();
    folder(&wrk);
    let run = |line: &str| wrk.json(&words(line), 0);
    let line = "aggregate . --period 2024-H1 --units units.csv --as-of 2024-06-20 --json --long so-lieu.csv";
    let first = run(line);
    let second = run(line);
    let status_line = "status . --period 2024-H1 --units units.csv --as-of 2024-06-20 --json --reminders nhac.csv";
    run(status_line);
    run(&status_line.replace("nhac.csv", "nhac.xlsx"));
    let third = run(line);
    for v in [&second, &third] {
        assert_eq!(v["errors"], first["errors"]);
        assert_eq!(v["unknown_unit"], first["unknown_unit"]);
    }
    let inputs = third["inputs"].as_array().unwrap();
    for own in [
        "tong-hop-2024-H1.xlsx",
        "so-lieu.csv",
        "nhac.csv",
        "nhac.xlsx",
    ] {
        let i = inputs.iter().find(|i| i["path"] == own).unwrap();
        assert_eq!(i["status"], "skipped", "{own}");
        assert!(
            i["reason"]
                .as_str()
                .unwrap()
                .starts_with("tệp do qcdc tạo ra"),
            "{own}"
        );
    }
    // Elsewhere in the tree, as an output of another name, the same.
    let other = run(
        "aggregate . --period 2024-H1 --units units.csv --as-of 2024-06-20 --json -o nop/cu/ban-sao.xlsx",
    );
    assert_eq!(other["files"]["read"], first["files"]["read"]);
}

#[test]
fn receipts_after_the_day_judged_are_not_received_yet() {
    let wrk = Workdir::new();
    folder(&wrk);
    wrk.create(
        "nop/c.csv",
        table_csv(CODES, &[("C1", "6 tháng", "03/06/2024", &["1", "2", "3"])]),
    );
    wrk.create(
        "so-den.csv",
        "tep,ma_don_vi,ngay_nhan\na.csv,A1,15/06/2024\nc.csv,C1,05/11/2042\n",
    );
    let v = wrk.json(
        &words("status nop --period 2024-H1 --units units.csv --received so-den.csv --as-of 2024-06-12 --json"),
        0,
    );
    let units = v["units"].as_array().unwrap();
    assert_eq!(
        units[0]["status"], "missing",
        "A1 arrived on 15/06, after 12/06"
    );
    assert_eq!(units[2]["status"], "missing");
    assert_eq!(units[2]["days_late"], Value::Null);
    let warnings: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "warning")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("đơn vị A1 nộp ngày 15/06/2024, sau ngày xét 12/06/2024")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("đơn vị C1 nộp ngày 05/11/2042") && w.contains("khó có thật")),
        "{warnings:?}"
    );
    assert!(
        units[0]["reason"]
            .as_str()
            .unwrap()
            .contains("sau ngày xét")
    );
}

#[test]
fn quiet_works_everywhere_and_leaves_one_summary_line() {
    let wrk = Workdir::new();
    folder(&wrk);
    for line in [
        "status nop --period 2024-H1 --units units.csv --as-of 2024-06-20 -q",
        "aggregate nop --period 2024-H1 --units units.csv --as-of 2024-06-20 -q --tinh X",
    ] {
        let out = wrk.run(&words(line));
        assert_eq!(out.status.code(), Some(0), "{line}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        let text = stderr(&out);
        assert_eq!(text.lines().count(), 1, "{line}: {text}");
        assert!(
            text.starts_with("Kỳ 2024-H1 (hạn 10/06/2024): 3 đơn vị phải nộp, 1 đã nộp"),
            "{text}"
        );
    }
    let out = wrk.run(&words("validate nop -q"));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
    let out = wrk.run(&words("template --period 2024-H1 -q"));
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
}

/// `-q` hides the progress bar even on a terminal, for every reading command.
#[cfg(target_os = "linux")]
#[test]
fn quiet_hides_the_progress_bar_on_a_terminal() {
    let wrk = Workdir::new();
    folder(&wrk);
    for line in [
        "status nop --period 2024-H1 --units units.csv --as-of 2024-06-20 -q",
        "aggregate nop --period 2024-H1 --units units.csv --as-of 2024-06-20 --quiet --tinh X",
        "validate nop --period 2024-H1 -q",
    ] {
        let (_, seen) = common::run_on_terminal(&wrk, &words(line));
        assert!(!seen.contains("Đang đọc"), "{line}: {seen}");
    }
    let (_, seen) = common::run_on_terminal(
        &wrk,
        &words("status nop --period 2024-H1 --units units.csv --as-of 2024-06-20"),
    );
    assert!(
        seen.contains("Đang đọc"),
        "without -q the bar shows: {seen}"
    );
}

#[test]
fn help_and_argument_errors_are_in_vietnamese() {
    let wrk = Workdir::new();
    for line in ["--help", "status --help", "help aggregate"] {
        let out = wrk.run(&words(line));
        assert_eq!(out.status.code(), Some(0), "{line}");
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(
            help.contains("Cách dùng:") && help.contains("In hướng dẫn này"),
            "{help}"
        );
        for english in [
            "Usage",
            "Options",
            "Arguments",
            "Commands",
            "Print help",
            "[default",
        ] {
            assert!(!help.contains(english), "{line}: {english} in {help}");
        }
    }
    let help = String::from_utf8(wrk.run(&words("status --help")).stdout).unwrap();
    assert!(
        help.contains("Mã thoát: 0 đã xong") && help.contains("1 không có gì để xét"),
        "{help}"
    );
    for (line, says) in [
        (
            "aggregate nop --perod 2024-H1",
            "không có tùy chọn '--perod' (có phải ý bạn là '--period'?)",
        ),
        ("aggregate nop", "thiếu --period <PERIOD>"),
        (
            "aggregate nop --period 2024-Q3",
            "giá trị '2024-Q3' của --period <PERIOD> không hợp lệ",
        ),
        ("tong-hop nop", "không có lệnh 'tong-hop'"),
    ] {
        let out = wrk.run(&words(line));
        assert_eq!(out.status.code(), Some(2), "{line}");
        let text = stderr(&out);
        assert!(
            text.starts_with("qcdc: lỗi: ") && text.contains(says),
            "{line}: {text}"
        );
        assert!(
            !text.contains("error:") && !text.contains("Usage"),
            "{text}"
        );
    }
}

#[test]
fn toml_errors_are_in_vietnamese_with_line_and_column() {
    let wrk = Workdir::new();
    folder(&wrk);
    wrk.create("qcdc.toml", "# cấu hình\ntinh = 3\n");
    let out = wrk.run(&words("aggregate nop --period 2024-H1 --units units.csv"));
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.contains("qcdc.toml, dòng 2, cột 8: giá trị sai kiểu"),
        "{text}"
    );
    wrk.create("bieu.toml", "name = \"x\"\nversion = [\n");
    let out = wrk.run(&words("validate nop --schema bieu.toml"));
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.contains("bieu.toml, dòng 2") && text.contains("sai cú pháp TOML"),
        "{text}"
    );
}

#[test]
fn qcdc_toml_is_found_beside_the_registry_and_its_absence_is_said() {
    let wrk = Workdir::new();
    folder(&wrk);
    std::fs::create_dir_all(wrk.path("chay")).unwrap();
    let run = |extra: &str| {
        let line =
            format!("aggregate ../nop --period 2024-H1 --units ../units.csv -o th.xlsx{extra}");
        let out = wrk
            .command(&words(&line))
            .current_dir(wrk.path("chay"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stderr(&out)
    };
    let warned = run("");
    assert!(
        warned.contains("không tìm thấy qcdc.toml") && warned.contains(".........."),
        "{warned}"
    );
    wrk.create("qcdc.toml", "tinh = \"Quảng Trị\"\n");
    assert!(!run("").contains("Cảnh báo"));
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(wrk.path("chay/th.xlsx")).unwrap();
    let summary = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(
        summary.get_value((0, 0)).unwrap().to_string(),
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ"
    );
    wrk.create("khac.toml", "tinh = \"Hà Tĩnh\"\n");
    run(" --config ../khac.toml");
    let mut wb = open_workbook_auto(wrk.path("chay/th.xlsx")).unwrap();
    let summary = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(
        summary.get_value((0, 0)).unwrap().to_string(),
        "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    );
}

#[test]
fn registries_excel_mangled_are_read_and_said() {
    let wrk = Workdir::new();
    wrk.create(
        "nop/a.csv",
        table_csv(
            CODES,
            &[("00004", "6 tháng", "03/06/2024", &["1", "2", "3"])],
        ),
    );
    // Saved by Excel: zeros stripped, the type as the workbook prints it, and
    // as UTF-16 without a byte-order mark.
    let text = "ma_don_vi,ten_don_vi,loai_hinh\n4,Xã Bốn,UBND cấp xã\n00012,Sở Mười Hai,\"Sở, ban, ngành\"\n";
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    wrk.create("units.csv", utf16);
    let v = wrk.json(
        &words("status nop --period 2024-H1 --units units.csv --as-of 2024-06-20 --json"),
        0,
    );
    assert_eq!(v["units"][0]["ten_don_vi"], "Xã Bốn");
    assert_eq!(v["units"][0]["status"], "on_time", "00004 matched to 4");
    assert_eq!(v["unknown_unit"], 0);
    let messages: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("mã đơn vị '00004' trên biểu chỉ khớp với mã '4'")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("'4' bên cạnh '00012'")),
        "{messages:?}"
    );
}
