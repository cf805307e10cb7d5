//! Generated bench data: a registry of N units and one filled copy of the
//! province's form (`qcdc::template`) per unit, as units send them back.

use qcdc::registry::Unit;
use qcdc::schema::{IndicatorKind, Schema};
use qcdc::template::{self, Prefill};
use std::collections::BTreeMap;
use std::path::Path;

/// Writes `don-vi.csv` in `dir` and N filled forms in `nop`.
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
        let prefill = Prefill {
            period: "2024-H1".parse().ok(),
            unit: Some(&unit),
            values,
            report_date: chrono::NaiveDate::from_ymd_opt(2024, 6, 1 + (i % 20) as u32),
        };
        let bytes = template::form(&schema, &prefill).expect("form is written");
        std::fs::write(nop.join(template::file_name(&unit)), bytes).expect("form saved");
    }
    std::fs::write(dir.join("don-vi.csv"), registry).expect("registry saved");
}
