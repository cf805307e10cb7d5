//! Report settings: who issues the report and where, from `qcdc.toml` in the
//! working folder, overridden by command-line flags.
//!
//! ```toml
//! tinh = "Quảng Trị"        # ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
//! co_quan = "SỞ NỘI VỤ"     # the issuing body, under the province line
//! dia_danh = "Quảng Trị"    # the place in "Quảng Trị, ngày … tháng … năm …"
//! ```

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
}

/// A settings file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("không đọc được tệp cấu hình {path}: {message}")]
    Invalid { path: String, message: String },
}

impl Settings {
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
        toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }

    /// These settings with every value given in `other` taking precedence.
    pub fn overridden_by(self, other: Settings) -> Settings {
        Settings {
            tinh: other.tinh.or(self.tinh),
            co_quan: other.co_quan.or(self.co_quan),
            dia_danh: other.dia_danh.or(self.dia_danh),
        }
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
    fn unset_province_leaves_a_visible_blank() {
        assert_eq!(
            Settings::default().parent_body(),
            "ỦY BAN NHÂN DÂN TỈNH .........."
        );
    }
}
