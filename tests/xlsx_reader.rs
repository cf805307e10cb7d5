//! The fast `.xlsx` reader against its reference, calamine, on every `.xlsx`
//! and `.xlsm` fixture: the sample period, the foreign corpus (calamine's,
//! python-calamine's and xlrd's test files), fuzz regressions and hostile
//! cases. Where the fast reader accepts a file, calamine must read the very
//! same workbook from it; where it refuses, the file is calamine's anyway.

use calamine::{Reader, Xlsx};
use qcdc::read::{self, FormulaCell, Limits};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Every `.xlsx`/`.xlsm` fixture and every `.xlsx` fuzz regression, with the
/// name it is read under.
fn fixtures() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(Path::new("tests/data"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let ext = p.extension().map(|e| e.to_ascii_lowercase());
            let regression = p.parent().is_some_and(|d| d.ends_with("read_xlsx"));
            let name = match ext.as_ref().and_then(|e| e.to_str()) {
                Some("xlsx" | "xlsm") => p.clone(),
                _ if regression => p.with_extension("xlsx"),
                _ => return None,
            };
            Some((name, std::fs::read(&p).unwrap()))
        })
        .collect();
    files.sort();
    // Hostile cases: a form cut in half, a sheet spanning the whole grid.
    let (_, good) = files
        .iter()
        .find(|(p, _)| p.ends_with("S02_So_Tai_chinh.xlsx"))
        .cloned()
        .expect("sample form");
    files.push(("cat-ngang.xlsx".into(), good[..good.len() / 2].to_vec()));
    let mut grid = rust_xlsxwriter::Workbook::new();
    let ws = grid.add_worksheet();
    ws.write_number(0, 0, 1.0).unwrap();
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    files.push(("toan-luoi.xlsx".into(), grid.save_to_buffer().unwrap()));
    files
}

/// calamine's formulas of every sheet, expanded as its cell reader expands them.
fn calamine_formulas(bytes: &[u8]) -> Vec<Vec<FormulaCell>> {
    let mut wb = Xlsx::new(Cursor::new(bytes)).expect("calamine opens what it read");
    let names = wb.sheet_names();
    names
        .iter()
        .map(|name| {
            let mut reader = wb.worksheet_cells_reader(name).expect("sheet");
            let mut formulas = Vec::new();
            while let Some(cell) = reader.next_cell_with_formula().expect("cell") {
                if let Some(formula) = cell.formula.filter(|f| !f.is_empty()) {
                    formulas.push(FormulaCell {
                        row: cell.pos.0,
                        col: cell.pos.1,
                        formula,
                    });
                }
            }
            formulas.sort_by_key(|f| (f.row, f.col));
            formulas
        })
        .collect()
}

#[test]
fn fast_reader_reads_every_fixture_exactly_as_calamine() {
    let limits = Limits::default();
    let (mut accepted, mut refused, mut sample_readable) = (Vec::new(), Vec::new(), 0);
    for (path, bytes) in fixtures() {
        let fast = read::xlsx::read(&bytes, &limits);
        let reference = read::read_bytes_with_calamine(&bytes, &path, &limits);
        let via_fast = read::read_bytes(&bytes, &path, &limits);
        if path.to_string_lossy().contains("2022-H1") && reference.is_ok() {
            sample_readable += 1;
        }
        let Ok(fast) = fast else {
            refused.push(format!("{} ({})", path.display(), fast.unwrap_err().0));
            // Refused: read_bytes gives calamine's answer, error or workbook.
            assert_eq!(
                format!("{via_fast:?}"),
                format!("{reference:?}"),
                "{}",
                path.display()
            );
            continue;
        };
        let reference = reference.unwrap_or_else(|e| {
            panic!(
                "{}: fast reader accepted what calamine refuses: {e}",
                path.display()
            )
        });
        let via_fast = via_fast.unwrap();
        let names = |wb: &read::Workbook| {
            wb.sheets
                .iter()
                .map(|s| (s.name.clone(), s.hidden))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&fast), names(&reference), "{}", path.display());
        assert_eq!(via_fast.notes, reference.notes, "{}", path.display());
        assert!(reference.notes.is_empty(), "{}", path.display());
        for (mine, theirs) in via_fast.sheets.iter().zip(&reference.sheets) {
            assert_eq!(
                mine.cells,
                theirs.cells,
                "{} '{}'",
                path.display(),
                mine.name
            );
        }
        let formulas: Vec<_> = fast.sheets.iter().map(|s| s.formulas.clone()).collect();
        assert_eq!(formulas, calamine_formulas(&bytes), "{}", path.display());
        accepted.push(path.display().to_string());
    }
    eprintln!("accepted {}:\n  {}", accepted.len(), accepted.join("\n  "));
    eprintln!("refused {}:\n  {}", refused.len(), refused.join("\n  "));
    // The sample period's readable forms, as units send them, all take the
    // fast path.
    let sample = accepted.iter().filter(|p| p.contains("2022-H1")).count();
    assert!(
        sample > 30 && sample == sample_readable,
        "{sample} of {sample_readable}"
    );
    assert!(accepted.len() >= 40, "only {} accepted", accepted.len());
}
