use super::*;
use crate::read::FormulaCell;

fn num(row: u32, col: u32, n: f64) -> Cell {
    Cell {
        row,
        col,
        value: CellValue::Number(n),
    }
}

fn f(row: u32, col: u32, formula: &str) -> FormulaCell {
    FormulaCell {
        row,
        col,
        formula: formula.into(),
    }
}

/// Column E: E1..E3 numbers, formulas as given.
fn workbook(extra: Vec<Cell>, formulas: Vec<FormulaCell>, recalc: Recalc) -> Workbook {
    let mut cells = vec![num(0, 4, 2.0), num(1, 4, 3.0), num(2, 4, 7.0)];
    cells.extend(extra);
    cells.sort_by_key(|c| (c.row, c.col));
    Workbook {
        sheets: vec![Sheet {
            name: "Biểu".into(),
            cells,
            formulas,
            ..Sheet::default()
        }],
        recalc,
        ..Workbook::default()
    }
}

fn at(wb: &Workbook, row: u32, col: u32) -> Option<CellValue> {
    wb.sheets[0]
        .cells
        .iter()
        .find(|c| (c.row, c.col) == (row, col))
        .map(|c| c.value.clone())
}

const FULL: Recalc = Recalc {
    full_calc_on_load: true,
    manual: false,
};
const MANUAL: Recalc = Recalc {
    full_calc_on_load: false,
    manual: true,
};

#[test]
fn a_formula_with_no_stored_result_is_computed_through_other_formulas() {
    let mut wb = workbook(
        vec![],
        vec![f(3, 4, "SUM(E1:E3)"), f(4, 4, "E4*2-$E$1"), f(5, 4, "E5")],
        Recalc::default(),
    );
    resolve(&mut wb);
    assert_eq!(at(&wb, 3, 4), Some(CellValue::Number(12.0)));
    assert_eq!(at(&wb, 4, 4), Some(CellValue::Number(22.0)));
    assert_eq!(at(&wb, 5, 4), Some(CellValue::Number(22.0)));
    assert!(wb.notes.is_empty(), "{:?}", wb.notes);
    let rows: Vec<u32> = wb.sheets[0].cells.iter().map(|c| c.row).collect();
    assert!(rows.is_sorted());
}

#[test]
fn a_trusted_stored_result_is_left_alone() {
    let mut wb = workbook(
        vec![num(3, 4, 99.0)],
        vec![f(3, 4, "SUM(E1:E3)")],
        Recalc::default(),
    );
    resolve(&mut wb);
    assert_eq!(at(&wb, 3, 4), Some(CellValue::Number(99.0)));
    assert!(wb.notes.is_empty());
}

#[test]
fn full_calc_on_load_zeros_are_replaced_with_a_warning_naming_the_cell() {
    let mut wb = workbook(vec![num(3, 4, 0.0)], vec![f(3, 4, "SUM(E1:E3)")], FULL);
    resolve(&mut wb);
    assert_eq!(at(&wb, 3, 4), Some(CellValue::Number(12.0)));
    assert_eq!(wb.notes.len(), 1);
    assert_eq!(wb.notes[0].cell, Some((3, 4)));
    assert_eq!(wb.notes[0].sheet.as_deref(), Some("Biểu"));
    assert!(
        wb.notes[0].message.starts_with(
            "ô có công thức =SUM(E1:E3): kết quả lưu trong tệp là 0 nhưng tính lại từ các ô được 12"
        ),
        "{}",
        wb.notes[0].message
    );
}

#[test]
fn manual_calculation_results_that_agree_need_no_warning() {
    let mut wb = workbook(
        vec![num(3, 4, 12.0), num(4, 4, 5.0)],
        vec![f(3, 4, "SUM(E1:E3)"), f(4, 4, "E1+E2+1")],
        MANUAL,
    );
    resolve(&mut wb);
    assert_eq!(at(&wb, 4, 4), Some(CellValue::Number(6.0)));
    assert_eq!(wb.notes.len(), 1, "{:?}", wb.notes);
    assert!(wb.notes[0].message.contains("thủ công"));
    assert_eq!(wb.notes[0].cell, Some((4, 4)));
}

#[test]
fn what_cannot_be_computed_is_an_uncomputed_formula() {
    let mut wb = workbook(
        vec![num(3, 4, 0.0)],
        vec![
            f(3, 4, "VLOOKUP(A1,B:C,2,0)"),
            f(4, 4, "'Kỳ trước'!E5"),
            f(5, 4, "E7+1"),
            f(6, 4, "E6+1"),
            f(7, 4, "E4+1"),
        ],
        FULL,
    );
    resolve(&mut wb);
    assert_eq!(
        at(&wb, 3, 4),
        Some(CellValue::UncomputedFormula("VLOOKUP(A1,B:C,2,0)".into()))
    );
    assert_eq!(
        at(&wb, 4, 4),
        Some(CellValue::UncomputedFormula("'Kỳ trước'!E5".into()))
    );
    // A cycle, and a formula that reads an uncomputed one.
    assert_eq!(
        at(&wb, 5, 4),
        Some(CellValue::UncomputedFormula("E7+1".into()))
    );
    assert_eq!(
        at(&wb, 6, 4),
        Some(CellValue::UncomputedFormula("E6+1".into()))
    );
    assert_eq!(
        at(&wb, 7, 4),
        Some(CellValue::UncomputedFormula("E4+1".into()))
    );
    assert!(wb.notes.is_empty());
}

#[test]
fn excel_errors_stay_errors() {
    let error = Cell {
        row: 4,
        col: 4,
        value: CellValue::Error("#REF!".into()),
    };
    let mut wb = workbook(
        vec![error],
        vec![f(3, 4, "E1/0"), f(4, 4, "INDIRECT(\"x\")"), f(5, 4, "E5+1")],
        MANUAL,
    );
    resolve(&mut wb);
    assert_eq!(at(&wb, 3, 4), Some(CellValue::Error("#DIV/0!".into())));
    assert_eq!(at(&wb, 4, 4), Some(CellValue::Error("#REF!".into())));
    assert_eq!(
        at(&wb, 5, 4),
        Some(CellValue::UncomputedFormula("E5+1".into()))
    );
}

#[test]
fn a_reference_shows_the_cell_as_it_is() {
    let name = Cell {
        row: 0,
        col: 1,
        value: CellValue::Text("Xã Lạc Sơn".into()),
    };
    let mut wb = workbook(vec![name], vec![f(0, 2, "B1"), f(1, 2, "B9")], FULL);
    resolve(&mut wb);
    assert_eq!(at(&wb, 0, 2), Some(CellValue::Text("Xã Lạc Sơn".into())));
    assert_eq!(at(&wb, 1, 2), Some(CellValue::Number(0.0)));
}

#[test]
fn a_long_chain_is_bounded() {
    let formulas = (0..200)
        .map(|i| f(10 + i, 0, &format!("A{}+1", 12 + i)))
        .collect();
    let mut wb = workbook(vec![], formulas, FULL);
    resolve(&mut wb);
    assert!(matches!(
        at(&wb, 10, 0),
        Some(CellValue::UncomputedFormula(_))
    ));
    // The far end of the chain, short enough, is computed.
    assert_eq!(at(&wb, 209, 0), Some(CellValue::Number(1.0)));
}
