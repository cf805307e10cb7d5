//! Formula cells whose stored result cannot be trusted, computed.
//!
//! A value cell may hold a formula. Its stored result is used when it can be
//! trusted; it cannot when there is none (openpyxl, EPPlus, POI and many web
//! exports store none), when the workbook asks to be recalculated on opening
//! (`fullCalcOnLoad`: xlsxwriter stores 0 for every result), or when it is set to
//! manual calculation (results may be stale). Then an arithmetic formula on the
//! same sheet (see [`eval`]) is computed from the cells it names, recursively
//! through other such formulas, and its value replaces the cell's; a stored
//! result that disagrees gets a warning naming the cell. Any other formula
//! becomes [`CellValue::UncomputedFormula`], which is an error only where a
//! value is expected. Format independent: it needs only `Sheet::formulas` and
//! `Workbook::recalc`, whichever reader filled them. A workbook with no formula
//! costs nothing here.

mod eval;

use super::{Cell, CellValue, ReadNote, Recalc, Sheet, Workbook};
use eval::{Cells, Uncomputable, Value};
use std::collections::HashMap;

/// Deepest chain of formulas computed through, and most cells read for one
/// sheet: a hostile file gets an uncomputed formula, not a hang.
const MAX_DEPTH: usize = 64;
const MAX_VISITS: usize = 4_000_000;

/// Computes every untrusted formula of the workbook.
pub(crate) fn resolve(workbook: &mut Workbook) {
    let Workbook {
        sheets,
        notes,
        recalc,
        ..
    } = workbook;
    for sheet in sheets.iter_mut().filter(|s| !s.formulas.is_empty()) {
        resolve_sheet(sheet, *recalc, notes);
    }
}

fn resolve_sheet(sheet: &mut Sheet, recalc: Recalc, notes: &mut Vec<ReadNote>) {
    let every = recalc.full_calc_on_load || recalc.manual;
    let index: HashMap<(u32, u32), usize> = sheet
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.row, c.col), i))
        .collect();
    let untrusted: HashMap<(u32, u32), &str> = sheet
        .formulas
        .iter()
        .filter(|f| every || !index.contains_key(&(f.row, f.col)))
        .map(|f| ((f.row, f.col), f.formula.as_str()))
        .collect();
    if untrusted.is_empty() {
        return;
    }
    let mut book = Book {
        cells: &sheet.cells,
        index: &index,
        untrusted: &untrusted,
        done: HashMap::new(),
        depth: 0,
        visits: 0,
    };
    let results: Vec<((u32, u32), &str, Option<CellValue>)> = sheet
        .formulas
        .iter()
        .filter(|f| untrusted.contains_key(&(f.row, f.col)))
        .map(|f| {
            (
                (f.row, f.col),
                f.formula.as_str(),
                book.compute((f.row, f.col)).ok(),
            )
        })
        .collect();
    let reason = if recalc.manual {
        "tệp đặt chế độ tính toán thủ công nên kết quả lưu có thể đã cũ"
    } else {
        "tệp yêu cầu tính lại khi mở (fullCalcOnLoad) nên kết quả lưu không dùng được"
    };
    for ((row, col), formula, computed) in results {
        let stored = index.get(&(row, col)).map(|&i| &sheet.cells[i].value);
        let value = match (computed, stored) {
            (Some(value), stored) => {
                if let Some(stored) = stored.filter(|s| disagree(s, &value)) {
                    notes.push(ReadNote {
                        sheet: Some(sheet.name.clone()),
                        cell: Some((row, col)),
                        message: format!(
                            "ô có công thức ={formula}: kết quả lưu trong tệp là {} nhưng tính lại từ các ô được {} ({reason}); đã dùng {}",
                            stored.display(),
                            value.display(),
                            value.display()
                        ),
                    });
                }
                value
            }
            // An error stored is an error still; anything else is not a figure.
            (None, Some(CellValue::Error(e))) => CellValue::Error(e.clone()),
            (None, _) => CellValue::UncomputedFormula(formula.to_string()),
        };
        match index.get(&(row, col)) {
            Some(&i) => sheet.cells[i].value = value,
            None => sheet.cells.push(Cell { row, col, value }),
        }
    }
    sheet.cells.sort_unstable_by_key(|c| (c.row, c.col));
}

/// Whether a stored result differs from the computed one (beyond rounding).
fn disagree(stored: &CellValue, computed: &CellValue) -> bool {
    match (stored, computed) {
        (CellValue::Number(a), CellValue::Number(b)) => (a - b).abs() > 1e-9 * a.abs().max(1.0),
        (a, b) => a != b,
    }
}

/// One sheet's cells as the evaluator reads them.
struct Book<'a> {
    cells: &'a [Cell],
    index: &'a HashMap<(u32, u32), usize>,
    untrusted: &'a HashMap<(u32, u32), &'a str>,
    /// Computed formulas; `None` while being computed (a cycle if met again).
    done: HashMap<(u32, u32), Option<Result<CellValue, Uncomputable>>>,
    depth: usize,
    visits: usize,
}

impl Book<'_> {
    /// The value of an untrusted formula cell.
    fn compute(&mut self, pos: (u32, u32)) -> Result<CellValue, Uncomputable> {
        match self.done.get(&pos) {
            Some(Some(result)) => return result.clone(),
            Some(None) => return Err(Uncomputable),
            None => {}
        }
        if self.depth >= MAX_DEPTH {
            return Err(Uncomputable);
        }
        self.done.insert(pos, None);
        self.depth += 1;
        let result = self.evaluate(self.untrusted[&pos]);
        self.depth -= 1;
        self.done.insert(pos, Some(result.clone()));
        result
    }

    fn evaluate(&mut self, formula: &str) -> Result<CellValue, Uncomputable> {
        let expr = eval::parse(formula).ok_or(Uncomputable)?;
        // `=B5` shows B5 as it is, text included.
        if let eval::Expr::Ref(r, c) = expr {
            return Ok(match self.cell(r, c)? {
                Value::Number(n) => CellValue::Number(n),
                Value::Text(t) => CellValue::Text(t),
                Value::Bool(b) => CellValue::Bool(b),
                Value::Empty => CellValue::Number(0.0),
                Value::Error(e) => CellValue::Error(e),
            });
        }
        Ok(match eval::eval(&expr, self)? {
            Ok(n) => CellValue::Number(n),
            Err(e) => CellValue::Error(e),
        })
    }

    fn visit(&mut self) -> Result<(), Uncomputable> {
        self.visits += 1;
        if self.visits > MAX_VISITS {
            Err(Uncomputable)
        } else {
            Ok(())
        }
    }
}

impl Cells for Book<'_> {
    fn cell(&mut self, row: u32, col: u32) -> Result<Value, Uncomputable> {
        self.visit()?;
        if self.untrusted.contains_key(&(row, col)) {
            return self.compute((row, col)).map(|v| value(&v))?;
        }
        match self.index.get(&(row, col)) {
            Some(&i) => value(&self.cells[i].value),
            None => Ok(Value::Empty),
        }
    }

    fn range(&mut self, from: (u32, u32), to: (u32, u32)) -> Result<Vec<Value>, Uncomputable> {
        let inside =
            |&(r, c): &(u32, u32)| (from.0..=to.0).contains(&r) && (from.1..=to.1).contains(&c);
        // Stored cells of the rows spanned (cells are sorted), and formulas with
        // no stored cell: each position once.
        let first = self.cells.partition_point(|c| c.row < from.0);
        let mut positions: Vec<(u32, u32)> = self.cells[first..]
            .iter()
            .take_while(|c| c.row <= to.0)
            .map(|c| (c.row, c.col))
            .filter(inside)
            .collect();
        positions.extend(
            self.untrusted
                .keys()
                .filter(|p| inside(p) && !self.index.contains_key(p)),
        );
        positions
            .into_iter()
            .map(|(r, c)| self.cell(r, c))
            .collect()
    }
}

/// A cell's content for the evaluator; a date or an uncomputed formula in a
/// calculation is not computed here.
fn value(v: &CellValue) -> Result<Value, Uncomputable> {
    match v {
        CellValue::Number(n) => Ok(Value::Number(*n)),
        CellValue::Text(t) => Ok(Value::Text(t.clone())),
        CellValue::Bool(b) => Ok(Value::Bool(*b)),
        CellValue::Error(e) => Ok(Value::Error(e.clone())),
        CellValue::Date(_) | CellValue::UncomputedFormula(_) => Err(Uncomputable),
    }
}

#[cfg(test)]
mod tests;
