//! A saved mail (`.eml`, MIME) read as a folder of its attachments.
//!
//! The MIME tree is parsed by `mailparse`, which decodes attachment names
//! (RFC 2047 encoded words, RFC 2231 parameters, in Vietnamese too) and bodies
//! (base64, quoted-printable). The mail's `Date` is a source of the date
//! received and its `From` is shown beside the unit.

use super::{Listed, ReadError, dedupe, safe_path};
use chrono::NaiveDate;
use mailparse::{MailHeaderMap, ParsedMail};

/// Who sent a mail and when.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mail {
    /// The `From` header, decoded (`Nguyễn Văn A <a@xa.gov.vn>`).
    pub from: Option<String>,
    /// The day of the `Date` header, in the sender's own time zone.
    pub date: Option<NaiveDate>,
}

/// A parsed mail and its attachments.
pub struct Parsed<'a> {
    pub(super) mail: Mail,
    pub(super) members: Vec<Listed>,
    /// The MIME part of each member.
    parts: Vec<ParsedMail<'a>>,
    /// Characters of text in the mail's own body (not attached).
    body_chars: usize,
}

/// Whether bytes start like a mail: header lines, one of them a mail's own.
pub fn looks_like(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let first = head.lines().next().unwrap_or_default();
    let header_line = first.split_once(':').is_some_and(|(k, _)| {
        !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    header_line
        && ["\nfrom:", "\nmime-version:", "\nreceived:", "\ndate:"]
            .iter()
            .any(|h| head.contains(h) || first.starts_with(&h[1..]))
}

impl<'a> Parsed<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Parsed<'a>, ReadError> {
        let root = mailparse::parse_mail(bytes)
            .map_err(|e| ReadError::Corrupt(format!("thư (eml) không đọc được: {e}")))?;
        let mail = Mail {
            from: root
                .headers
                .get_first_value("From")
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty()),
            date: root
                .headers
                .get_first_value("Date")
                .and_then(|d| date_of(&d)),
        };
        let mut parts = Vec::new();
        let mut body_chars = 0;
        collect(root, &mut parts, &mut body_chars);
        let mut members: Vec<Listed> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| Listed {
                path: attachment_name(p, i + 1),
                size: p.raw_bytes.len() as u64,
                modified: None,
                refused: None,
            })
            .collect();
        dedupe(&mut members);
        Ok(Parsed {
            mail,
            members,
            parts,
            body_chars,
        })
    }

    /// Decodes one attachment, refusing one that decodes past `max` bytes.
    pub fn extract(&mut self, member: usize, max: u64) -> Result<Vec<u8>, ReadError> {
        let bytes = self.parts[member]
            .get_body_raw()
            .map_err(|e| ReadError::Corrupt(format!("tệp đính kèm không giải mã được: {e}")))?;
        if bytes.len() as u64 > max {
            return Err(ReadError::TooLarge(format!(
                "tệp đính kèm {} byte (giới hạn {max} byte)",
                bytes.len()
            )));
        }
        Ok(bytes)
    }

    /// What the officer should know when the mail carries no spreadsheet: what
    /// it held instead.
    pub fn notes(&self) -> Vec<String> {
        let usable = self.members.iter().any(|m| {
            crate::read::is_supported(std::path::Path::new(&m.path)) || is_container(&m.path)
        });
        if usable {
            return Vec::new();
        }
        let held = if self.members.is_empty() {
            format!(
                "thư không có tệp đính kèm (phần nội dung thư có {} ký tự)",
                self.body_chars
            )
        } else {
            let names: Vec<String> = self
                .members
                .iter()
                .map(|m| match crate::read::sniff::named_by_extension(&m.path) {
                    Some(kind) => format!("{kind} {}", m.path),
                    None => m.path.clone(),
                })
                .collect();
            let images = self
                .members
                .iter()
                .all(|m| crate::read::sniff::named_by_extension(&m.path) == Some("ảnh chụp"));
            if images {
                format!("thư chỉ có ảnh chụp: {}", names.join(", "))
            } else {
                format!("thư chỉ kèm: {}", names.join(", "))
            }
        };
        vec![format!(
            "{held}; không có bảng tính nào để đọc số liệu, hãy đề nghị đơn vị gửi biểu dạng .xlsx"
        )]
    }
}

fn is_container(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".zip") || lower.ends_with(".eml")
}

/// The attachments of a MIME tree, in order: parts with a file name or marked
/// as attachments, and forwarded mails. Text parts without a name are the
/// mail's body.
fn collect<'a>(part: ParsedMail<'a>, out: &mut Vec<ParsedMail<'a>>, body_chars: &mut usize) {
    if part.ctype.mimetype.starts_with("multipart/") {
        for sub in part.subparts {
            collect(sub, out, body_chars);
        }
        return;
    }
    let disposition = part.get_content_disposition();
    let named =
        disposition.params.contains_key("filename") || part.ctype.params.contains_key("name");
    let attached = disposition.disposition == mailparse::DispositionType::Attachment;
    let forwarded = part.ctype.mimetype == "message/rfc822";
    if named || attached || forwarded || !part.ctype.mimetype.starts_with("text/") {
        out.push(part);
    } else {
        *body_chars += part.get_body().map(|b| b.chars().count()).unwrap_or(0);
    }
}

/// An attachment's file name, decoded; a part without one is named by its
/// position and type (`tep-dinh-kem-2.eml`).
fn attachment_name(part: &ParsedMail, position: usize) -> String {
    let disposition = part.get_content_disposition();
    let given = disposition
        .params
        .get("filename")
        .or_else(|| part.ctype.params.get("name"))
        .map(|n| n.replace('\\', "/"))
        .and_then(|n| n.rsplit('/').next().map(str::to_string))
        .and_then(|n| safe_path(n.trim()));
    given.unwrap_or_else(|| {
        let ext = match part.ctype.mimetype.as_str() {
            "message/rfc822" => ".eml",
            "application/pdf" => ".pdf",
            "application/zip" | "application/x-zip-compressed" => ".zip",
            "application/vnd.ms-excel" => ".xls",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => ".xlsx",
            m if m.starts_with("image/") => ".jpg",
            _ => "",
        };
        format!("tep-dinh-kem-{position}{ext}")
    })
}

/// A `Date` header's day, in the sender's time zone as written; mailparse's
/// lenient parser (in UTC) when the header is not strict RFC 2822.
fn date_of(header: &str) -> Option<NaiveDate> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc2822(header.trim()) {
        return Some(d.date_naive());
    }
    let secs = mailparse::dateparse(header).ok()?;
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIL: &str = "From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBB?= <a@xa.gov.vn>\r\n\
Date: Mon, 8 Jun 2026 23:30:00 +0700\r\n\
Subject: bao cao\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\
\r\n\
--b\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Kính gửi Sở Nội vụ\r\n\
--b\r\n\
Content-Type: application/octet-stream\r\n\
Content-Disposition: attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%20X361.csv\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
bWFfZG9uX3ZpOzE=\r\n\
--b\r\n\
Content-Type: image/png; name=\"=?UTF-8?Q?=E1=BA=A3nh.png?=\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
iVBORw0KGgo=\r\n\
--b--\r\n";

    #[test]
    fn attachments_are_named_and_decoded() {
        let mut mail = Parsed::open(MAIL.as_bytes()).unwrap();
        assert_eq!(
            mail.mail.from.as_deref(),
            Some("Nguyễn Văn A <a@xa.gov.vn>")
        );
        // The sender's own day, not UTC's (16:30 UTC is still the 8th; 23:30 +07 is too).
        assert_eq!(mail.mail.date, NaiveDate::from_ymd_opt(2026, 6, 8));
        let paths: Vec<&str> = mail.members.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["Báo cáo X361.csv", "ảnh.png"]);
        assert_eq!(mail.extract(0, 100).unwrap(), b"ma_don_vi;1");
        assert!(matches!(mail.extract(0, 5), Err(ReadError::TooLarge(_))));
        assert!(mail.notes().is_empty());
        assert_eq!(mail.body_chars, "Kính gửi Sở Nội vụ".chars().count());
    }

    #[test]
    fn a_mail_without_a_spreadsheet_says_what_it_held() {
        let only_image = MAIL.replace("B%C3%A1o%20c%C3%A1o%20X361.csv", "chup.jpg");
        let mail = Parsed::open(only_image.as_bytes()).unwrap();
        let notes = mail.notes();
        assert!(notes[0].starts_with("thư chỉ có ảnh chụp: "), "{notes:?}");
        assert!(
            notes[0].contains("chup.jpg") && notes[0].contains("ảnh.png"),
            "{notes:?}"
        );
        let bare = "From: a@b\r\nDate: Mon, 8 Jun 2026 10:00:00 +0700\r\n\r\nxin gửi số liệu\r\n";
        let notes = Parsed::open(bare.as_bytes()).unwrap().notes();
        assert!(
            notes[0].starts_with("thư không có tệp đính kèm"),
            "{notes:?}"
        );
    }

    #[test]
    fn names_as_mail_programs_write_them_are_decoded() {
        // Outlook and Gmail: an encoded word inside the quotes; Thunderbird: RFC
        // 2231 continuations for a long name.
        let mail = "From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
--b\r\nContent-Type: application/vnd.ms-excel;\r\n name=\"=?utf-8?B?QsOhbyBjw6FvIFjDoyDEkMOgIELhuq9jLnhscw==?=\"\r\n\r\nx\r\n\
--b\r\nContent-Disposition: attachment;\r\n filename*0*=utf-8''B%C3%A1o%20c%C3%A1o%20;\r\n filename*1*=Ph%C6%B0%E1%BB%9Dng.xlsx\r\n\r\ny\r\n\
--b\r\nContent-Disposition: attachment; filename=\"..\\\\..\\\\C:\\\\x\\\\b.csv\"\r\n\r\nz\r\n\
--b--\r\n";
        let parsed = Parsed::open(mail.as_bytes()).unwrap();
        let paths: Vec<&str> = parsed.members.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(
            paths,
            ["Báo cáo Xã Đà Bắc.xls", "Báo cáo Phường.xlsx", "b.csv"]
        );
    }

    #[test]
    fn mails_are_recognised_by_their_headers() {
        assert!(looks_like(MAIL.as_bytes()));
        assert!(looks_like(b"Received: from x\r\nFrom: a@b\r\n\r\n"));
        assert!(!looks_like(b"ma_don_vi;VB01\nX001;1\n"));
        assert!(!looks_like(b"%PDF-1.7\n"));
    }
}
