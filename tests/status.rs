//! `qcdc status`: the submission picture at a date, and the reminders CSV.

mod common;

use common::{Workdir, table_csv, words};

const REGISTRY: &str = "ma_don_vi,ten_don_vi,loai_hinh,email\nA1,Đơn vị A,SO_NGANH,a@x.vn\nB1,Đơn vị B,SO_NGANH,b@x.vn\nC1,\"Xã C, huyện D\",UBND_XA,\n";

fn setup() -> Workdir {
    let wrk = Workdir::new();
    wrk.create("units.csv", REGISTRY);
    wrk.create(
        "nop/a.csv",
        table_csv(
            &["VB01", "TT01", "TT02"],
            &[("A1", "6 tháng", "31/05/2024", &["1", "2", "3"])],
        ),
    );
    wrk
}

fn status_of(wrk: &Workdir, as_of: &str) -> Vec<String> {
    let line = format!("status nop --period 2024-H1 --units units.csv --as-of {as_of} --json");
    let v = wrk.json(&words(&line), 0);
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn before_on_and_after_the_due_date() {
    let wrk = setup();
    assert_eq!(
        status_of(&wrk, "2024-06-01"),
        ["on_time", "not_yet_due", "not_yet_due"]
    );
    assert_eq!(
        status_of(&wrk, "2024-06-10"),
        ["on_time", "not_yet_due", "not_yet_due"]
    );
    assert_eq!(
        status_of(&wrk, "2024-06-11"),
        ["on_time", "missing", "missing"]
    );
}

#[test]
fn human_summary_and_reminders() {
    let wrk = setup();
    let out = wrk.run(&words(
        "status nop --period 2024-H1 --units units.csv --as-of 2024-06-13 --reminders nhac.csv",
    ));
    assert_eq!(out.status.code(), Some(0));
    // The summary goes to stderr, like aggregate's.
    assert!(out.stdout.is_empty());
    let stdout = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.starts_with("Kỳ 2024-H1 — hạn nộp 10/06/2024 (đã quá hạn 3 ngày), xét đến ngày 13/06/2024\nĐã nộp 1/3 đơn vị: 1 đúng hạn, 0 trễ hạn; chưa nộp 2;"), "{stdout}");
    assert!(stdout.contains("Các đơn vị còn phải nộp (2):"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(wrk.path("nhac.csv")).unwrap(),
        "\u{feff}ma_don_vi,ten_don_vi,email,trang_thai,so_ngay_tre,ly_do\nB1,Đơn vị B,b@x.vn,Chưa nộp,3,chưa nhận được báo cáo nào\nC1,\"Xã C, huyện D\",,Chưa nộp,3,chưa nhận được báo cáo nào\n"
    );
    let before = wrk.run(&words("status nop --period 2024-H1 --units units.csv --as-of 2024-06-07 --reminders nhac.csv --quiet"));
    assert_eq!(before.status.code(), Some(0));
    assert!(before.stdout.is_empty(), "--quiet prints nothing on stdout");
    assert_eq!(
        String::from_utf8(before.stderr).unwrap().lines().count(),
        1,
        "and one summary line on stderr"
    );
    assert_eq!(
        std::fs::read_to_string(wrk.path("nhac.csv")).unwrap(),
        "\u{feff}ma_don_vi,ten_don_vi,email,trang_thai,so_ngay_tre,ly_do\nB1,Đơn vị B,b@x.vn,Chưa đến hạn,,chưa nhận được báo cáo; hạn nộp 10/06/2024\nC1,\"Xã C, huyện D\",,Chưa đến hạn,,chưa nhận được báo cáo; hạn nộp 10/06/2024\n"
    );
}

#[test]
fn status_needs_a_registry() {
    let wrk = setup();
    let out = wrk.run(&words("status nop --period 2024-H1"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--units"));
}
