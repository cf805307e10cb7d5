//! Random access over a sheet's sparse cells.

use crate::read::{Cell, CellValue};
use crate::text::{fold, may_be_label};
use std::cell::OnceCell;

/// A sheet's cells indexed by row, for lookups by position. Cells must be sorted
/// by (row, column), as the reader leaves them.
pub struct Grid<'a> {
    cells: &'a [Cell],
    /// (row, first index, end index) for every row that has cells.
    rows: Vec<(u32, usize, usize)>,
    /// Each cell's label key (`text::fold`), made on first use: the table and
    /// the form detectors both look at every short text of a sheet.
    keys: Vec<OnceCell<Option<Box<str>>>>,
}

/// A text cell, with its label key on demand.
pub struct TextCell<'g> {
    pub cell: &'g Cell,
    pub text: &'g str,
    key: &'g OnceCell<Option<Box<str>>>,
}

impl<'g> TextCell<'g> {
    /// The folded text, for texts short enough to be a label or a heading.
    pub fn key(&self) -> Option<&'g str> {
        self.key
            .get_or_init(|| may_be_label(self.text).then(|| folded(self.text)))
            .as_deref()
    }
}

/// `fold(text)`, remembered per thread: every form of a period repeats the
/// same labels and headings, and folding decomposes each letter.
fn folded(text: &str) -> Box<str> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    /// A bound on the memory kept: a period's forms share a few hundred texts.
    const MOST: usize = 4096;
    thread_local! {
        static SEEN: RefCell<HashMap<Box<str>, Box<str>>> = RefCell::default();
    }
    if let Some(key) = SEEN.with_borrow(|seen| seen.get(text).cloned()) {
        return key;
    }
    let key: Box<str> = fold(text).into();
    SEEN.with_borrow_mut(|seen| {
        if seen.len() >= MOST {
            seen.clear();
        }
        seen.insert(text.into(), key.clone());
    });
    key
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
        let keys = std::iter::repeat_with(OnceCell::new)
            .take(cells.len())
            .collect();
        Grid { cells, rows, keys }
    }

    /// The rows that hold text, in order, each with its text cells.
    pub fn text_rows(
        &self,
    ) -> impl Iterator<Item = (u32, impl Iterator<Item = TextCell<'_>> + Clone)> {
        self.rows.iter().map(move |&(row, start, end)| {
            let cells = self.cells[start..end].iter().zip(&self.keys[start..end]);
            let texts = cells.filter_map(|(cell, key)| {
                cell.value
                    .as_text()
                    .map(|text| TextCell { cell, text, key })
            });
            (row, texts)
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_keys_are_the_folded_texts() {
        let texts = [
            "Mã đơn vị:",
            "MA DON VI",
            "Ma\u{0300} đơn vị (*):",
            "Kỳ báo cáo",
            "",
        ];
        for _ in 0..2 {
            for text in texts {
                assert_eq!(&*folded(text), fold(text), "{text:?}");
            }
        }
    }
}
