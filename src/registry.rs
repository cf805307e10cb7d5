//! The unit registry (danh sách đơn vị): who must report.
//!
//! CSV with header `ma_don_vi,ten_don_vi,loai_hinh`, optionally `email` and
//! `bao_cao` (which reports the unit owes: `6 tháng`, `năm`, or both when empty).
//! A malformed registry stops the run with an error naming the line, because every
//! status computed from it would be wrong.

use crate::period::{Period, PeriodKind};
use crate::schema::Schema;
use crate::table_file::{Rows, cell};
use crate::text::{clean, unit_code};
use std::collections::HashMap;
use std::path::Path;

/// A registered unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub unit_type: String,
    pub email: String,
    /// The reports it owes; `None` means both.
    owes: Option<PeriodKind>,
}

/// All registered units, in registry order.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    units: Vec<Unit>,
    by_code: HashMap<String, usize>,
    /// What looks wrong without stopping the run (codes stripped of zeros).
    warnings: Vec<String>,
}

/// Why a registry cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("danh sách đơn vị {path}: {message}")]
    Unreadable { path: String, message: String },
    #[error("danh sách đơn vị {path}: thiếu cột {column} (cần ma_don_vi, ten_don_vi, loai_hinh)")]
    MissingColumn { path: String, column: &'static str },
    #[error("danh sách đơn vị {path}, dòng {line}: {message}")]
    Line {
        path: String,
        line: usize,
        message: String,
    },
}

impl Registry {
    /// Loads and checks a registry file.
    pub fn load(path: &Path, schema: &Schema) -> Result<Registry, RegistryError> {
        let shown = path.display().to_string();
        let rows = Rows::load(path).map_err(|message| RegistryError::Unreadable {
            path: shown.clone(),
            message,
        })?;
        let col = |name: &'static str| {
            rows.column(name).ok_or(RegistryError::MissingColumn {
                path: shown.clone(),
                column: name,
            })
        };
        let (code_col, name_col, type_col) =
            (col("ma don vi")?, col("ten don vi")?, col("loai hinh")?);
        let (email_col, owes_col) = (rows.column("email"), rows.column("bao cao"));
        let mut registry = Registry::default();
        for (line, row) in &rows.rows {
            let err = |message: String| RegistryError::Line {
                path: shown.clone(),
                line: *line,
                message,
            };
            let code = unit_code(cell(row, Some(code_col)));
            if code.is_empty() {
                if row.iter().all(|c| c.is_empty()) {
                    continue;
                }
                return Err(err("thiếu mã đơn vị".into()));
            }
            let type_text = cell(row, Some(type_col)).trim();
            let Some(unit_type) = unit_type(schema, type_text) else {
                let known: Vec<&str> = schema.unit_types.iter().map(|t| t.code.as_str()).collect();
                return Err(err(format!(
                    "loại hình '{type_text}' của đơn vị {code} không hợp lệ (dùng một trong: {}, hoặc tên loại hình như trên biểu)",
                    known.join(", ")
                )));
            };
            let owes_text = cell(row, owes_col);
            let owes = match crate::text::fold(owes_text).as_str() {
                "" | "ca hai" | "ca 2" => None,
                both if both.contains([',', ';', '+']) => None,
                _ => Some(PeriodKind::parse(owes_text).ok_or_else(|| {
                    err(format!("cột bao_cao '{owes_text}' không hợp lệ (6 tháng, năm, cả hai, hoặc để trống)"))
                })?),
            };
            if let Some(&first) = registry.by_code.get(&code) {
                let first_line = rows.rows[first].0;
                return Err(err(format!(
                    "mã đơn vị {code} bị trùng (đã có ở dòng {first_line})"
                )));
            }
            registry.by_code.insert(code.clone(), registry.units.len());
            registry.units.push(Unit {
                code,
                name: clean(cell(row, Some(name_col))),
                unit_type,
                email: cell(row, email_col).trim().to_string(),
                owes,
            });
        }
        registry.warnings.extend(stripped_zeros(&registry.units));
        Ok(registry)
    }

    /// What looks wrong in the registry without stopping the run.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Builds a registry from units directly (units that submitted, when the
    /// officer gave no registry).
    pub fn from_units(units: Vec<Unit>) -> Registry {
        let by_code = units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.code.clone(), i))
            .collect();
        Registry {
            units,
            by_code,
            warnings: Vec::new(),
        }
    }

    /// The unit with this (normalized) code.
    pub fn get(&self, code: &str) -> Option<&Unit> {
        self.by_code.get(code).map(|&i| &self.units[i])
    }

    /// Every unit, in registry order.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The units that owe a report for this period, in registry order.
    pub fn expected(&self, period: Period) -> impl Iterator<Item = &Unit> {
        self.units
            .iter()
            .filter(move |u| u.owes.is_none_or(|k| k == period.kind))
    }
}

/// The schema's code of a unit type written as its code (`SO_NGANH`) or as the
/// workbook prints it (`Sở, ban, ngành`), either folded.
fn unit_type(schema: &Schema, text: &str) -> Option<String> {
    let folded = crate::text::fold(text);
    schema
        .unit_types
        .iter()
        .find(|t| t.code.eq_ignore_ascii_case(text) || crate::text::fold(&t.label) == folded)
        .map(|t| t.code.clone())
}

/// All-digit codes shorter than others that keep their leading zeros (`4`
/// beside `00012`) are what Excel leaves of `00004`: said, never silent.
fn stripped_zeros(units: &[Unit]) -> Option<String> {
    let digits = |c: &str| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit());
    let padded = units
        .iter()
        .map(|u| u.code.as_str())
        .filter(|c| digits(c) && c.starts_with('0'))
        .max_by_key(|c| c.len())?;
    let short: Vec<&str> = units
        .iter()
        .map(|u| u.code.as_str())
        .filter(|c| digits(c) && !c.starts_with('0') && c.len() < padded.len())
        .collect();
    let first = short.first()?;
    Some(format!(
        "{} mã đơn vị chỉ gồm chữ số ngắn hơn các mã có số 0 ở đầu (ví dụ '{first}' bên cạnh '{padded}'): có thể Excel đã bỏ các số 0 đầu; biểu ghi mã đủ số 0 vẫn được ghép vào đơn vị (kèm cảnh báo), nhưng hãy sửa danh sách (định dạng cột mã là Văn bản)",
        short.len()
    ))
}

impl Unit {
    /// A unit known only from its submission: no type, no e-mail.
    pub fn unregistered(code: &str, name: &str) -> Unit {
        Unit {
            code: code.to_string(),
            name: name.to_string(),
            unit_type: String::new(),
            email: String::new(),
            owes: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Registry, RegistryError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("units.csv");
        std::fs::write(&path, text).unwrap();
        Registry::load(&path, &Schema::builtin())
    }

    #[test]
    fn reads_units_in_order() {
        let r = load("ma_don_vi,ten_don_vi,loai_hinh,email,bao_cao\n s01 ,Sở Nội vụ,SO_NGANH,a@b.vn,\nX001,Phường Hòa Bình,UBND_XA,,năm\n").unwrap();
        assert_eq!(r.units().len(), 2);
        assert_eq!(r.get("S01").unwrap().name, "Sở Nội vụ");
        assert_eq!(r.get("S01").unwrap().email, "a@b.vn");
        let h1: Period = "2022-H1".parse().unwrap();
        let codes: Vec<&str> = r.expected(h1).map(|u| u.code.as_str()).collect();
        assert_eq!(codes, ["S01"]);
    }

    #[test]
    fn unit_types_as_printed_and_stripped_zeros() {
        let r =
            load("ma_don_vi,ten_don_vi,loai_hinh\n00012,A,\"Sở, ban, ngành\"\n4,B,ubnd cấp xã\n")
                .unwrap();
        assert_eq!(r.get("00012").unwrap().unit_type, "SO_NGANH");
        assert_eq!(r.get("4").unwrap().unit_type, "UBND_XA");
        assert!(
            r.warnings()[0].contains("'4' bên cạnh '00012'"),
            "{:?}",
            r.warnings()
        );
        let plain = load("ma_don_vi,ten_don_vi,loai_hinh\n4,A,KHAC\n12,B,KHAC\n").unwrap();
        assert!(plain.warnings().is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let dup = load(
            "ma_don_vi,ten_don_vi,loai_hinh\nS01,A,SO_NGANH\nS02,B,SO_NGANH\ns01,C,SO_NGANH\n",
        )
        .unwrap_err();
        assert_eq!(
            dup.to_string()
                .split(": ")
                .skip(1)
                .collect::<Vec<_>>()
                .join(": "),
            "mã đơn vị S01 bị trùng (đã có ở dòng 2)"
        );
        assert!(dup.to_string().contains("dòng 4"), "{dup}");
        let bad_type = load("ma_don_vi,ten_don_vi,loai_hinh\nS01,A,SO\n").unwrap_err();
        assert!(
            bad_type.to_string().contains("dòng 2") && bad_type.to_string().contains("'SO'"),
            "{bad_type}"
        );
        let missing = load("ma_don_vi,ten\nS01,A\n").unwrap_err();
        assert!(
            matches!(
                missing,
                RegistryError::MissingColumn {
                    column: "ten don vi",
                    ..
                }
            ),
            "{missing}"
        );
    }
}
