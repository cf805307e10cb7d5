//! `qcdc template`: forms made from the schema, one per unit, that `aggregate`
//! reads back with no findings once filled.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Workdir, sample};
use qcdc::registry::Registry;
use qcdc::schema::{IndicatorKind, Schema};
use qcdc::template::{self, FORM_SHEET, GUIDE_SHEET, Prefill};
use std::collections::BTreeMap;
use std::io::Read;

#[test]
fn one_form_per_unit_with_code_name_and_period() {
    let wrk = Workdir::new();
    let units = sample().join("units.csv");
    let out = wrk.run(&[
        "template",
        "--period",
        "2022-H1",
        "--units",
        units.to_str().unwrap(),
        "--out-dir",
        "bieu-mau",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(wrk.path("bieu-mau"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 47);
    assert!(
        names.contains(&"S09_So_Van_hoa_The_thao_va_Du_lich.xlsx".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"X011_Xa_Da_Bac.xlsx".to_string()));

    let path = wrk.path("bieu-mau/X011_Xa_Da_Bac.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), [FORM_SHEET, GUIDE_SHEET]);
    let form = wb.worksheet_range(FORM_SHEET).unwrap();
    let row_of = |label: &str| {
        form.rows()
            .position(|r| r.iter().any(|c| *c == label))
            .unwrap()
    };
    let value = |label: &str| {
        form.rows()
            .nth(row_of(label))
            .unwrap()
            .iter()
            .filter(|c| **c != Data::Empty)
            .nth(1)
            .map(|c| c.to_string())
    };
    assert_eq!(value("Mã đơn vị:"), Some("X011".into()));
    assert_eq!(value("Tên đơn vị:"), Some("Xã Đà Bắc".into()));
    assert_eq!(value("Kỳ báo cáo:"), Some("6 tháng".into()));
    assert_eq!(value("Năm báo cáo:"), Some("2022".into()));
    let guide = wb.worksheet_range(GUIDE_SHEET).unwrap();
    let guide_text: String = guide
        .rows()
        .map(|r| r[0].to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        guide_text.contains("Gõ dấu - nếu")
            && guide_text.contains("Gõ ... nếu")
            && guide_text.contains("10/06/2022"),
        "{guide_text}"
    );

    // Protected, with validated, unlocked input cells.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("<sheetProtection"), "sheet is protected");
    assert_eq!(
        xml.matches("<dataValidation ").count(),
        26,
        "one per count indicator"
    );
    assert!(xml.contains("Số nguyên không âm"));
}

#[test]
fn a_blank_form_without_units() {
    let wrk = Workdir::new();
    let out = wrk.run(&["template", "--period", "năm 2024"]);
    assert_eq!(out.status.code(), Some(0));
    let mut wb: Xlsx<_> = open_workbook(wrk.path("bieu-mau-2024-Y.xlsx")).unwrap();
    let form = wb.worksheet_range(FORM_SHEET).unwrap();
    assert!(form.rows().any(|r| {
        r.iter()
            .any(|c| *c == "BIỂU SỐ LIỆU KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ NĂM 2024")
    }));
    let schema = Schema::builtin();
    let codes: Vec<String> = form
        .rows()
        .filter_map(|r| r.get(3).map(|c| c.to_string()))
        .filter(|c| schema.indicator(c).is_some())
        .collect();
    assert_eq!(codes.len(), 29, "{codes:?}");
}

#[test]
fn filled_templates_aggregate_with_no_findings() {
    let wrk = Workdir::new();
    let schema = Schema::builtin();
    let units_path = sample().join("units.csv");
    let registry = Registry::load(&units_path, &schema).unwrap();
    let period = "2022-H1".parse().unwrap();
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    std::fs::create_dir_all(wrk.path("nop")).unwrap();
    for (u, unit) in registry.units().iter().enumerate() {
        let mut values = BTreeMap::new();
        for (i, ind) in schema.indicators.iter().enumerate() {
            if !ind.applies_to(&unit.unit_type) {
                continue;
            }
            let typed = match ind.kind {
                IndicatorKind::Text => "Đã tổ chức đối thoại định kỳ.".to_string(),
                // Rules compare an indicator with one before it: decreasing values hold.
                IndicatorKind::Count => match (u, i) {
                    (0, 0) => "1.234".to_string(),
                    (1, 0) => "-".to_string(),
                    _ => (1000 - 10 * i + u % 7).to_string(),
                },
            };
            if let IndicatorKind::Count = ind.kind {
                let n = match typed.as_str() {
                    "1.234" => 1234,
                    "-" => 0,
                    t => t.parse().unwrap(),
                };
                *want.entry(ind.code.clone()).or_default() += n;
            }
            values.insert(ind.code.clone(), typed);
        }
        let prefill = Prefill {
            period: Some(period),
            unit: Some(unit),
            values,
            report_date: chrono::NaiveDate::from_ymd_opt(2022, 6, 1),
        };
        std::fs::write(
            wrk.path("nop").join(template::file_name(unit)),
            template::form(&schema, &prefill).unwrap(),
        )
        .unwrap();
    }
    let v = wrk.json(
        &[
            "aggregate",
            "nop",
            "--period",
            "2022-H1",
            "--units",
            units_path.to_str().unwrap(),
            "--as-of",
            "2022-07-01",
            "--json",
            "-o",
            "r.xlsx",
        ],
        0,
    );
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(
        (v["on_time"].as_u64(), v["expected"].as_u64()),
        (Some(47), Some(47))
    );
    let got: BTreeMap<String, u64> = v["totals"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, x)| (k.clone(), x.as_u64().unwrap()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(v["units"][0]["received_from"], "form");
}

/// Templates sent out again into a folder where a unit's filled form already
/// stands under the same name: the run stops and the form is untouched; blank
/// templates from an earlier run are simply made again.
#[test]
fn a_filled_form_is_never_replaced_by_a_blank_template() {
    let wrk = Workdir::new();
    let schema = Schema::builtin();
    let units_path = sample().join("units.csv");
    let units = units_path.to_str().unwrap();
    let args = [
        "template",
        "--period",
        "2022-H1",
        "--units",
        units,
        "--out-dir",
        "nop",
    ];
    assert_eq!(wrk.run(&args).status.code(), Some(0));
    assert_eq!(
        wrk.run(&args).status.code(),
        Some(0),
        "blank forms are made again"
    );

    let registry = Registry::load(&units_path, &schema).unwrap();
    let unit = &registry.units()[3];
    let prefill = Prefill {
        period: "2022-H1".parse().ok(),
        unit: Some(unit),
        values: BTreeMap::from([("HS01".to_string(), "12".to_string())]),
        report_date: None,
    };
    let sent = wrk.path("nop").join(template::file_name(unit));
    let filled = template::form(&schema, &prefill).unwrap();
    std::fs::write(&sent, &filled).unwrap();

    // And a file that cannot be read as a form (here an HTML page saved under
    // a unit's name) may be a report too.
    let other = &registry.units()[5];
    let html = wrk.create(
        &format!("nop/{}", template::file_name(other)),
        "<html><body><table><tr><td>1</td></tr></table></body></html>",
    );
    let out = wrk.run(&args);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 tệp đã có sẵn và không phải biểu mẫu trống"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&sent).unwrap(), filled);
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .starts_with("<html>")
    );

    // A blank form never replaces the schema it is made from either.
    wrk.create("bieu.toml", qcdc::schema::DEFAULT_SCHEMA);
    let out = wrk.run(&["template", "--schema", "bieu.toml", "-o", "./bieu.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("không ghi đè lên tệp đầu vào"));
    assert_eq!(
        std::fs::read_to_string(wrk.path("bieu.toml")).unwrap(),
        qcdc::schema::DEFAULT_SCHEMA
    );
}
