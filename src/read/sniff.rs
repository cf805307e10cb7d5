//! Deciding what a file really is from its first bytes.
//!
//! Extensions lie: web portals export HTML or tab-separated text as `.xls`,
//! Excel 2003 saved "XML Spreadsheet" files keep `.xls`, and an encrypted `.xlsx`
//! is an OLE compound file, not a zip. Each gets a precise answer here, before
//! any parser sees the bytes.

use super::{Limits, ReadError};
use std::io::Cursor;
use std::path::Path;

/// A readable format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Office Open XML (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97–2003 (`.xls`, BIFF in an OLE container).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
    /// Delimited text.
    Csv,
    /// A Word document (`.docx`) holding the form as paragraphs and a table.
    Docx,
}

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The format an extension promises, if it is one we read.
pub fn extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" => Some(Format::Xlsx),
        "xlsb" => Some(Format::Xlsb),
        "xls" => Some(Format::Xls),
        "ods" => Some(Format::Ods),
        "csv" => Some(Format::Csv),
        "docx" => Some(Format::Docx),
        _ => None,
    }
}

/// The format of these bytes, or why they cannot be a submission.
pub fn detect(bytes: &[u8], path: &Path, limits: &Limits) -> Result<Format, ReadError> {
    let promised = extension(path);
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_format(bytes, limits);
    }
    if bytes.starts_with(CFB_MAGIC) {
        return cfb_format(bytes);
    }
    if promised == Some(Format::Csv) {
        return Ok(Format::Csv);
    }
    if let Some(kind) = markup_kind(bytes) {
        return Err(kind);
    }
    if looks_like_old_biff(bytes) {
        return Err(ReadError::NotSpreadsheet(
            "bảng tính Excel 2.x–4.0 quá cũ; hãy mở bằng Excel rồi lưu lại dạng .xlsx".into(),
        ));
    }
    if let Some(named) = named_by_content(bytes) {
        return Err(ReadError::NotSpreadsheet(named.into()));
    }
    if looks_like_text(bytes) {
        // A "spreadsheet" that is really delimited text (a common portal export).
        return Ok(Format::Csv);
    }
    Err(ReadError::NotSpreadsheet(match promised {
        Some(_) => "nội dung không khớp với định dạng bảng tính nào (có thể tệp bị hỏng)".into(),
        None => "không nhận ra định dạng".into(),
    }))
}

/// Zip containers: tell xlsx, xlsb and ods apart by their parts, and refuse zip
/// bombs before any part is inflated.
fn zip_format(bytes: &[u8], limits: &Limits) -> Result<Format, ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(format!("cấu trúc tệp nén (zip) bên trong bị hỏng, thường do tải về hoặc sao chép chưa xong; hãy đề nghị đơn vị gửi lại tệp (chi tiết: {e})")))?;
    limits.check_zip(&mut archive)?;
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("xl/workbook.xml") || has("[Content_Types].xml") && !has("word/document.xml") {
        Ok(Format::Xlsx)
    } else if has("content.xml") || has("mimetype") {
        Ok(Format::Ods)
    } else if has("word/document.xml") {
        Ok(Format::Docx)
    } else if has("ppt/presentation.xml") {
        Err(ReadError::NotSpreadsheet(
            "bản trình chiếu PowerPoint".into(),
        ))
    } else {
        Err(ReadError::NotSpreadsheet(
            "tệp nén zip không chứa bảng tính".into(),
        ))
    }
}

/// OLE compound files: legacy `.xls`, or an encrypted OOXML package.
fn cfb_format(bytes: &[u8]) -> Result<Format, ReadError> {
    if contains_utf16(bytes, "EncryptedPackage") || contains_utf16(bytes, "EncryptionInfo") {
        return Err(ReadError::Encrypted);
    }
    if contains_utf16(bytes, "WordDocument") {
        return Err(ReadError::NotSpreadsheet(WORD_97.into()));
    }
    Ok(Format::Xls)
}

fn contains_utf16(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    memchr::memmem::find(bytes, &needle).is_some()
}

// Files that are named for what they are, and not read: what units send
// instead of a spreadsheet, each with the step the officer should take.

const WORD_97: &str =
    "tệp Word 97–2003 (.doc): không đọc được số liệu; hãy đề nghị đơn vị gửi bản .docx hoặc .xlsx";
const PDF: &str = "tệp PDF: không đọc được số liệu; hãy đề nghị đơn vị gửi bảng tính (.xlsx)";
const RAR: &str = "tệp nén RAR: chưa mở được; hãy giải nén bằng WinRAR/7-Zip rồi đưa các tệp bên trong vào thư mục, hoặc đề nghị đơn vị gửi .zip";
const SEVEN_ZIP: &str = "tệp nén 7z: chưa mở được; hãy giải nén bằng 7-Zip rồi đưa các tệp bên trong vào thư mục, hoặc đề nghị đơn vị gửi .zip";
const OUTLOOK: &str = "thư lưu từ Outlook (.msg): chưa mở được; hãy mở thư bằng Outlook, lưu tệp đính kèm vào thư mục, hoặc lưu thư dạng .eml";
const IMAGE: &str =
    "ảnh chụp: không đọc được số liệu từ ảnh; hãy đề nghị đơn vị gửi bảng tính (.xlsx)";

/// What a file is, by its first bytes, when it is something units send instead
/// of a spreadsheet that cannot be read: the message says what to do.
pub fn named_by_content(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(1024)];
    let at = |offset: usize, magic: &[u8]| head.get(offset..).is_some_and(|h| h.starts_with(magic));
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Some(PDF);
    }
    if at(0, b"Rar!\x1a\x07") {
        return Some(RAR);
    }
    if at(0, b"7z\xbc\xaf\x27\x1c") {
        return Some(SEVEN_ZIP);
    }
    if bytes.starts_with(CFB_MAGIC) && contains_utf16(bytes, "WordDocument") {
        return Some(WORD_97);
    }
    if bytes.starts_with(CFB_MAGIC) && contains_utf16(bytes, "__substg1.0_") {
        return Some(OUTLOOK);
    }
    let heif = at(4, b"ftyp")
        && [
            &b"heic"[..],
            b"heix",
            b"heif",
            b"mif1",
            b"msf1",
            b"hevc",
            b"avif",
        ]
        .iter()
        .any(|brand| at(8, brand));
    let image = at(0, b"\x89PNG\r\n\x1a\n")
        || at(0, b"\xff\xd8\xff")
        || at(0, b"GIF87a")
        || at(0, b"GIF89a")
        || at(0, b"II*\0")
        || at(0, b"MM\0*")
        || at(0, b"RIFF") && at(8, b"WEBP")
        || at(0, b"BM") && head.len() > 26 && at(6, b"\0\0\0\0")
        || heif;
    image.then_some(IMAGE)
}

/// What a file's extension says it is, among the kinds named above: for
/// listing what a mail held (`ảnh chụp a.jpg`).
pub fn named_by_extension(name: &str) -> Option<&'static str> {
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => "tệp PDF",
        "doc" => "tệp Word 97–2003",
        "rar" | "7z" => "tệp nén",
        "png" | "jpg" | "jpeg" | "gif" | "heic" | "heif" | "tif" | "tiff" | "bmp" | "webp" => {
            "ảnh chụp"
        }
        _ => return None,
    })
}

/// HTML or XML disguised as a spreadsheet.
fn markup_kind(bytes: &[u8]) -> Option<ReadError> {
    let head = &bytes[..bytes.len().min(4096)];
    let text = decode_head(head)?;
    let lower = text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .to_ascii_lowercase();
    if !lower.starts_with('<') {
        return None;
    }
    if lower.contains("urn:schemas-microsoft-com:office:spreadsheet")
        || lower.contains("<?mso-application progid=\"excel.sheet\"?>")
    {
        return Some(ReadError::SpreadsheetXml);
    }
    if [
        "<html",
        "<!doctype html",
        "<table",
        "<meta",
        "<head",
        "<body",
    ]
    .iter()
    .any(|t| lower.contains(t))
    {
        return Some(ReadError::Html);
    }
    Some(ReadError::NotSpreadsheet(
        "tệp XML/văn bản đánh dấu, không phải bảng tính".into(),
    ))
}

/// The start of a file as text, whichever of UTF-8 or UTF-16 it is in.
fn decode_head(head: &[u8]) -> Option<String> {
    if head.starts_with(&[0xFF, 0xFE]) {
        let (t, _, _) = encoding_rs::UTF_16LE.decode(head);
        return Some(t.into_owned());
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        let (t, _, _) = encoding_rs::UTF_16BE.decode(head);
        return Some(t.into_owned());
    }
    Some(String::from_utf8_lossy(head).into_owned())
}

/// BIFF2–4 worksheets start with a BOF record (0x0009, 0x0209, 0x0409) outside
/// any OLE container; calamine reads only BIFF5/8 in OLE.
fn looks_like_old_biff(bytes: &[u8]) -> bool {
    bytes.len() >= 4
        && matches!(
            (bytes[0], bytes[1]),
            (0x09, 0x00) | (0x09, 0x02) | (0x09, 0x04)
        )
}

/// Mostly printable text with no NUL bytes (UTF-16 text is handled by the CSV reader
/// through its byte order mark).
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    if head.contains(&0) {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n'))
        .count();
    control * 100 < head.len().max(1)
        && (head.contains(&b'\t') || head.contains(&b';') || head.contains(&b','))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect_as(bytes: &[u8], name: &str) -> Result<Format, ReadError> {
        detect(bytes, Path::new(name), &Limits::default())
    }

    #[test]
    fn disguised_files_are_named_for_what_they_are() {
        let html = b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>";
        assert_eq!(detect_as(html, "bao_cao.xls"), Err(ReadError::Html));
        let xml = b"<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">";
        assert_eq!(
            detect_as(xml, "bao_cao.xls"),
            Err(ReadError::SpreadsheetXml)
        );
        let tsv = b"ma_don_vi\tVB01\tTT01\tTT02\nX001\t1\t2\t3\n";
        assert_eq!(detect_as(tsv, "xuat.xls"), Ok(Format::Csv));
        assert!(matches!(
            detect_as(&[0x01, 0x02, 0x00, 0xff, 0x13], "a.xlsx"),
            Err(ReadError::NotSpreadsheet(_))
        ));
        assert!(matches!(
            detect_as(b"PK\x03\x04garbage", "a.xlsx"),
            Err(ReadError::Corrupt(_))
        ));
    }

    #[test]
    fn what_units_send_instead_is_named_by_content() {
        let named = |bytes: &[u8]| named_by_content(bytes).unwrap_or_default();
        assert!(named(b"%PDF-1.7\n%\xe2\xe3").starts_with("tệp PDF"));
        assert!(named(b"Rar!\x1a\x07\x01\x00").starts_with("tệp nén RAR"));
        assert!(named(b"7z\xbc\xaf\x27\x1c\x00\x04").starts_with("tệp nén 7z"));
        assert!(named(b"\x89PNG\r\n\x1a\n\0\0").starts_with("ảnh chụp"));
        assert!(named(b"\xff\xd8\xff\xe0\0\x10JFIF").starts_with("ảnh chụp"));
        assert!(named(b"\0\0\0\x18ftypheic\0\0").starts_with("ảnh chụp"));
        let mut doc = CFB_MAGIC.to_vec();
        doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(named(&doc).starts_with("tệp Word 97–2003 (.doc)"));
        let mut msg = CFB_MAGIC.to_vec();
        msg.extend(
            "__substg1.0_0037001F"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert!(named(&msg).starts_with("thư lưu từ Outlook (.msg)"));
        assert_eq!(named_by_content(b"ma_don_vi;VB01\n"), None);
        // A PDF named .xlsx is a PDF all the same.
        assert!(matches!(
            detect_as(b"%PDF-1.4\n", "bao_cao.xlsx"),
            Err(ReadError::NotSpreadsheet(m)) if m.starts_with("tệp PDF")
        ));
    }

    #[test]
    fn encrypted_ooxml_is_recognised() {
        let mut bytes = CFB_MAGIC.to_vec();
        bytes.extend(vec![0u8; 100]);
        bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(detect_as(&bytes, "a.xlsx"), Err(ReadError::Encrypted));
    }
}
