//! calamine's errors in the officer's words.
//!
//! calamine reports in English and in its own terms ("Zip error: invalid Zip
//! archive", "Xml error: ill-formed document"). What an officer needs is what
//! is wrong with the file in plain Vietnamese and what to do; the library's
//! text is kept in parentheses for whoever investigates, never as the message.

use calamine::{OdsError, XlsError, XlsbError, XlsxError};

/// What kind of damage a library error shows.
enum Damage {
    /// The zip container (xlsx, xlsb, ods) is broken or truncated.
    Container,
    /// An XML part is malformed or cut short.
    Markup,
    /// A part the format requires is missing.
    MissingPart(String),
    /// Reading the bytes failed.
    Io,
    /// A record or value inside is not what the format allows.
    Content,
}

impl Damage {
    fn explain(self, detail: &dyn std::fmt::Display) -> String {
        let what = match self {
            Damage::Container => {
                "phần nén (zip) bên trong bảng tính bị hỏng hoặc bị cắt cụt, thường do tải về hay sao chép bị ngắt giữa chừng".to_string()
            }
            Damage::Markup => "nội dung bên trong bảng tính bị hỏng hoặc bị cắt cụt".to_string(),
            Damage::MissingPart(part) => format!(
                "bảng tính thiếu phần bắt buộc '{part}' (tệp không đầy đủ hoặc do phần mềm không chuẩn tạo ra)"
            ),
            Damage::Io => "không đọc được dữ liệu của tệp".to_string(),
            Damage::Content => {
                "bảng tính chứa dữ liệu sai cấu trúc mà chương trình không đọc được".to_string()
            }
        };
        format!(
            "{what}; hãy thử mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx, hoặc đề nghị đơn vị gửi lại tệp (chi tiết kỹ thuật: {detail})"
        )
    }
}

/// A message for an error opening or reading an `.xlsx`/`.xlsm`.
pub fn xlsx(e: &XlsxError) -> String {
    match e {
        XlsxError::Zip(_) => Damage::Container,
        XlsxError::Xml(_) | XlsxError::XmlAttr(_) | XlsxError::XmlEof(_) => Damage::Markup,
        XlsxError::UnexpectedNode(_) => Damage::Markup,
        XlsxError::FileNotFound(part) => Damage::MissingPart(part.clone()),
        XlsxError::Io(_) => Damage::Io,
        _ => Damage::Content,
    }
    .explain(e)
}

/// A message for an error opening or reading an `.xlsb`.
pub fn xlsb(e: &XlsbError) -> String {
    match e {
        XlsbError::Zip(_) => Damage::Container,
        XlsbError::Xml(_) | XlsbError::XmlAttr(_) => Damage::Markup,
        XlsbError::FileNotFound(part) => Damage::MissingPart(part.clone()),
        XlsbError::Io(_) => Damage::Io,
        _ => Damage::Content,
    }
    .explain(e)
}

/// A message for an error opening or reading an `.xls`.
pub fn xls(e: &XlsError) -> String {
    match e {
        XlsError::Io(_) => Damage::Io,
        XlsError::Cfb(_) | XlsError::EoStream(_) => Damage::Container,
        _ => Damage::Content,
    }
    .explain(e)
}

/// A message for an error opening or reading an `.ods`.
pub fn ods(e: &OdsError) -> String {
    match e {
        OdsError::Zip(_) => Damage::Container,
        OdsError::Xml(_) | OdsError::XmlAttr(_) | OdsError::Eof(_) => Damage::Markup,
        OdsError::FileNotFound(part) => Damage::MissingPart(part.to_string()),
        OdsError::Io(_) => Damage::Io,
        _ => Damage::Content,
    }
    .explain(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_vietnamese_with_the_detail_in_parentheses() {
        let m = xlsx(&XlsxError::FileNotFound("xl/workbook.xml".into()));
        assert!(
            m.starts_with("bảng tính thiếu phần bắt buộc 'xl/workbook.xml'"),
            "{m}"
        );
        assert!(m.contains("hãy thử mở tệp bằng Excel"));
        assert!(m.ends_with(&format!(
            "(chi tiết kỹ thuật: {})",
            XlsxError::FileNotFound("xl/workbook.xml".into())
        )));
        let m = ods(&OdsError::Eof("table:table"));
        assert!(m.starts_with("nội dung bên trong bảng tính bị hỏng"), "{m}");
    }

    /// An .xlsx missing its workbook part, read end to end.
    #[test]
    fn a_broken_xlsx_is_explained_in_vietnamese() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(
            "[Content_Types].xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#)
            .unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let err = crate::read::read_bytes(
            &bytes,
            std::path::Path::new("x.xlsx"),
            &crate::read::Limits::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("tệp bị hỏng hoặc không đầy đủ: "), "{err}");
        assert!(err.contains("hãy thử mở tệp bằng Excel"), "{err}");
        assert!(err.contains("(chi tiết kỹ thuật: "), "{err}");
    }
}
