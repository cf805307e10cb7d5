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
                as_of: None,
            };
            crate::check::check(sub, ctx);
        }
    }
}

/// Walks bytes as a container of this name (`input.zip`, `input.eml`): every
/// member is extracted within the limits and read and parsed as a real run
/// reads it.
pub fn walk(bytes: &[u8], name: &str) {
    use crate::read::container::{self, ContainerKind, What};
    let kind = container::kind_of(bytes, name).unwrap_or(ContainerKind::Zip);
    // As in a real run (`batch`), a panic of the zip crate or mailparse is
    // caught and is the container's error; qcdc's own still abort the fuzzer.
    let _ = std::panic::catch_unwind(|| {
        container::walk(bytes, name, kind, &Limits::default(), &mut |found| {
            if let What::File { bytes, .. } = found.what {
                read_and_parse(bytes, found.path);
            }
        })
    });
}

/// Reads bytes as an `.xlsx` with the fast reader and with calamine: where the
/// fast reader accepts a file, calamine must read it, to the same sheets, cells
/// and notes (a refusal is calamine's file anyway).
pub fn xlsx_against_calamine(bytes: &[u8]) {
    let (path, limits) = (Path::new("input.xlsx"), Limits::default());
    if read::xlsx::read(bytes, &limits).is_err() {
        return;
    }
    // Refused before any reader (a zip bomb, an unreadable entry): in a real
    // run the fast reader never sees it.
    let Ok(fast) = read::read_bytes(bytes, path, &limits) else {
        return;
    };
    let reference = match read::read_bytes_with_calamine(bytes, path, &limits) {
        Ok(reference) => reference,
        Err(e) => panic!("the fast reader read what calamine refuses: {e}"),
    };
    assert_eq!(fast.notes, reference.notes);
    assert_eq!(fast.sheets.len(), reference.sheets.len());
    for (mine, theirs) in fast.sheets.iter().zip(&reference.sheets) {
        assert_eq!((&mine.name, mine.hidden), (&theirs.name, theirs.hidden));
        assert_eq!(mine.cells, theirs.cells, "sheet '{}'", mine.name);
    }
}

/// Reads bytes as every kind of `.xlsx` part (a sheet, the shared strings, the
/// styles, the workbook and its relationships) on the byte scanner's events and
/// on quick-xml's: wherever the scanner reads, it must read what quick-xml
/// does, to the same values or the same refusal. Returns how many readers the
/// scanner read the bytes for.
pub fn xlsx_scanner_against_quick_xml(bytes: &[u8]) -> usize {
    let mut read = 0;
    for tiers in read::xlsx::tiers(bytes) {
        if let Some(scanner) = tiers.scanner {
            assert_eq!(scanner, tiers.quick_xml, "{}", tiers.reader);
            read += 1;
        }
    }
    read
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
