//! The officer's own small CSV files (the unit registry, the receipts log), read
//! through the same reader as submissions, so they may be UTF-8 or UTF-16, use
//! `,` `;` or tab, or even be an Excel sheet.

use crate::read::{self, Limits};
use crate::text::fold;
use std::collections::HashMap;
use std::path::Path;

/// Rows of a header-led table: each row maps a folded header to the cell text,
/// with the row's line number (1-based, the header being line 1).
pub struct Rows {
    pub headers: HashMap<String, usize>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Rows {
    /// Reads the first sheet of a file as rows of text.
    pub fn load(path: &Path) -> Result<Rows, String> {
        let workbook = read::read_file(path, &Limits::default()).map_err(|e| e.to_string())?;
        let sheet = workbook
            .sheets
            .into_iter()
            .next()
            .ok_or("tệp không có trang tính nào")?;
        let mut lines: Vec<(usize, Vec<String>)> = Vec::new();
        for cell in sheet.cells {
            let line = cell.row as usize + 1;
            if lines.last().map(|(l, _)| *l) != Some(line) {
                lines.push((line, Vec::new()));
            }
            let (_, row) = lines.last_mut().expect("pushed above");
            let col = cell.col as usize;
            if row.len() <= col {
                row.resize(col + 1, String::new());
            }
            row[col] = cell.value.display().trim().to_string();
        }
        let mut lines = lines.into_iter();
        let (_, header) = lines.next().ok_or("tệp trống, không có dòng tiêu đề")?;
        let headers = header
            .iter()
            .enumerate()
            .map(|(i, h)| (fold(h), i))
            .collect();
        Ok(Rows {
            headers,
            rows: lines.collect(),
        })
    }

    /// The column of a header (given folded), if present.
    pub fn column(&self, folded: &str) -> Option<usize> {
        self.headers.get(folded).copied()
    }
}

/// The text of a column in a row, empty when absent.
pub fn cell(row: &[String], col: Option<usize>) -> &str {
    col.and_then(|c| row.get(c)).map_or("", String::as_str)
}
