//! Recognising what qcdc itself wrote, so that a report, long CSV or reminders
//! list lying among the inputs (`qcdc aggregate .` run twice) is skipped as such
//! and never read as a unit's submission.
//!
//! A workbook is known by its custom document property `qcdc`
//! (`docProps/custom.xml`, see `write::report::marker`); a CSV by its first line,
//! the exact header qcdc writes. Both are cheap: one small zip part, one line.

use crate::write::{long, reminders, report::marker};
use std::io::{Cursor, Read};
use std::path::Path;

/// Which of qcdc's outputs a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnOutput {
    Report,
    LongCsv,
    Reminders,
}

impl OwnOutput {
    /// Why the file is skipped, as the officer reads it.
    pub fn reason(self) -> &'static str {
        match self {
            OwnOutput::Report => {
                "tệp do qcdc tạo ra (biểu tổng hợp), không phải báo cáo của đơn vị"
            }
            OwnOutput::LongCsv => {
                "tệp do qcdc tạo ra (số liệu dạng dài), không phải báo cáo của đơn vị"
            }
            OwnOutput::Reminders => {
                "tệp do qcdc tạo ra (danh sách nhắc nộp), không phải báo cáo của đơn vị"
            }
        }
    }
}

/// The largest `docProps/custom.xml` looked into; qcdc's is a few hundred bytes.
const MAX_PROPERTIES: u64 = 64 * 1024;

/// Which of qcdc's outputs these bytes are, if any.
pub fn recognise(bytes: &[u8]) -> Option<OwnOutput> {
    if bytes.starts_with(b"PK\x03\x04") {
        return match workbook_kind(bytes)?.as_str() {
            marker::KIND_REPORT => Some(OwnOutput::Report),
            reminders::KIND => Some(OwnOutput::Reminders),
            _ => None,
        };
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.split(|&b| b == b'\n').next()?;
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    if first == long::HEADER.join(",").as_bytes() {
        Some(OwnOutput::LongCsv)
    } else if first.starts_with(reminders::HEADER[..5].join(",").as_bytes()) {
        Some(OwnOutput::Reminders)
    } else {
        None
    }
}

/// Which of qcdc's outputs the file at `path` is, if any (for an output about
/// to replace it).
pub fn recognise_file(path: &Path) -> Option<OwnOutput> {
    let limits = super::Limits::default();
    let file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    recognise(&super::file_bytes(file, size, &limits).ok()?)
}

/// The part holding the custom properties.
const PROPERTIES_PART: &str = "docProps/custom.xml";

/// How much of a zip's end is searched for that part's name: the central
/// directory of qcdc's own workbooks (a few dozen parts) is far smaller.
const DIRECTORY_TAIL: usize = 64 * 1024;

/// The value of the workbook's custom property `qcdc`.
fn workbook_kind(bytes: &[u8]) -> Option<String> {
    // Most submissions have no custom properties: the part's name, which the
    // central directory at the end of the zip spells out, is looked for first,
    // so that only workbooks that have one are opened a second time.
    let tail = &bytes[bytes.len().saturating_sub(DIRECTORY_TAIL)..];
    let name = PROPERTIES_PART.as_bytes();
    memchr::memmem::find(tail, name)?;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let part = archive.by_name(PROPERTIES_PART).ok()?;
    let mut xml = String::new();
    part.take(MAX_PROPERTIES).read_to_string(&mut xml).ok()?;
    property(&xml, marker::KIND)
}

/// The text of the custom property named `name`.
fn property(xml: &str, name: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut inside = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "property" => {
                inside = e
                    .try_get_attribute("name")
                    .ok()
                    .flatten()
                    .is_some_and(|a| &*a.value == name);
            }
            Event::Text(t) if inside => {
                return Some(t.trim().to_string());
            }
            Event::End(e) if e.local_name().as_ref() == "property" => inside = false,
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_outputs_are_known_by_their_header() {
        let long = format!(
            "{}\r\nS01,A,SO_NGANH,2022-H1,VB01,3\n",
            long::HEADER.join(",")
        );
        assert_eq!(recognise(long.as_bytes()), Some(OwnOutput::LongCsv));
        let list = format!("\u{feff}{}\n", reminders::HEADER.join(","));
        assert_eq!(recognise(list.as_bytes()), Some(OwnOutput::Reminders));
        assert_eq!(
            recognise(b"ma_don_vi;ky_bao_cao;VB01\nS01;6 thang;3\n"),
            None
        );
    }

    #[test]
    fn the_property_is_read_from_custom_xml() {
        let xml = r#"<?xml version="1.0"?><Properties xmlns="x" xmlns:vt="y"><property fmtid="{D}" pid="2" name="qcdc_ky"><vt:lpwstr>2022-H1</vt:lpwstr></property><property fmtid="{D}" pid="3" name="qcdc"><vt:lpwstr>tong-hop</vt:lpwstr></property></Properties>"#;
        assert_eq!(property(xml, "qcdc").as_deref(), Some("tong-hop"));
        assert_eq!(property(xml, "khac"), None);
    }
}
