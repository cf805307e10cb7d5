//! The one thing of `styles.xml` a cell's value depends on: whether its number
//! format makes a number a date (or a duration). Fonts, fills, borders and the
//! theme, which calamine also builds, are skipped.
//!
//! The format tests are calamine 0.38's (`formats.rs`, MIT licence, Johann
//! Tuffe), copied because calamine keeps them private: a number must become a
//! date here exactly when it does there.

use super::Fallback;
use super::package::Package;
use super::remembered::{self, Remembered};
use super::xml::{Event, Name, Tag, Xml, attrs, decoded, raw_attrs};
use std::cell::RefCell;
use std::collections::HashMap;

/// What a cell format makes of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    Other,
    DateTime,
    TimeDelta,
}

/// Each cell format's kind, by its index, from the package's `styles.xml`
/// (none without one). Forms of one template share their styles, the dearest
/// part of an Excel-saved form to read: read once per thread (`remembered.rs`).
pub fn of_package(package: &mut Package, xl_path: &str) -> Result<Vec<NumberKind>, Fallback> {
    thread_local! {
        static SEEN: RefCell<Remembered<Vec<NumberKind>>> = RefCell::default();
    }
    let path = format!("{xl_path}styles.xml");
    let id = package.identity(&path)?;
    remembered::reading(&SEEN, id, || match package.part(&path)? {
        Some(part) => tiered!(&part, |x| read(x)),
        None => Ok(Vec::new()),
    })
}

/// Each cell format's kind, by its index (the cell's `s` attribute), from
/// `styles.xml`.
pub fn read<'a>(xml: &mut impl Xml<'a>) -> Result<Vec<NumberKind>, Fallback> {
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut kinds = Vec::new();
    loop {
        match xml.next()? {
            Event::Start(e) if e.local() == "numFmts" => loop {
                match xml.next()? {
                    Event::Start(f) if f.local() == "numFmt" => {
                        let raw = f.attrs_raw();
                        if let [Some(id), Some(code)] = attrs(raw, ["numFmtId", "formatCode"])? {
                            custom.insert(id.to_string(), decoded(code)?);
                        }
                    }
                    Event::End(f) if f.local() == "numFmts" => break,
                    Event::Eof => return Err(Fallback("numFmts end")),
                    _ => {}
                }
            },
            Event::Start(e) if e.local() == "cellXfs" => loop {
                match xml.next()? {
                    Event::Start(x) if x.local() == "xf" => {
                        let kind = xf_format(x.attrs_raw())?.map_or(NumberKind::Other, |id| {
                            custom
                                .get(id)
                                .map_or_else(|| builtin(id), |code| custom_kind(code))
                        });
                        kinds.push(kind);
                        xf_body(xml)?;
                    }
                    Event::End(x) if x.local() == "cellXfs" => break,
                    Event::Eof => return Err(Fallback("cellXfs end")),
                    _ => {}
                }
            },
            // calamine parses these records whole; their attributes must at
            // least scan as calamine scans them.
            Event::Start(e) => {
                for item in raw_attrs(e.attrs_raw()) {
                    item?;
                }
            }
            Event::End(e) if e.local() == "styleSheet" => break,
            Event::Eof => return Err(Fallback("styleSheet end")),
            _ => {}
        }
    }
    Ok(kinds)
}

/// An `xf` record's number format: its first `numFmtId` (calamine's
/// `raw_attr`), its attributes scanned as far as calamine scans them, also on
/// to the fourth of `numFmtId`, `fontId`, `fillId` and `borderId` (its
/// `get_attrs!`), in one pass.
fn xf_format(raw: &str) -> Result<Option<&str>, Fallback> {
    let (mut format, mut found) = (None, 0);
    for item in raw_attrs(raw) {
        let (key, value) = item?;
        if key == "numFmtId" && format.is_none() {
            format = Some(value);
        }
        if matches!(key, "numFmtId" | "fontId" | "fillId" | "borderId") {
            found += 1;
        }
        if format.is_some() && found >= 4 {
            break;
        }
    }
    Ok(format)
}

/// The rest of an `xf` record, to its end, as calamine consumes it.
fn xf_body<'a>(xml: &mut impl Xml<'a>) -> Result<(), Fallback> {
    loop {
        match xml.next()? {
            Event::Start(c) => {
                for item in raw_attrs(c.attrs_raw()) {
                    item?;
                }
            }
            Event::End(c) if c.local() == "xf" => return Ok(()),
            Event::Eof => return Err(Fallback("xf end")),
            _ => {}
        }
    }
}

/// calamine's `detect_custom_number_format`: whether a format code shows a
/// date or time (its first section only).
fn custom_kind(format: &str) -> NumberKind {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return NumberKind::Other,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return NumberKind::TimeDelta,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return NumberKind::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return NumberKind::DateTime;
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    NumberKind::Other
}

/// calamine's `builtin_format_by_id`: the built-in formats that are dates
/// (the raw attribute, compared as text as calamine compares it).
fn builtin(id: &str) -> NumberKind {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" => {
            NumberKind::DateTime
        }
        "27" | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51"
        | "52" | "53" | "54" | "55" | "56" | "57" | "58" => NumberKind::DateTime,
        "46" => NumberKind::TimeDelta,
        _ => NumberKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One pass finds what calamine's two scans of an `xf` find, and fails
    /// where either fails.
    #[test]
    fn an_xf_is_scanned_as_far_as_calamine_scans_it() {
        use crate::read::xlsx::xml::attr;
        for raw in [
            r#" numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1""#,
            r#" numFmtId="14" numFmtId="0" fontId="0" fillId="0" x"#,
            r#" fontId="0" fontId="1" fillId="0" borderId="0" numFmtId="14""#,
            r#" fontId="0" fillId="0" borderId="0" numFmtId="3" x"#,
            r#" fontId="0" fillId="0" borderId="0" fontId="1" x"#,
            r#" numFmtId="3" x"#,
            r#" x numFmtId="3""#,
            r#" fontId="1""#,
            "",
        ] {
            let calamine = attr(raw, "numFmtId").and_then(|id| {
                attrs(raw, ["numFmtId", "fontId", "fillId", "borderId"]).map(|_| id)
            });
            assert_eq!(xf_format(raw), calamine, "{raw}");
        }
    }

    /// Cases from calamine's own test of the detection this copies.
    #[test]
    fn date_formats_are_told_as_calamine_tells_them() {
        use NumberKind::*;
        for (code, kind) in [
            ("DD/MM/YY", DateTime),
            ("H:MM:SS;@", DateTime),
            ("#,##0\\ [$\\u20bd-46D]", Other),
            ("m\"M\"d\"D\";@", DateTime),
            ("[h]:mm:ss", TimeDelta),
            ("\"$\"#,##0_);[Red](\"$\"#,##0)", Other),
            ("[$-404]e\"\\xfc\"m\"\\xfc\"d\"\\xfc\"", DateTime),
            ("0_ ;[Red]\\-0\\ ", Other),
            ("\\Y000000", Other),
            ("[Blue]\\+[h]:mm;[Red]\\-[h]:mm;[Green][h]:mm", TimeDelta),
            ("[>=100][Magenta].00", Other),
            ("ha/p\\\\m", DateTime),
            ("#,##0*y", Other),
            ("*-yyyy-mm-dd", DateTime),
            ("dd/mm/yyyy", DateTime),
            ("#,##0", Other),
        ] {
            assert_eq!(custom_kind(code), kind, "{code}");
        }
        assert_eq!(builtin("14"), DateTime);
        assert_eq!(builtin("46"), TimeDelta);
        assert_eq!(builtin("3"), Other);
    }
}
