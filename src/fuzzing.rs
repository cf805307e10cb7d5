//! Entry points for the fuzz targets in `fuzz/` and their regression test: the
//! same code paths as a real run, from bytes.

use crate::read::{self, Limits};
use crate::schema::Schema;
use std::path::Path;
use std::sync::OnceLock;

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(Schema::builtin)
}

/// Makes the fuzzer report panics in this crate's code (and aborts), while a
/// panic inside a third-party reader, which `read::read_bytes` turns into the
/// file's error as a real run does, lets the fuzzer go on exploring.
pub fn abort_on_own_panics() {
    std::panic::set_hook(Box::new(|info| {
        if !crate::read::is_contained_panic(info) {
            eprintln!("{info}");
            std::process::abort();
        }
    }));
}

/// Reads bytes as a file of this name and parses every sheet.
pub fn read_and_parse(bytes: &[u8], name: &str) {
    if let Ok(workbook) = read::read_bytes(bytes, Path::new(name), &Limits::default()) {
        let parsed = crate::parse::parse_workbook(&workbook, name, schema());
        for sub in &parsed.submissions {
            let ctx = crate::check::Context {
                schema: schema(),
                registry: None,
                period: None,
            };
            crate::check::check(sub, ctx);
        }
    }
}

/// Reads text every way a cell's text is read.
pub fn values(text: &str) {
    let _ = crate::value::count_from_text(text);
    let _ = crate::value::date_from_text(text);
    let _ = text.parse::<crate::period::Period>();
    let _ = crate::period::PeriodKind::parse(text);
    let _ = crate::text::fold(text);
    let _ = crate::text::unit_code(text);
}

pub use crate::read::guard::fixtures::{spread_ods, spread_xls};

/// Formulas, one a line, in A1, A2… of a sheet that must be recalculated, with
/// numbers in column B: computed or refused, never a panic or a hang.
pub fn formulas(text: &str) {
    use crate::read::{Cell, CellValue, FormulaCell, Recalc, Sheet, Workbook};
    let formulas: Vec<FormulaCell> = text
        .lines()
        .take(64)
        .enumerate()
        .map(|(row, f)| FormulaCell {
            row: row as u32,
            col: 0,
            formula: f.to_string(),
        })
        .collect();
    let cells = (0..8)
        .map(|row| Cell {
            row,
            col: 1,
            value: CellValue::Number(f64::from(row)),
        })
        .collect();
    let mut workbook = Workbook {
        sheets: vec![Sheet {
            name: "Sheet1".into(),
            cells,
            formulas,
            ..Sheet::default()
        }],
        recalc: Recalc {
            full_calc_on_load: true,
            manual: false,
        },
        ..Workbook::default()
    };
    crate::read::formula::resolve(&mut workbook);
}
