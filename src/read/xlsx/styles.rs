//! The one thing of `styles.xml` a cell's value depends on: whether its number
//! format makes a number a date (or a duration). Fonts, fills, borders and the
//! theme, which calamine also builds, are skipped.
//!
//! The format tests are calamine 0.38's (`formats.rs`, MIT licence, Johann
//! Tuffe), copied because calamine keeps them private: a number must become a
//! date here exactly when it does there.

use super::{Fallback, Package, attr, attrs, decoded, next, xml};
use quick_xml::events::Event;
use std::collections::HashMap;

/// What a cell format makes of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    Other,
    DateTime,
    TimeDelta,
}

/// Each cell format's kind, by its index (the cell's `s` attribute).
pub fn read(package: &mut Package, xl_path: &str) -> Result<Vec<NumberKind>, Fallback> {
    let Some(bytes) = package.part(&format!("{xl_path}styles.xml"))? else {
        return Ok(Vec::new());
    };
    let mut xml = xml(&bytes)?;
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut kinds = Vec::new();
    loop {
        match next(&mut xml)? {
            Event::Start(e) if e.local_name().as_ref() == "numFmts" => loop {
                match next(&mut xml)? {
                    Event::Start(f) if f.local_name().as_ref() == "numFmt" => {
                        if let [Some(id), Some(code)] = attrs(&f, ["numFmtId", "formatCode"])? {
                            custom.insert(id.to_string(), decoded(code)?);
                        }
                    }
                    Event::End(f) if f.local_name().as_ref() == "numFmts" => break,
                    Event::Eof => return Err(Fallback("numFmts end")),
                    _ => {}
                }
            },
            Event::Start(e) if e.local_name().as_ref() == "cellXfs" => loop {
                match next(&mut xml)? {
                    Event::Start(x) if x.local_name().as_ref() == "xf" => {
                        kinds.push(attr(&x, "numFmtId")?.map_or(NumberKind::Other, |id| {
                            custom
                                .get(id)
                                .map_or_else(|| builtin(id), |code| custom_kind(code))
                        }));
                        attrs(&x, ["numFmtId", "fontId", "fillId", "borderId"])?;
                        xf_body(&mut xml)?;
                    }
                    Event::End(x) if x.local_name().as_ref() == "cellXfs" => break,
                    Event::Eof => return Err(Fallback("cellXfs end")),
                    _ => {}
                }
            },
            // calamine parses these records whole; their attributes must at
            // least scan as calamine scans them.
            Event::Start(e) => {
                for item in super::raw_attrs(&e) {
                    item?;
                }
            }
            Event::End(e) if e.local_name().as_ref() == "styleSheet" => break,
            Event::Eof => return Err(Fallback("styleSheet end")),
            _ => {}
        }
    }
    Ok(kinds)
}

/// The rest of an `xf` record, to its end, as calamine consumes it.
fn xf_body(xml: &mut super::Xml) -> Result<(), Fallback> {
    loop {
        match next(xml)? {
            Event::Start(c) => {
                for item in super::raw_attrs(&c) {
                    item?;
                }
            }
            Event::End(c) if c.local_name().as_ref() == "xf" => return Ok(()),
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
