//! The workbook's calculation settings, `<calcPr>` in `xl/workbook.xml` of an
//! `.xlsx`/`.xlsm`: whether stored formula results can be trusted at all.
//! Read only when a sheet holds a formula, so a workbook without any costs
//! nothing; a part that cannot be read leaves the defaults (results trusted).

use super::Recalc;
use quick_xml::events::Event;
use std::io::{BufReader, Cursor, Read};

/// `xl/workbook.xml` is a few kilobytes; more is not a workbook part to scan.
const MAX_PART_BYTES: u64 = 16 * 1024 * 1024;

pub fn xlsx(bytes: &[u8]) -> Recalc {
    let mut recalc = Recalc::default();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return recalc;
    };
    let Ok(part) = zip.by_name("xl/workbook.xml") else {
        return recalc;
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part.take(MAX_PART_BYTES)));
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "calcPr" => {
                for a in e.attributes().flatten() {
                    let value = a.value.as_ref();
                    match a.key.local_name().as_ref() {
                        "fullCalcOnLoad" => {
                            recalc.full_calc_on_load = matches!(value, "1" | "true")
                        }
                        "calcMode" => recalc.manual = value == "manual",
                        _ => {}
                    }
                }
                return recalc;
            }
            Ok(Event::Eof) | Err(_) => return recalc,
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn xlsx_with(workbook_xml: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(workbook_xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn calculation_flags_are_read() {
        let wb = |calc: &str| {
            xlsx(&xlsx_with(&format!(
                r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/>{calc}</workbook>"#
            )))
        };
        assert_eq!(wb(""), Recalc::default());
        assert_eq!(wb(r#"<calcPr calcId="191029"/>"#), Recalc::default());
        assert_eq!(
            wb(r#"<calcPr calcId="124519" fullCalcOnLoad="1"/>"#),
            Recalc {
                full_calc_on_load: true,
                manual: false
            }
        );
        assert_eq!(
            wb(r#"<calcPr calcMode="manual" calcId="191029"/>"#),
            Recalc {
                full_calc_on_load: false,
                manual: true
            }
        );
        assert_eq!(xlsx(b"not a zip"), Recalc::default());
    }
}
