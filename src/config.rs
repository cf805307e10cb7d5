//! Report settings: who issues the report and where, from `qcdc.toml`,
//! overridden by command-line flags.
//!
//! The file is looked up beside the registry first (a scheduled job started in
//! another folder still finds the settings kept with the registry), then in the
//! current folder; `--config FILE` names it instead.
//!
//! ```toml
//! tinh = "Quảng Trị"        # ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
//! co_quan = "SỞ NỘI VỤ"     # the issuing body, under the province line
//! dia_danh = "Quảng Trị"    # the place in "Quảng Trị, ngày … tháng … năm …"
//! so_ky_hieu = "…/BC-SNV"   # the document number line "Số: …/BC-SNV"
//! chuc_vu = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"   # the signer's authority and title
//! nguoi_ky = "Nguyễn Văn A"                 # the signer's name
//! noi_nhan = ["UBND tỉnh (để báo cáo)", "Ban Dân vận Tỉnh ủy", "Lưu: VT, XDCQ"]
//! ```
//!
//! Who signs and who receives are left as visible dotted blanks when unset,
//! to be filled by hand, never silently missing.

use serde::Deserialize;
use std::path::Path;

/// The file looked for in the working folder.
pub const CONFIG_FILE: &str = "qcdc.toml";

/// Who issues the report, and where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The province's name, as in "ỦY BAN NHÂN DÂN TỈNH <tinh>".
    pub tinh: Option<String>,
    /// The issuing body; default "SỞ NỘI VỤ".
    pub co_quan: Option<String>,
    /// The place name of the date line; default the province's name.
    pub dia_danh: Option<String>,
    /// The document's number and symbol, as in "Số: 125/BC-SNV".
    pub so_ky_hieu: Option<String>,
    /// The signer's authority and title, one line each ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC").
    pub chuc_vu: Option<String>,
    /// The signer's full name.
    pub nguoi_ky: Option<String>,
    /// The addressees, one a line of "Nơi nhận".
    pub noi_nhan: Option<Vec<String>>,
}

/// What marks a place left to fill by hand.
const BLANK: &str = "..........";

/// A setting's text, trimmed, if it says anything.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// A settings file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("không đọc được tệp cấu hình {path}: {message}")]
    Invalid { path: String, message: String },
    #[error("tệp cấu hình {path}, {message}")]
    Syntax { path: String, message: String },
}

/// The settings found, and where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    pub settings: Settings,
    /// The file read; `None` when none was found.
    pub path: Option<std::path::PathBuf>,
    /// The folders looked in, for a message when none was found.
    pub looked_in: Vec<std::path::PathBuf>,
}

impl Settings {
    /// `explicit` if given (it must exist), else the first `qcdc.toml` beside
    /// the registry, then in the current folder.
    pub fn locate(
        explicit: Option<&Path>,
        registry: Option<&Path>,
    ) -> Result<Located, ConfigError> {
        if let Some(path) = explicit {
            let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Invalid {
                path: path.display().to_string(),
                message: crate::write::atomic::io_reason(&e),
            })?;
            return Ok(Located {
                settings: Settings::parse(&text, path)?,
                path: Some(path.to_path_buf()),
                looked_in: Vec::new(),
            });
        }
        let beside = registry.map(|r| match r.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        });
        let mut looked_in: Vec<std::path::PathBuf> = Vec::new();
        for dir in beside.into_iter().chain([std::path::PathBuf::from(".")]) {
            if looked_in.iter().any(|d| same_folder(d, &dir)) {
                continue;
            }
            let path = dir.join(CONFIG_FILE);
            if path.is_file() {
                return Ok(Located {
                    settings: Settings::load_from(&dir)?,
                    path: Some(path),
                    looked_in,
                });
            }
            looked_in.push(dir);
        }
        Ok(Located {
            looked_in,
            ..Located::default()
        })
    }

    fn parse(text: &str, path: &Path) -> Result<Settings, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Syntax {
            path: path.display().to_string(),
            message: crate::toml_error::describe(&e, text),
        })
    }

    /// Whether the report will print a dotted blank for the province.
    pub fn lacks_province(&self) -> bool {
        self.tinh.as_deref().is_none_or(|t| t.trim().is_empty())
    }

    /// Reads `qcdc.toml` from a folder; no file means default settings.
    pub fn load_from(dir: &Path) -> Result<Settings, ConfigError> {
        let path = dir.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(e) => {
                return Err(ConfigError::Invalid {
                    path: path.display().to_string(),
                    message: e.to_string(),
                });
            }
        };
        Settings::parse(&text, &path)
    }

    /// These settings with every value given in `other` taking precedence.
    pub fn overridden_by(self, other: Settings) -> Settings {
        Settings {
            tinh: other.tinh.or(self.tinh),
            co_quan: other.co_quan.or(self.co_quan),
            dia_danh: other.dia_danh.or(self.dia_danh),
            so_ky_hieu: other.so_ky_hieu.or(self.so_ky_hieu),
            chuc_vu: other.chuc_vu.or(self.chuc_vu),
            nguoi_ky: other.nguoi_ky.or(self.nguoi_ky),
            noi_nhan: other.noi_nhan.or(self.noi_nhan),
        }
    }

    /// "Số: 125/BC-SNV"; unset, the number is a blank ("Số: ..../BC-SNV", the
    /// symbol only for the default issuing body).
    pub fn number_line(&self) -> String {
        let number = given(&self.so_ky_hieu)
            .map(|n| n.trim_start_matches("Số:").trim_start().to_string())
            .unwrap_or_else(|| {
                let symbol = if self.issuing_body() == "SỞ NỘI VỤ" {
                    "SNV"
                } else {
                    BLANK
                };
                format!("{BLANK}/BC-{symbol}")
            });
        format!("Số: {number}")
    }

    /// The signer's authority and title lines, in capitals; a blank line unset.
    pub fn signer_title(&self) -> Vec<String> {
        match given(&self.chuc_vu) {
            Some(t) => t
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_uppercase)
                .collect(),
            None => vec![BLANK.repeat(3)],
        }
    }

    /// The signer's name; a blank unset.
    pub fn signer_name(&self) -> String {
        given(&self.nguoi_ky)
            .map(String::from)
            .unwrap_or_else(|| BLANK.repeat(3))
    }

    /// The "Nơi nhận" lines as Decree 30 writes them: "- X;" each, the last
    /// "- Lưu: VT, ….". Unset, one blank addressee and the archive line.
    pub fn addressees(&self) -> Vec<String> {
        let mut names: Vec<&str> = self
            .noi_nhan
            .iter()
            .flatten()
            .map(|n| n.trim().trim_start_matches(['-', '–', '+']).trim())
            .map(|n| n.trim_end_matches([';', '.', ',']).trim_end())
            .filter(|n| !n.is_empty())
            .collect();
        let archive = format!("Lưu: VT, {BLANK}");
        if names.is_empty() {
            names.push(BLANK);
        }
        if !names.last().is_some_and(|n| n.starts_with("Lưu")) {
            names.push(&archive);
        }
        let last = names.len() - 1;
        names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("- {n}{}", if i == last { "." } else { ";" }))
            .collect()
    }

    /// "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", or a dotted blank to fill by hand when
    /// no province is configured.
    pub fn parent_body(&self) -> String {
        match self
            .tinh
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(t) => format!("ỦY BAN NHÂN DÂN TỈNH {}", t.to_uppercase()),
            None => "ỦY BAN NHÂN DÂN TỈNH ..........".to_string(),
        }
    }

    /// The issuing body, in capitals.
    pub fn issuing_body(&self) -> String {
        self.co_quan
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or("SỞ NỘI VỤ")
            .to_uppercase()
    }

    /// The place of the date line.
    pub fn place(&self) -> String {
        self.dia_danh
            .as_deref()
            .or(self.tinh.as_deref())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or("..........")
            .to_string()
    }
}

fn same_folder(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_flags() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Settings::load_from(dir.path()).unwrap(),
            Settings::default()
        );
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "tinh = \"Quảng Trị\"\nco_quan = \"Sở Nội vụ\"\n",
        )
        .unwrap();
        let file = Settings::load_from(dir.path()).unwrap();
        assert_eq!(file.parent_body(), "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ");
        assert_eq!(file.issuing_body(), "SỞ NỘI VỤ");
        assert_eq!(file.place(), "Quảng Trị");
        let flags = Settings {
            tinh: Some("Hà Tĩnh".into()),
            ..Settings::default()
        };
        let both = file.overridden_by(flags);
        assert_eq!(both.parent_body(), "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH");
        assert_eq!(both.issuing_body(), "SỞ NỘI VỤ");
        std::fs::write(dir.path().join(CONFIG_FILE), "tinh = 3").unwrap();
        assert!(
            Settings::load_from(dir.path())
                .unwrap_err()
                .to_string()
                .contains("qcdc.toml")
        );
    }

    #[test]
    fn found_beside_the_registry_before_the_current_folder() {
        let dir = tempfile::tempdir().unwrap();
        let registry = dir.path().join("don-vi.csv");
        let none = Settings::locate(None, Some(&registry)).unwrap();
        assert_eq!(none.path, None);
        assert_eq!(none.looked_in.len(), 2);
        std::fs::write(dir.path().join(CONFIG_FILE), "tinh = \"Quảng Trị\"\n").unwrap();
        let found = Settings::locate(None, Some(&registry)).unwrap();
        assert_eq!(found.path, Some(dir.path().join(CONFIG_FILE)));
        assert!(!found.settings.lacks_province());
        let named = dir.path().join("khac.toml");
        std::fs::write(&named, "tinh = 3\n").unwrap();
        let err = Settings::locate(Some(&named), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("khac.toml, dòng 1, cột 8"), "{err}");
    }

    #[test]
    fn signer_and_addressees_from_the_file() {
        let s: Settings = toml::from_str(
            "so_ky_hieu = \"125/BC-SNV\"\nchuc_vu = \"KT. giám đốc\\nPhó Giám đốc\"\n\
             nguoi_ky = \"Nguyễn Văn A\"\nnoi_nhan = [\"UBND tỉnh (để b/c);\", \"- Ban Dân vận\", \"Lưu: VT, XDCQ\"]\n",
        )
        .unwrap();
        assert_eq!(s.number_line(), "Số: 125/BC-SNV");
        assert_eq!(s.signer_title(), ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]);
        assert_eq!(s.signer_name(), "Nguyễn Văn A");
        assert_eq!(
            s.addressees(),
            [
                "- UBND tỉnh (để b/c);",
                "- Ban Dân vận;",
                "- Lưu: VT, XDCQ."
            ]
        );
    }

    #[test]
    fn unset_signer_and_addressees_are_visible_blanks() {
        let s = Settings::default();
        assert_eq!(s.number_line(), "Số: ........../BC-SNV");
        assert_eq!(s.signer_title(), [".............................."]);
        assert_eq!(s.signer_name(), "..............................");
        assert_eq!(s.addressees(), ["- ..........;", "- Lưu: VT, ..........."]);
        let other = Settings {
            co_quan: Some("Văn phòng UBND tỉnh".into()),
            ..Settings::default()
        };
        assert_eq!(other.number_line(), "Số: ........../BC-..........");
    }

    #[test]
    fn unset_province_leaves_a_visible_blank() {
        assert_eq!(
            Settings::default().parent_body(),
            "ỦY BAN NHÂN DÂN TỈNH .........."
        );
    }
}
