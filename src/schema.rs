//! The reporting schema: indicators, groups, unit types, rules, derived rates and
//! deadlines, as data.
//!
//! The default schema (`schema/default.toml`) is embedded in the binary;
//! `--schema FILE` replaces it. Nothing else in the program names an indicator:
//! every check, total and report row is driven from here.

use crate::period::{Period, PeriodKind};
use chrono::NaiveDate;
use serde::Deserialize;
use std::path::Path;

/// The longest indicator code accepted; codes are ASCII letters, digits and `_`,
/// which lets parsing skip every longer or non-ASCII cell when looking for them.
pub const MAX_CODE_LEN: usize = 16;

/// The schema shipped inside the binary.
pub const DEFAULT_SCHEMA: &str = include_str!("../schema/default.toml");

/// What kind of value an indicator holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// A non-negative whole number, added up across units.
    Count,
    /// Free text, kept verbatim and shown unit by unit.
    Text,
}

/// One reported indicator.
#[derive(Debug, Clone, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub group: String,
    pub label: String,
    #[serde(default)]
    pub label_en: String,
    #[serde(default)]
    pub unit: String,
    pub kind: IndicatorKind,
    /// Unit types expected to report it; `ALL` for every type.
    pub applies_to: Vec<String>,
    #[serde(default, rename = "rule")]
    rule_text: Option<String>,
    #[serde(skip)]
    pub rule: Option<Rule>,
}

/// A rate the report computes from totals: `scale * numerator / denominator`.
#[derive(Debug, Clone, Deserialize)]
pub struct Derived {
    pub code: String,
    pub group: String,
    pub label: String,
    #[serde(default)]
    pub label_en: String,
    formula: String,
    #[serde(skip)]
    pub scale: f64,
    #[serde(skip)]
    pub numerator: String,
    #[serde(skip)]
    pub denominator: String,
}

/// A group heading (I–IX).
#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub code: String,
    pub label: String,
}

/// A unit type of the registry (`loai_hinh`).
#[derive(Debug, Clone, Deserialize)]
pub struct UnitType {
    pub code: String,
    pub label: String,
}

/// How bad a broken rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A comparison between two indicators of one submission (`HS02<=HS01`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub severity: Severity,
    pub left: String,
    pub op: Comparison,
    pub right: String,
}

/// The comparison of a [`Rule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Le,
    Lt,
    Ge,
    Gt,
    Eq,
}

/// The thresholds of screening (`collect::screening`, `docs/screening.md`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Screening {
    /// A change against the unit's earlier figure by this factor, either way…
    pub history_factor: f64,
    /// …when the two figures differ by at least this much.
    pub history_min_difference: u64,
    /// An exact ×10 or ÷10 is flagged when the larger figure is at least this.
    pub tenfold_min_value: u64,
    /// The modified z-score above which a figure is far above its peers.
    pub peer_z: f64,
    /// Fewer units of a type reporting an indicator: no comparison with peers.
    pub peer_min_units: usize,
    /// A figure this close to its peers' median is never flagged.
    pub peer_min_difference: u64,
    /// The floor of the peers' spread (MAD of ln(1+x)), so that identical peers
    /// do not make every other figure an outlier.
    pub peer_min_spread: f64,
}

/// A schema file without `[screening]` takes the default schema's thresholds:
/// they stay data, in one place.
fn default_screening() -> Screening {
    #[derive(Deserialize)]
    struct Part {
        screening: Screening,
    }
    toml::from_str::<Part>(DEFAULT_SCHEMA)
        .expect("the embedded schema has a valid [screening] table")
        .screening
}

#[derive(Debug, Deserialize)]
struct Deadlines {
    #[serde(rename = "H1")]
    first_half: String,
    #[serde(rename = "Y")]
    year: String,
}

/// The whole schema, checked and indexed.
#[derive(Debug, Deserialize)]
pub struct Schema {
    pub name: String,
    pub version: String,
    deadlines: Deadlines,
    pub unit_types: Vec<UnitType>,
    pub groups: Vec<Group>,
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub derived: Vec<Derived>,
    #[serde(default = "default_screening")]
    pub screening: Screening,
    #[serde(skip)]
    /// (code, index) sorted by code: a few dozen short codes are found faster by
    /// binary search than by hashing, and parsing looks one up for every code cell.
    by_code: Vec<(String, usize)>,
    #[serde(skip)]
    due_days: [(u32, u32); 2],
}

/// A schema that cannot be used; says where and why.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("không đọc được tệp cấu trúc biểu {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("tệp cấu trúc biểu {origin}, {message}")]
    Syntax { origin: String, message: String },
    #[error("tệp cấu trúc biểu {origin}: {message}")]
    Invalid { origin: String, message: String },
}

impl Schema {
    /// The schema embedded in the binary.
    pub fn builtin() -> Schema {
        Schema::parse(DEFAULT_SCHEMA, "(mặc định)").expect("the embedded schema is valid")
    }

    /// Loads a schema file.
    pub fn load(path: &Path) -> Result<Schema, SchemaError> {
        let text = std::fs::read_to_string(path).map_err(|source| SchemaError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Schema::parse(&text, &path.display().to_string())
    }

    /// Parses and checks a schema; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Schema, SchemaError> {
        let mut schema: Schema = toml::from_str(text).map_err(|e| SchemaError::Syntax {
            origin: origin.to_string(),
            message: crate::toml_error::describe(&e, text),
        })?;
        schema.index().map_err(|message| SchemaError::Invalid {
            origin: origin.to_string(),
            message,
        })?;
        Ok(schema)
    }

    fn index(&mut self) -> Result<(), String> {
        let sc = &self.screening;
        if !(sc.history_factor > 1.0 && sc.peer_z > 0.0 && sc.peer_min_spread > 0.0) {
            return Err(
                "[screening]: history_factor phải lớn hơn 1, peer_z và peer_min_spread phải lớn hơn 0"
                    .into(),
            );
        }
        self.due_days = [
            month_day(&self.deadlines.first_half)?,
            month_day(&self.deadlines.year)?,
        ];
        for (i, ind) in self.indicators.iter().enumerate() {
            let code = ind.code.trim().to_uppercase();
            if code.is_empty() {
                return Err(format!("chỉ tiêu thứ {} không có mã", i + 1));
            }
            if code.len() > MAX_CODE_LEN
                || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            {
                return Err(format!(
                    "mã chỉ tiêu '{code}' chỉ được gồm chữ cái không dấu, chữ số và '_', tối đa {MAX_CODE_LEN} ký tự"
                ));
            }
            match self
                .by_code
                .binary_search_by(|(c, _)| c.as_str().cmp(&code))
            {
                Ok(_) => return Err(format!("mã chỉ tiêu {code} bị trùng")),
                Err(at) => self.by_code.insert(at, (code.clone(), i)),
            }
            if !self.groups.iter().any(|g| g.code == ind.group) {
                return Err(format!(
                    "chỉ tiêu {code}: nhóm '{}' không có trong danh sách nhóm",
                    ind.group
                ));
            }
            for t in &ind.applies_to {
                if t != "ALL" && !self.unit_types.iter().any(|u| &u.code == t) {
                    return Err(format!(
                        "chỉ tiêu {code}: loại hình '{t}' không có trong danh sách loại hình"
                    ));
                }
            }
        }
        for ind in &mut self.indicators {
            ind.code = ind.code.trim().to_uppercase();
        }
        let rules: Vec<Option<Rule>> = self
            .indicators
            .iter()
            .map(|ind| match &ind.rule_text {
                Some(text) if !text.trim().is_empty() => self
                    .parse_rule(text)
                    .map(Some)
                    .map_err(|e| format!("chỉ tiêu {}: quy tắc '{text}': {e}", ind.code)),
                _ => Ok(None),
            })
            .collect::<Result<_, _>>()?;
        for (ind, rule) in self.indicators.iter_mut().zip(rules) {
            ind.rule = rule;
        }
        for d in &mut self.derived {
            let (scale, num, den) = parse_formula(&d.formula).ok_or_else(|| {
                format!(
                    "tỷ lệ {}: công thức '{}' phải có dạng 100*A/B",
                    d.code, d.formula
                )
            })?;
            d.scale = scale;
            d.numerator = num;
            d.denominator = den;
        }
        let derived_refs: Vec<(String, String)> = self
            .derived
            .iter()
            .flat_map(|d| {
                [
                    (d.code.clone(), d.numerator.clone()),
                    (d.code.clone(), d.denominator.clone()),
                ]
            })
            .collect();
        for (code, operand) in derived_refs {
            match self.indicator(&operand) {
                Some(ind) if ind.kind == IndicatorKind::Count => {}
                _ => {
                    return Err(format!(
                        "tỷ lệ {code}: '{operand}' không phải chỉ tiêu kiểu số"
                    ));
                }
            }
        }
        Ok(())
    }

    fn parse_rule(&self, text: &str) -> Result<Rule, String> {
        let (severity, expr) = text
            .split_once(':')
            .ok_or("thiếu mức độ (error: hoặc warning:)")?;
        let severity = match severity.trim() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            other => return Err(format!("mức độ '{other}' không hợp lệ")),
        };
        let ops = [
            ("<=", Comparison::Le),
            (">=", Comparison::Ge),
            ("==", Comparison::Eq),
            ("<", Comparison::Lt),
            (">", Comparison::Gt),
        ];
        let (sym, op) = ops
            .iter()
            .find(|(sym, _)| expr.contains(sym))
            .ok_or("thiếu phép so sánh")?;
        let (left, right) = expr.split_once(sym).ok_or("thiếu phép so sánh")?;
        let (left, right) = (left.trim().to_uppercase(), right.trim().to_uppercase());
        for side in [&left, &right] {
            if self.indicator(side).map(|i| i.kind) != Some(IndicatorKind::Count) {
                return Err(format!("'{side}' không phải chỉ tiêu kiểu số"));
            }
        }
        Ok(Rule {
            severity,
            left,
            op: *op,
            right,
        })
    }

    /// The indicator with this code (already upper-cased and trimmed).
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.position(code).map(|i| &self.indicators[i])
    }

    /// The codes of the count indicators, in schema order: the columns of every
    /// table of figures.
    pub fn count_codes(&self) -> Vec<&str> {
        self.indicators
            .iter()
            .filter(|i| i.kind == IndicatorKind::Count)
            .map(|i| i.code.as_str())
            .collect()
    }

    /// The position of an indicator in schema order (for stable sorting).
    pub fn position(&self, code: &str) -> Option<usize> {
        self.by_code
            .binary_search_by(|(c, _)| c.as_str().cmp(code))
            .ok()
            .map(|at| self.by_code[at].1)
    }

    /// The due date of a period (inclusive).
    pub fn due(&self, period: Period) -> NaiveDate {
        let (m, d) = match period.kind {
            PeriodKind::FirstHalf => self.due_days[0],
            PeriodKind::Year => self.due_days[1],
        };
        NaiveDate::from_ymd_opt(period.year, m, d)
            .or_else(|| NaiveDate::from_ymd_opt(period.year, m, 28))
            .expect("month and day were checked when the schema was loaded")
    }

    /// The label of a unit type, or the code itself when the schema lacks it.
    pub fn unit_type_label<'a>(&'a self, code: &'a str) -> &'a str {
        self.unit_types
            .iter()
            .find(|t| t.code == code)
            .map_or(code, |t| t.label.as_str())
    }
}

impl Indicator {
    /// Whether units of this type are expected to report it.
    pub fn applies_to(&self, unit_type: &str) -> bool {
        self.applies_to.iter().any(|t| t == "ALL" || t == unit_type)
    }
}

impl Comparison {
    /// Whether `left op right` holds.
    pub fn holds(self, left: u64, right: u64) -> bool {
        match self {
            Comparison::Le => left <= right,
            Comparison::Lt => left < right,
            Comparison::Ge => left >= right,
            Comparison::Gt => left > right,
            Comparison::Eq => left == right,
        }
    }

    /// The comparison in words, for messages a person reads ("không lớn hơn"
    /// rather than `<=`).
    pub fn words(self) -> &'static str {
        match self {
            Comparison::Le => "không lớn hơn",
            Comparison::Lt => "nhỏ hơn",
            Comparison::Ge => "không nhỏ hơn",
            Comparison::Gt => "lớn hơn",
            Comparison::Eq => "bằng",
        }
    }

    /// The symbol, as written in rules.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Le => "<=",
            Comparison::Lt => "<",
            Comparison::Ge => ">=",
            Comparison::Gt => ">",
            Comparison::Eq => "=",
        }
    }
}

fn month_day(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("hạn nộp '{text}' phải có dạng MM-DD (ví dụ 06-10)");
    let (m, d) = text.trim().split_once('-').ok_or_else(bad)?;
    let (m, d): (u32, u32) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    NaiveDate::from_ymd_opt(2024, m, d).ok_or_else(bad)?;
    Ok((m, d))
}

fn parse_formula(formula: &str) -> Option<(f64, String, String)> {
    let (scaled, den) = formula.split_once('/')?;
    let (scale, num) = match scaled.split_once('*') {
        Some((s, n)) => (s.trim().parse().ok()?, n),
        None => (1.0, scaled),
    };
    let clean = |s: &str| s.trim().to_uppercase();
    Some((scale, clean(num), clean(den)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_matches_the_contract() {
        let s = Schema::builtin();
        assert_eq!(s.indicators.len(), 29);
        assert_eq!(s.derived.len(), 5);
        assert_eq!(s.groups.len(), 9);
        let counts = s
            .indicators
            .iter()
            .filter(|i| i.kind == IndicatorKind::Count)
            .count();
        assert_eq!(counts, 26);
        let hs02 = s.indicator("HS02").unwrap();
        assert_eq!(
            hs02.rule,
            Some(Rule {
                severity: Severity::Error,
                left: "HS02".into(),
                op: Comparison::Le,
                right: "HS01".into()
            })
        );
        assert!(hs02.applies_to("UBND_XA"));
        assert!(!hs02.applies_to("DVSN"));
        assert!(s.indicator("VB01").unwrap().applies_to("KHAC"));
        let h1 = "2022-H1".parse().unwrap();
        assert_eq!(s.due(h1), NaiveDate::from_ymd_opt(2022, 6, 10).unwrap());
        assert_eq!(
            s.due("2022-Y".parse().unwrap()),
            NaiveDate::from_ymd_opt(2022, 11, 10).unwrap()
        );
        let hn03 = s.derived.iter().find(|d| d.code == "HN03").unwrap();
        assert_eq!(
            (
                hn03.scale,
                hn03.numerator.as_str(),
                hn03.denominator.as_str()
            ),
            (100.0, "HN02", "HN01")
        );
    }

    #[test]
    fn broken_schemas_say_what_is_wrong() {
        let base = DEFAULT_SCHEMA;
        let bad_deadline = base.replace("H1 = \"06-10\"", "H1 = \"06-31\"");
        let err = Schema::parse(&bad_deadline, "x.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("06-31"), "{err}");
        let bad_rule = base.replace("error:HN02<=HN01", "error:HN02<=ZZ99");
        let err = Schema::parse(&bad_rule, "x.toml").unwrap_err().to_string();
        assert!(err.contains("ZZ99"), "{err}");
        let err = Schema::parse("name = 1", "x.toml").unwrap_err().to_string();
        assert!(err.contains("x.toml"), "{err}");
    }

    #[test]
    fn screening_thresholds_are_data_with_the_default_for_older_files() {
        let s = Schema::builtin();
        assert_eq!(s.screening.history_factor, 10.0);
        assert_eq!(s.screening.peer_z, 3.5);
        let start = DEFAULT_SCHEMA.find("[screening]").unwrap();
        let without = &DEFAULT_SCHEMA[..start];
        assert_eq!(Schema::parse(without, "t").unwrap().screening, s.screening);
        let tuned = DEFAULT_SCHEMA.replace("peer_z = 3.5", "peer_z = 5.0");
        assert_eq!(Schema::parse(&tuned, "t").unwrap().screening.peer_z, 5.0);
        let broken = DEFAULT_SCHEMA.replace("history_factor = 10.0", "history_factor = 0.5");
        let err = Schema::parse(&broken, "t").unwrap_err().to_string();
        assert!(err.contains("history_factor"), "{err}");
    }

    #[test]
    fn deadlines_are_configurable() {
        let moved = DEFAULT_SCHEMA.replace("H1 = \"06-10\"", "H1 = \"06-15\"");
        let s = Schema::parse(&moved, "t").unwrap();
        assert_eq!(
            s.due("2024-H1".parse().unwrap()),
            NaiveDate::from_ymd_opt(2024, 6, 15).unwrap()
        );
    }
}
