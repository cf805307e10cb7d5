//! A fast reader for `.xlsx` / `.xlsm`, with calamine as its reference.
//!
//! calamine opening a workbook builds every font, fill, border and theme colour
//! and a case-folded index of the package, and streams each part through a
//! buffered inflater: most of a form's reading time, for nothing a form needs.
//! This reader inflates each part once and walks its XML borrowed, reading only
//! what decides a cell's value: the sheet list and its relationships, shared
//! strings, the number formats that make a number a date, and the sheets.
//!
//! It follows calamine 0.38 event for event (same XML configuration, same
//! attribute scanning, same string trimming, same date conversion), so a file it
//! accepts reads exactly as calamine reads it; `tests/xlsx_reader.rs` holds the
//! two to that on every fixture. Whatever it does not follow to the letter it
//! refuses with a [`Fallback`], and the file goes to calamine, which then also
//! words every error and note: a part that is not UTF-8, a malformed XML event,
//! a cell reference or index calamine would reject or read loosely, an
//! `_xHHHH_` escape, a sheet that is not a worksheet, a sheet over the cell
//! limit. The 1904 date system needs nothing special: dates are converted by
//! calamine's own `ExcelDateTime`. The package's zip-bomb and size limits were
//! checked when the format was sniffed.

mod sheet;
mod styles;
mod text;
mod workbook;

use super::{Limits, Workbook};
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// Why the fast reader handed a file to calamine (for tests and debugging; the
/// officer never sees it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback(pub &'static str);

type Xml<'a> = quick_xml::Reader<&'a [u8]>;
type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Reads a workbook, or says why calamine must.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Workbook, Fallback> {
    let mut package = Package::open(bytes, limits)?;
    let book = workbook::read(&mut package)?;
    let strings = text::shared_strings(&mut package, &book.xl_path)?;
    let formats = styles::read(&mut package, &book.xl_path)?;
    let mut workbook = Workbook {
        recalc: book.recalc,
        ..Workbook::default()
    };
    let cells = sheet::Context {
        strings: &strings,
        formats: &formats,
        is_1904: book.is_1904,
        limits,
    };
    for entry in &book.sheets {
        // calamine finds a sheet by its name: a repeated name reads the first.
        let path = &book
            .sheets
            .iter()
            .find(|s| s.name == entry.name)
            .unwrap_or(entry)
            .path;
        let part = package.part(path)?.ok_or(Fallback("sheet part missing"))?;
        let (cells, formulas) = sheet::read(&part, &cells)?;
        workbook.sheets.push(super::Sheet {
            name: entry.name.clone(),
            cells,
            hidden: entry.hidden,
            formulas,
        });
    }
    Ok(workbook)
}

/// The zip package, its parts found as calamine finds them.
struct Package<'a> {
    zip: Zip<'a>,
    /// Most bytes one part may inflate to, whatever its header declares.
    max_part: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], limits: &Limits) -> Result<Package<'a>, Fallback> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Fallback("zip"))?;
        Ok(Package {
            zip,
            max_part: limits.max_unzipped_bytes,
        })
    }

    /// A part's bytes, found as calamine finds it (case-insensitively, `\` as
    /// `/`, the last of equals winning); `None` if there is no such part.
    fn part(&mut self, path: &str) -> Result<Option<Vec<u8>>, Fallback> {
        let mut name = path.to_string();
        for entry in self.zip.file_names() {
            let entry = entry.map_err(|_| Fallback("zip name"))?;
            if same_part(&entry, path) {
                name = entry.into_owned();
            }
        }
        let file = match self.zip.by_name(&name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(_) => return Err(Fallback("zip part")),
        };
        let mut bytes = Vec::with_capacity(file.size().min(64 << 20) as usize);
        file.take(self.max_part.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|_| Fallback("zip part inflate"))?;
        if bytes.len() as u64 > self.max_part {
            return Err(Fallback("part larger than the limit"));
        }
        Ok(Some(bytes))
    }
}

/// Whether a zip entry's name is this part's path once `\` reads as `/` and
/// case is folded, as calamine compares them.
fn same_part(entry: &str, path: &str) -> bool {
    let slash = |b: u8| if b == b'\\' { b'/' } else { b };
    entry.len() == path.len()
        && entry
            .bytes()
            .zip(path.bytes())
            .all(|(a, b)| slash(a).eq_ignore_ascii_case(&b))
}

/// An XML reader configured as calamine configures its own.
fn xml(bytes: &[u8]) -> Result<Xml<'_>, Fallback> {
    // A UTF-16 part is decoded by calamine's buffered reader; not here.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Fallback("UTF-16 part"));
    }
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    Ok(reader)
}

/// The next XML event; a malformed one, or a declaration of an encoding other
/// than UTF-8, sends the file to calamine.
fn next<'a>(xml: &mut Xml<'a>) -> Result<Event<'a>, Fallback> {
    match xml.read_event() {
        Ok(Event::Decl(decl)) => match decl.encoding() {
            Some(Ok(enc)) if !enc.eq_ignore_ascii_case("utf-8") => Err(Fallback("encoding")),
            Some(Err(_)) => Err(Fallback("xml declaration")),
            _ => Ok(Event::Decl(decl)),
        },
        Ok(event) => Ok(event),
        Err(_) => Err(Fallback("xml")),
    }
}

/// Skips to the end of the element just started.
fn skip(xml: &mut Xml, start: &BytesStart) -> Result<(), Fallback> {
    xml.read_to_end(start.name())
        .map(|_| ())
        .map_err(|_| Fallback("xml"))
}

/// An element's attributes, raw, scanned exactly as calamine's `RawAttrIter`
/// scans them (calamine decodes only names and format codes).
fn raw_attrs<'e>(e: &'e BytesStart) -> impl Iterator<Item = Result<(&'e str, &'e str), Fallback>> {
    let raw = e.attributes_raw();
    let bytes = raw.as_bytes();
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let len = bytes.len();
        while pos < len && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= len {
            return None;
        }
        let key_start = pos;
        while pos < len && bytes[pos] != b'=' {
            pos += 1;
        }
        if pos >= len {
            pos = len;
            return Some(Err(Fallback("attribute")));
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < len && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = match bytes.get(pos) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                pos = len;
                return Some(Err(Fallback("attribute")));
            }
        };
        pos += 1;
        let start = pos;
        while pos < len && bytes[pos] != quote {
            pos += 1;
        }
        let value = &raw[start..pos];
        if pos < len {
            pos += 1;
        }
        Some(Ok((key, value)))
    })
}

/// The raw values of the named attributes, as calamine's `get_attrs!` finds
/// them (it stops scanning once it has counted as many matches as names).
fn attrs<'e, const N: usize>(
    e: &'e BytesStart,
    names: [&str; N],
) -> Result<[Option<&'e str>; N], Fallback> {
    let mut found = [None; N];
    let mut count = 0;
    for item in raw_attrs(e) {
        let (key, value) = item?;
        if let Some(i) = names.iter().position(|n| *n == key) {
            found[i] = Some(value);
            count += 1;
        }
        if count == N {
            break;
        }
    }
    Ok(found)
}

/// One raw attribute (calamine's `raw_attr`: the first of that name).
fn attr<'e>(e: &'e BytesStart, name: &str) -> Result<Option<&'e str>, Fallback> {
    for item in raw_attrs(e) {
        let (key, value) = item?;
        if key == name {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// An attribute value with XML escapes resolved (calamine's `decode_attr`).
fn decoded(value: &str) -> Result<String, Fallback> {
    quick_xml::escape::unescape(value)
        .map(|v| v.into_owned())
        .map_err(|_| Fallback("attribute escape"))
}

/// Appends what an entity reference stands for, as calamine resolves it.
fn push_entity(entity: &quick_xml::events::BytesRef, out: &mut String) -> Result<(), Fallback> {
    if let Some(text) = quick_xml::escape::resolve_xml_entity(entity.as_ref()) {
        out.push_str(text);
        return Ok(());
    }
    match entity.resolve_char_ref() {
        Ok(Some(c)) => {
            out.push(c);
            Ok(())
        }
        _ => Err(Fallback("entity")),
    }
}

/// A whole number written as plain digits, as calamine's integer parser reads
/// it; anything else (a sign, a space, an overflow) it reads its own way.
fn plain_index(value: &str) -> Result<usize, Fallback> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Fallback("index"));
    }
    value.parse().map_err(|_| Fallback("index"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{CellValue, Recalc};
    use std::io::Write;

    /// A package of these parts, deflated.
    fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    const RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

    fn workbook(sheets: &str, calc: &str) -> Vec<u8> {
        let sheet_rel = |i: u32| {
            format!(
                r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#
            )
        };
        let book_rels = format!(
            "<Relationships>{}{}{}</Relationships>",
            sheet_rel(1),
            sheet_rel(2),
            sheet_rel(3)
        );
        let book = format!(
            r#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets>{calc}</workbook>"#
        );
        let sheet1 = r#"<worksheet><sheetData><row r="2"><c r="A2" t="inlineStr"><is><t> Mã </t></is></c><c r="B2"><f>1+1</f><v>2</v></c><c r="C2"><f t="shared" ref="C2:C3" si="0">B2*2</f><v>4</v></c></row><row r="3"><c r="C3"><f t="shared" si="0"/><v>0</v></c></row></sheetData></worksheet>"#;
        let empty = "<worksheet><sheetData/></worksheet>";
        package(&[
            ("_rels/.rels", RELS),
            ("xl/workbook.xml", &book),
            ("xl/_rels/workbook.xml.rels", &book_rels),
            ("xl/worksheets/sheet1.xml", sheet1),
            ("xl/worksheets/sheet2.xml", empty),
            ("xl/worksheets/sheet3.xml", empty),
        ])
    }

    #[test]
    fn sheet_order_hidden_state_and_recalculation_flags_are_read() {
        let bytes = workbook(
            r#"<sheet name="Biểu" sheetId="1" r:id="rId1"/><sheet name="Ẩn" sheetId="2" state="hidden" r:id="rId2"/><sheet name="Rất ẩn" sheetId="3" state="veryHidden" r:id="rId3"/>"#,
            r#"<calcPr calcId="191029" fullCalcOnLoad="1" calcMode="manual"/>"#,
        );
        let wb = read(&bytes, &Limits::default()).unwrap();
        let sheets: Vec<_> = wb
            .sheets
            .iter()
            .map(|s| (s.name.as_str(), s.hidden))
            .collect();
        assert_eq!(sheets, [("Biểu", false), ("Ẩn", true), ("Rất ẩn", true)]);
        assert_eq!(
            wb.recalc,
            Recalc {
                full_calc_on_load: true,
                manual: true
            }
        );
        let cells = &wb.sheets[0].cells;
        // Trimmed, as calamine trims text without `xml:space="preserve"`.
        assert_eq!(cells[0].value, CellValue::Text("Mã".into()));
        assert_eq!((cells[1].row, cells[1].col), (1, 1));
        assert_eq!(cells[1].value, CellValue::Number(2.0));
        // A shared formula's cell gets its anchor's formula, moved.
        let formulas: Vec<_> = wb.sheets[0]
            .formulas
            .iter()
            .map(|f| (crate::read::a1(f.row, f.col), f.formula.as_str()))
            .collect();
        assert_eq!(
            formulas,
            [
                ("B2".into(), "1+1"),
                ("C2".into(), "B2*2"),
                ("C3".into(), "B3*2")
            ]
        );
        let automatic = workbook(
            r#"<sheet name="A" sheetId="1" r:id="rId1"/>"#,
            r#"<calcPr calcId="191029"/>"#,
        );
        assert_eq!(
            read(&automatic, &Limits::default()).unwrap().recalc,
            Recalc::default()
        );
    }

    #[test]
    fn what_calamine_reads_its_own_way_is_left_to_it() {
        let chart = workbook(
            r#"<sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B" sheetId="2" state="odd" r:id="rId2"/>"#,
            "",
        );
        assert_eq!(
            read(&chart, &Limits::default()).unwrap_err(),
            Fallback("sheet state")
        );
        let few = Limits {
            max_cells_per_sheet: 1,
            ..Limits::default()
        };
        let bytes = workbook(r#"<sheet name="A" sheetId="1" r:id="rId1"/>"#, "");
        assert_eq!(read(&bytes, &few).unwrap_err(), Fallback("cell limit"));
        assert!(text::no_excel_escape("a_x000D_b").is_err());
        assert!(text::no_excel_escape("a_x00b").is_ok());
    }
}
