//! A zip archive read as a folder: its members listed from the central
//! directory, bounded before anything is inflated.

use super::{Listed, ReadError, dedupe, safe_path, unsafe_path};
use crate::read::Limits;
use chrono::NaiveDate;
use std::io::{Cursor, Read};

/// An open zip and its members (files only, folders left out).
pub struct Archive<'a> {
    zip: ::zip::ZipArchive<Cursor<&'a [u8]>>,
    pub(super) members: Vec<Listed>,
    /// The zip's index of each member.
    index: Vec<usize>,
}

/// Whether a zip is an office document (xlsx, ods, docx…), even a damaged one,
/// rather than an archive of files; `None` when it cannot be opened at all.
pub fn is_office_package(bytes: &[u8]) -> Option<bool> {
    let zip = ::zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let part = |name: &str| {
        matches!(
            name,
            "[Content_Types].xml"
                | "_rels/.rels"
                | "mimetype"
                | "content.xml"
                | "META-INF/manifest.xml"
        ) || ["xl/", "word/", "ppt/"].iter().any(|p| name.starts_with(p))
    };
    Some(zip.file_names().flatten().any(|n| part(&n)))
}

impl<'a> Archive<'a> {
    /// Opens a zip and lists its members, refusing the whole archive when its
    /// declared sizes add up past the limit.
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Archive<'a>, ReadError> {
        let mut zip = ::zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ReadError::Corrupt(format!("cấu trúc tệp nén (zip) bên trong bị hỏng, thường do tải về hoặc sao chép chưa xong; hãy đề nghị đơn vị gửi lại tệp (chi tiết: {e})")))?;
        let mut members = Vec::new();
        let mut index = Vec::new();
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| {
                ReadError::Corrupt(format!("mục thứ {} của tệp nén không đọc được: {e}", i + 1))
            })?;
            if entry.is_dir() {
                continue;
            }
            let raw = member_name(entry.name_raw(), entry.name().ok().as_deref());
            let size = entry.size();
            total = total.saturating_add(size);
            let refused = match safe_path(&raw) {
                None => Some(unsafe_path(&raw)),
                Some(_) if entry.encrypted() => Some(ReadError::Encrypted),
                Some(_) if entry.is_symlink() => Some(ReadError::NotSpreadsheet(
                    "liên kết tượng trưng (symlink) trong tệp nén, không phải tệp".into(),
                )),
                Some(_) => bomb(size, entry.compressed_size(), limits),
            };
            members.push(Listed {
                path: safe_path(&raw).unwrap_or(raw),
                size,
                modified: entry.last_modified().and_then(|t| {
                    NaiveDate::from_ymd_opt(t.year().into(), t.month().into(), t.day().into())
                }),
                refused,
            });
            index.push(i);
        }
        if total > limits.max_unzipped_bytes {
            return Err(ReadError::TooLarge(format!(
                "giải nén ra {total} byte (giới hạn {} byte)",
                limits.max_unzipped_bytes
            )));
        }
        dedupe(&mut members);
        Ok(Archive {
            zip,
            members,
            index,
        })
    }

    /// Inflates one member, never past `max` bytes whatever its header says.
    pub fn extract(&mut self, member: usize, max: u64) -> Result<Vec<u8>, ReadError> {
        let corrupt = |e: &dyn std::fmt::Display| {
            ReadError::Corrupt(format!("không giải nén được mục trong tệp nén: {e}"))
        };
        let entry = self
            .zip
            .by_index(self.index[member])
            .map_err(|e| corrupt(&e))?;
        let mut bytes = Vec::with_capacity(self.members[member].size.min(max) as usize);
        entry
            .take(max.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| corrupt(&e))?;
        if bytes.len() as u64 > max {
            return Err(ReadError::TooLarge(format!(
                "giải nén ra hơn {max} byte, nhiều hơn kích thước khai trong tệp nén"
            )));
        }
        Ok(bytes)
    }
}

/// A member's name: UTF-8 when its bytes are UTF-8 (7-Zip and many tools write
/// Vietnamese names so without setting the zip's UTF-8 flag); else as the zip
/// crate decodes it (the Unicode extra field, or CP437), unless that reads as
/// no Vietnamese while Windows-1258 does: the code page Vietnamese Windows
/// writes names in, which CP437 turns into box-drawing characters.
pub(super) fn member_name(raw: &[u8], decoded: Option<&str>) -> String {
    if let Ok(utf8) = std::str::from_utf8(raw) {
        return utf8.to_string();
    }
    let decoded = decoded.map_or_else(|| String::from_utf8_lossy(raw).into_owned(), str::to_string);
    if looks_vietnamese(&decoded) {
        return decoded;
    }
    let (windows, _, _) = encoding_rs::WINDOWS_1258.decode(raw);
    if looks_vietnamese(&windows) {
        use unicode_normalization::UnicodeNormalization;
        return windows.nfc().collect();
    }
    decoded
}

/// Whether text holds letters or tone marks only Vietnamese uses.
fn looks_vietnamese(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, 'đ' | 'Đ' | 'ă' | 'Ă' | 'ơ' | 'Ơ' | 'ư' | 'Ư')
            || matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
            || ('\u{1ea0}'..='\u{1ef9}').contains(&c)
    })
}

/// A member that inflates far more than any honest file: a zip bomb.
fn bomb(size: u64, packed: u64, limits: &Limits) -> Option<ReadError> {
    let ratio = size / packed.max(1);
    (size > 1024 * 1024 && ratio > limits.max_zip_ratio).then(|| {
        ReadError::TooLarge(format!(
            "nén {ratio} lần (giới hạn {} lần): nghi là \"bom nén\" (zip bomb); không giải nén",
            limits.max_zip_ratio
        ))
    })
}
