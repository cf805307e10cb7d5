//! Generated bench data: a registry of N units, a filled copy of the province's
//! form (`qcdc::template`) from most of them, and the receipts log, with the
//! cases that could hide a quadratic step: resubmissions (one unit in 20 sends a
//! corrected file later), receipts to match (one per file), units that never
//! sent (1 in 25) and receipts whose file is not in the folder (1 in 50).

use qcdc::registry::Unit;
use qcdc::schema::{IndicatorKind, Schema};
use qcdc::template::{self, Prefill};
use std::collections::BTreeMap;
use std::path::Path;

/// Writes `don-vi.csv` and `so-den.csv` in `dir` and the forms in `nop`.
pub fn write(dir: &Path, nop: &Path, n: usize) {
    let schema = Schema::builtin();
    let types = [
        "SO_NGANH",
        "UBND_XA",
        "UBND_XA",
        "UBND_XA",
        "DVSN",
        "DOANH_NGHIEP",
    ];
    let mut registry = String::from("ma_don_vi,ten_don_vi,loai_hinh\n");
    let mut receipts = String::from("tep,ma_don_vi,ngay_nhan\n");
    for i in 0..n {
        let (code, name, unit_type) = (
            format!("U{i:05}"),
            format!("Xã Số {i}"),
            types[i % types.len()],
        );
        registry.push_str(&format!("{code},{name},{unit_type}\n"));
        let unit = Unit::unregistered(&code, &name);
        let values: BTreeMap<String, String> = schema
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, ind)| ind.applies_to(unit_type))
            .map(|(j, ind)| {
                let typed = match ind.kind {
                    // Rules hold: each value is at most the one before it.
                    IndicatorKind::Count => (1000 - j * 30 + i % 7).to_string(),
                    IndicatorKind::Text => {
                        "Đã tổ chức đối thoại định kỳ; công khai đầy đủ thủ tục hành chính."
                            .to_string()
                    }
                };
                (ind.code.clone(), typed)
            })
            .collect();
        let day = 1 + (i % 20) as u32;
        let file = template::file_name(&unit);
        if i % 25 == 7 {
            continue;
        }
        receipts.push_str(&format!("{file},{code},{day:02}/06/2024\n"));
        if i % 50 == 13 {
            continue;
        }
        let prefill = Prefill {
            period: "2024-H1".parse().ok(),
            unit: Some(&unit),
            values,
            report_date: chrono::NaiveDate::from_ymd_opt(2024, 6, day),
        };
        let bytes = template::form(&schema, &prefill).expect("form is written");
        std::fs::write(nop.join(&file), &bytes).expect("form saved");
        if i % 20 == 3 {
            let again = file.replace(".xlsx", "_bo_sung.xlsx");
            receipts.push_str(&format!("{again},{code},{:02}/06/2024\n", day + 5));
            std::fs::write(nop.join(again), bytes).expect("form saved");
        }
    }
    std::fs::write(dir.join("don-vi.csv"), registry).expect("registry saved");
    std::fs::write(dir.join("so-den.csv"), receipts).expect("receipts saved");
}
