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
//!
//! Parts are inflated in one shot (`package.rs`). Each part reader (`sheet.rs`,
//! `text.rs`, `styles.rs`, `workbook.rs`) is written once against an event
//! source (`xml.rs`) and runs first on the byte scanner's events (`scan.rs`),
//! which checks a part's UTF-8 once and gives the very events quick-xml would;
//! where the scanner meets XML it does not follow to the byte it gives up, and
//! the reader runs again on quick-xml's events. So: scanner, then quick-xml,
//! then calamine. `tests/xlsx_reader.rs` and the `xlsx_scanner` fuzz target
//! hold the scanner to quick-xml, as the rest holds this reader to calamine.

/// A part read by `$read`, an expression of `$x: &mut impl Xml`: on the byte
/// scanner's events, and a closure that reads it on quick-xml's.
macro_rules! tiers {
    ($bytes:expr, |$x:ident| $read:expr) => {{
        let bytes: &[u8] = $bytes;
        let scanned = $crate::read::xlsx::scan::Scanner::new(bytes).and_then(|mut $x| {
            let $x = &mut $x;
            $read
        });
        let quick = || {
            $crate::read::xlsx::xml::QuickXml::new(bytes).and_then(|mut $x| {
                let $x = &mut $x;
                $read
            })
        };
        (scanned, quick)
    }};
}

/// A part read on the byte scanner's events, or on quick-xml's where the
/// scanner gives up.
macro_rules! tiered {
    ($bytes:expr, |$x:ident| $read:expr) => {{
        let (scanned, quick) = tiers!($bytes, |$x| $read);
        match scanned {
            Err(e) if e == $crate::read::xlsx::scan::GIVE_UP => quick(),
            read => read,
        }
    }};
}

mod package;
mod remembered;
mod scan;
mod sheet;
mod styles;
mod text;
mod workbook;
mod xml;

use super::{Limits, Workbook};
use package::Package;

/// Why the fast reader handed a file to calamine (for tests and debugging; the
/// officer never sees it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback(pub &'static str);

/// Reads a workbook, or says why calamine must.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Workbook, Fallback> {
    let mut package = Package::open(bytes, limits)?;
    let book = workbook::read(&mut package)?;
    let strings = match package.part(&format!("{}sharedStrings.xml", book.xl_path))? {
        Some(part) => tiered!(&part, |x| text::shared_strings(x))?,
        None => Vec::new(),
    };
    let formats = styles::of_package(&mut package, &book.xl_path)?;
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
        // Scanned only to the end of its cells, where calamine stops reading a
        // sheet, and inflated only 8 KB (calamine's read-ahead) beyond: the
        // merged cells, validations and page setup that follow run to 8-33 KB
        // in a form's main sheet, while a short sheet is inflated whole. A cut
        // that was not that end (the same bytes inside a comment or an
        // attribute) leaves a part that does not read, and the whole part is
        // read then.
        let (part, cut) = package
            .part_until(path, sheet::end_of_cells)?
            .ok_or(Fallback("sheet part missing"))?;
        let (cells, formulas) = match tiered!(&part, |x| sheet::read(x, &cells)) {
            Err(_) if cut => {
                let whole = package.part(path)?.ok_or(Fallback("sheet part missing"))?;
                tiered!(&whole, |x| sheet::read(x, &cells))?
            }
            read => read?,
        };
        workbook.sheets.push(super::Sheet {
            name: entry.name.clone(),
            cells,
            hidden: entry.hidden,
            formulas,
        });
    }
    Ok(workbook)
}

/// One reader's reading of a part on the scanner's events (`None` where it
/// gave up) and on quick-xml's, as text: where the scanner reads, the two must
/// be the same.
#[doc(hidden)]
#[derive(Debug)]
pub struct Tiers {
    pub reader: &'static str,
    pub scanner: Option<String>,
    pub quick_xml: String,
}

/// A part read by every reader on both tiers (a sheet with 65,536 shared
/// strings and a few date formats, a workbook whose `rId1` to `rId3` are
/// worksheets and `rId4` a chart), for the differential tests and the
/// `xlsx_scanner` fuzz target.
#[doc(hidden)]
pub fn tiers(part: &[u8]) -> Vec<Tiers> {
    use styles::NumberKind::{DateTime, Other, TimeDelta};
    static STRINGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let strings = STRINGS.get_or_init(|| (0..1 << 16).map(|i| format!("s{i}")).collect());
    let formats = [Other, DateTime, Other, TimeDelta].repeat(16);
    let limits = Limits::default();
    let ctx = sheet::Context {
        strings,
        formats: &formats,
        is_1904: false,
        limits: &limits,
    };
    let kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    let rels: workbook::Relationships = (1..=4)
        .map(|i| {
            let what = if i == 4 { "chartsheet" } else { "worksheet" };
            let target = (format!("worksheets/sheet{i}.xml"), format!("{kind}{what}"));
            (format!("rId{i}"), target)
        })
        .collect();
    let sorted = |rels: workbook::Relationships| {
        let mut rels: Vec<_> = rels.into_iter().collect();
        rels.sort();
        rels
    };
    macro_rules! both {
        ($reader:expr, |$x:ident| $read:expr) => {{
            let (scanned, quick) = tiers!(part, |$x| $read);
            Tiers {
                reader: $reader,
                scanner: match scanned {
                    Err(e) if e == scan::GIVE_UP => None,
                    read => Some(format!("{read:?}")),
                },
                quick_xml: format!("{:?}", quick()),
            }
        }};
    }
    vec![
        both!("sheet", |x| sheet::read(x, &ctx)),
        both!("shared strings", |x| text::shared_strings(x)),
        both!("styles", |x| styles::read(x)),
        both!("workbook", |x| workbook::workbook(x, &rels, "xl/")),
        both!("package relationships", |x| workbook::office_document(x)),
        both!("relationships", |x| workbook::relationships(x).map(sorted)),
    ]
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
    use std::io::{Cursor, Write};

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

    /// A sheet is read to the end of its cells: what follows, read by neither
    /// this reader nor calamine, does not matter, and the same bytes earlier in
    /// a comment or an attribute do not cut the cells short.
    #[test]
    fn a_sheet_is_read_to_the_end_of_its_cells() {
        let sheet = |cells: &str, tail: &str| {
            let sheet = format!(
                r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c></row>{cells}</sheetData>{tail}"#
            );
            package(&[
                ("_rels/.rels", RELS),
                (
                    "xl/workbook.xml",
                    r#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
                ),
                (
                    "xl/_rels/workbook.xml.rels",
                    r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
                ),
                ("xl/worksheets/sheet1.xml", &sheet),
            ])
        };
        let second = r#"<row r="2"><c r="A2"><v>7</v></c></row>"#;
        let limits = Limits::default();
        let values = |bytes: &[u8]| {
            let wb = read(bytes, &limits).unwrap();
            let reference =
                crate::read::read_bytes_with_calamine(bytes, "a.xlsx".as_ref(), &limits).unwrap();
            assert_eq!(wb.sheets[0].cells, reference.sheets[0].cells);
            wb.sheets[0]
                .cells
                .iter()
                .map(|c| c.value.display())
                .collect::<Vec<_>>()
        };
        // A tail that is not even XML, as calamine never reads it.
        assert_eq!(values(&sheet(second, "<mergeCells><<<&&")), ["Mã", "7"]);
        // The end's bytes in a comment and in an attribute before the real end.
        let comment = format!("<!-- </sheetData> -->{second}");
        assert_eq!(values(&sheet(&comment, "</worksheet>")), ["Mã", "7"]);
        let attribute = r#"<row r="2" x:a="</sheetData>"><c r="A2"><v>7</v></c></row>"#;
        assert_eq!(values(&sheet(attribute, "</worksheet>")), ["Mã", "7"]);
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
