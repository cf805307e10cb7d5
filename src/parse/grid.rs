//! Random access over a sheet's sparse cells.

use crate::read::{Cell, CellValue};

/// A sheet's cells indexed by row, for lookups by position. Cells must be sorted
/// by (row, column), as the reader leaves them.
pub struct Grid<'a> {
    cells: &'a [Cell],
    /// (row, first index, end index) for every row that has cells.
    rows: Vec<(u32, usize, usize)>,
}

impl<'a> Grid<'a> {
    pub fn new(cells: &'a [Cell]) -> Grid<'a> {
        let mut rows: Vec<(u32, usize, usize)> = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            match rows.last_mut() {
                Some((row, _, end)) if *row == cell.row => *end = i + 1,
                _ => rows.push((cell.row, i, i + 1)),
            }
        }
        Grid { cells, rows }
    }

    /// The rows that hold cells, in order, each with its cells.
    pub fn rows(&self) -> impl Iterator<Item = (u32, &'a [Cell])> + '_ {
        self.rows
            .iter()
            .map(|&(row, start, end)| (row, &self.cells[start..end]))
    }

    /// The cells of one row (empty when the row has none).
    pub fn row(&self, row: u32) -> &'a [Cell] {
        match self.rows.binary_search_by_key(&row, |r| r.0) {
            Ok(i) => {
                let (_, start, end) = self.rows[i];
                &self.cells[start..end]
            }
            Err(_) => &[],
        }
    }

    /// The value at a position, if the cell holds anything.
    pub fn get(&self, row: u32, col: u32) -> Option<&'a CellValue> {
        let cells = self.row(row);
        cells
            .binary_search_by_key(&col, |c| c.col)
            .ok()
            .map(|i| &cells[i].value)
    }

    /// The first non-empty cell right of a position, in the same row.
    pub fn right_of(&self, row: u32, col: u32) -> Option<&'a Cell> {
        self.row(row).iter().find(|c| c.col > col)
    }
}
