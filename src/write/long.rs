//! The long ("tidy") CSV: one row per registered unit per reported `count`
//! indicator of the submission used, for a data warehouse or DuckDB.

use crate::collect::Consolidation;
use crate::schema::Schema;

/// The header, exactly as the contract fixes it.
pub const HEADER: [&str; 6] = [
    "ma_don_vi",
    "ten_don_vi",
    "loai_hinh",
    "ky",
    "ma_chi_tieu",
    "gia_tri",
];

/// The CSV bytes, sorted by unit code then indicator code.
pub fn long_csv(c: &Consolidation, schema: &Schema) -> Vec<u8> {
    let mut rows: Vec<[String; 6]> = Vec::new();
    let codes = schema.count_codes();
    for u in &c.units {
        let Some(i) = u.entry else { continue };
        let counts = c.entries[i].submission.counts(&codes);
        for (code, n) in codes.iter().zip(counts) {
            if let Some(n) = n {
                rows.push([
                    u.unit.code.clone(),
                    u.unit.name.clone(),
                    u.unit.unit_type.clone(),
                    c.period.to_string(),
                    code.to_string(),
                    n.to_string(),
                ]);
            }
        }
    }
    rows.sort_by(|a, b| (&a[0], &a[4]).cmp(&(&b[0], &b[4])));
    let mut w = csv::Writer::from_writer(Vec::new());
    let written: Result<(), csv::Error> = std::iter::once(HEADER.map(String::from))
        .chain(rows)
        .try_for_each(|r| w.write_record(&r));
    written.expect("writing CSV to memory cannot fail");
    w.into_inner().expect("flushing CSV to memory cannot fail")
}
