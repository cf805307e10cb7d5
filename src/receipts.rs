//! The receipts log (sổ theo dõi văn bản đến): when each file arrived.
//!
//! CSV with header `tep,ma_don_vi,ngay_nhan`. Either `tep` or `ma_don_vi` may be
//! empty; a row with both applies to that unit's rows in that file. File names are
//! compared after NFC normalization ignoring case (a name typed in NFC matches a
//! file from a Mac in NFD); unit codes after trimming and upper-casing.

use crate::table_file::{Rows, cell};
use crate::text::{clean, unit_code};
use crate::value::date_from_text;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;

/// One receipt: a file and/or a unit, and the day it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub file: Option<String>,
    pub unit: Option<String>,
    pub received: NaiveDate,
    pub line: usize,
}

/// The receipts log, indexed for lookups.
#[derive(Debug, Clone, Default)]
pub struct Receipts {
    receipts: Vec<Receipt>,
    by_file_unit: HashMap<(String, String), usize>,
    by_file: HashMap<String, usize>,
    by_unit: HashMap<String, usize>,
    /// Every receipt naming both a file and the unit, by unit.
    with_file_by_unit: HashMap<String, Vec<usize>>,
}

/// Why a receipts log cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptsError {
    #[error("sổ nhận {path}: {message}")]
    Unreadable { path: String, message: String },
    #[error("sổ nhận {path}: thiếu cột {column} (cần tep, ma_don_vi, ngay_nhan)")]
    MissingColumn { path: String, column: &'static str },
    #[error("sổ nhận {path}, dòng {line}: {message}")]
    Line {
        path: String,
        line: usize,
        message: String,
    },
}

/// The key a file name is compared by.
pub fn file_key(name: &str) -> String {
    clean(name).to_lowercase()
}

impl Receipts {
    /// Loads and checks a receipts log.
    pub fn load(path: &Path) -> Result<Receipts, ReceiptsError> {
        let shown = path.display().to_string();
        let rows = Rows::load(path).map_err(|message| ReceiptsError::Unreadable {
            path: shown.clone(),
            message,
        })?;
        let col = |name: &'static str, folded: &str| {
            rows.column(folded).ok_or(ReceiptsError::MissingColumn {
                path: shown.clone(),
                column: name,
            })
        };
        let (file_col, unit_col, date_col) = (
            col("tep", "tep")?,
            col("ma_don_vi", "ma don vi")?,
            col("ngay_nhan", "ngay nhan")?,
        );
        let mut receipts = Vec::new();
        for (line, row) in &rows.rows {
            let err = |message: String| ReceiptsError::Line {
                path: shown.clone(),
                line: *line,
                message,
            };
            let file = Some(cell(row, Some(file_col)).trim())
                .filter(|f| !f.is_empty())
                .map(base_name);
            let unit = Some(unit_code(cell(row, Some(unit_col)))).filter(|u| !u.is_empty());
            let date_text = cell(row, Some(date_col));
            if file.is_none() && unit.is_none() {
                if date_text.is_empty() {
                    continue;
                }
                return Err(err("thiếu cả tên tệp và mã đơn vị".into()));
            }
            let received = date_from_text(date_text).ok_or_else(|| {
                err(format!(
                    "ngày nhận '{date_text}' không hợp lệ (viết dd/mm/yyyy hoặc yyyy-mm-dd)"
                ))
            })?;
            receipts.push(Receipt {
                file,
                unit,
                received,
                line: *line,
            });
        }
        Ok(Receipts::new(receipts))
    }

    /// Indexes receipts; a later line for the same key wins (a corrected entry).
    pub fn new(receipts: Vec<Receipt>) -> Receipts {
        let mut log = Receipts {
            receipts,
            ..Receipts::default()
        };
        for (i, r) in log.receipts.iter().enumerate() {
            match (&r.file, &r.unit) {
                (Some(f), Some(u)) => {
                    log.by_file_unit.insert((file_key(f), u.clone()), i);
                    log.with_file_by_unit.entry(u.clone()).or_default().push(i);
                }
                (Some(f), None) => {
                    log.by_file.insert(file_key(f), i);
                }
                (None, Some(u)) => {
                    log.by_unit.insert(u.clone(), i);
                }
                (None, None) => {}
            }
        }
        log
    }

    /// The receipt for a unit's submission in a file: the row naming both first,
    /// then the file alone, then the unit alone.
    pub fn find(&self, file_name: &str, unit: &str) -> Option<&Receipt> {
        self.find_in(&[file_name], unit)
    }

    /// As [`Receipts::find`], for a file found inside containers: `names` are
    /// the file's own, then its containers' innermost first (a receipt naming
    /// the zip a form came in dates the form).
    pub fn find_in(&self, names: &[&str], unit: &str) -> Option<&Receipt> {
        names
            .iter()
            .find_map(|name| {
                let key = file_key(name);
                self.by_file_unit
                    .get(&(key.clone(), unit.to_string()))
                    .or_else(|| self.by_file.get(&key))
            })
            .or_else(|| self.by_unit.get(unit))
            .map(|&i| &self.receipts[i])
    }

    /// Receipts that name both a file and this unit.
    pub fn naming_unit_and_file<'a>(
        &'a self,
        unit: &'a str,
    ) -> impl Iterator<Item = &'a Receipt> + 'a {
        self.with_file_by_unit
            .get(unit)
            .into_iter()
            .flatten()
            .map(|&i| &self.receipts[i])
    }

    /// Every receipt, in log order.
    pub fn all(&self) -> &[Receipt] {
        &self.receipts
    }
}

/// The base name of a path as typed (either slash).
fn base_name(typed: &str) -> String {
    typed
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(typed)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 6, d).unwrap()
    }

    #[test]
    fn most_specific_receipt_wins() {
        let r = |file: Option<&str>, unit: Option<&str>, d| Receipt {
            file: file.map(String::from),
            unit: unit.map(String::from),
            received: day(d),
            line: 0,
        };
        let log = Receipts::new(vec![
            r(Some("chung.csv"), Some("X018"), 9),
            r(Some("chung.csv"), None, 4),
            r(None, Some("S01"), 2),
        ]);
        assert_eq!(log.find("chung.csv", "X018").unwrap().received, day(9));
        assert_eq!(log.find("CHUNG.CSV", "X019").unwrap().received, day(4));
        assert_eq!(log.find("khac.xlsx", "S01").unwrap().received, day(2));
        assert!(log.find("khac.xlsx", "S02").is_none());
        // A form inside a zip: its own name first, then the zip's.
        assert_eq!(
            log.find_in(&["a.xlsx", "chung.csv"], "X018")
                .unwrap()
                .received,
            day(9)
        );
        assert_eq!(
            log.find_in(&["a.xlsx", "chung.csv"], "X020")
                .unwrap()
                .received,
            day(4)
        );
    }

    #[test]
    fn nfd_file_names_match() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("so-den.csv");
        std::fs::write(
            &path,
            "tep,ma_don_vi,ngay_nhan\nBáo cáo Xã Đà Bắc.xlsx,,2022-06-05\n",
        )
        .unwrap();
        let log = Receipts::load(&path).unwrap();
        let nfd: String = "báo cáo xã đà bắc.xlsx".nfd().collect();
        assert_eq!(log.find(&nfd, "X011").unwrap().received, day(5));
    }

    #[test]
    fn bad_dates_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("so-den.csv");
        std::fs::write(
            &path,
            "tep,ma_don_vi,ngay_nhan\na.xlsx,S01,02/06/2022\nb.xlsx,S02,32/06/2022\n",
        )
        .unwrap();
        let err = Receipts::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("dòng 3") && err.contains("32/06/2022"),
            "{err}"
        );
    }
}
