//! Containers: what arrives by mail and messaging apps as it was saved, a `.zip`
//! of several units' forms or a saved mail (`.eml`) with the form attached.
//!
//! A container is read as a folder: [`walk`] opens it, lists its members from
//! the zip's central directory or the mail's MIME tree, refuses what must not be
//! inflated (a path leaving the archive, an encrypted member, a member past the
//! size, ratio, count or depth limits) and hands every member over in order,
//! nested containers opened in place. Nothing is written to disk: members are
//! bytes in memory, one at a time, so memory stays bounded by the largest one.

mod eml;
mod zip;

pub(crate) mod docx;

pub use eml::Mail;

use super::{Limits, ReadError};
use chrono::NaiveDate;
use std::path::Path;

/// What kind of container a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerKind {
    /// A zip archive that is not an office document.
    Zip,
    /// A saved mail (MIME, `.eml`).
    Mail,
}

/// A container that was opened.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// Its path inside the input (`""` for the input itself).
    pub path: String,
    /// Its base name, as a receipt would name it.
    pub name: String,
    pub kind: ContainerKind,
    /// How many members it holds (refused ones included; folders not).
    pub members: usize,
    /// The mail's sender and date, for a mail.
    pub mail: Option<Mail>,
    /// What the officer should know about it as a whole (a mail with no
    /// spreadsheet attached, and what it held instead).
    pub notes: Vec<String>,
}

/// One thing the walk found, in order: a container before its members.
#[derive(Debug)]
pub struct Found<'a> {
    /// Its path inside the input, `/`-separated (`""` for the input itself).
    pub path: &'a str,
    /// The containers it lies in, outermost first (itself not included).
    pub within: &'a [Opened],
    pub what: What<'a>,
}

/// What was found at a path.
#[derive(Debug)]
pub enum What<'a> {
    /// A container, opened; its members follow. `bytes` are its own.
    Container(&'a Opened, &'a [u8]),
    /// A member file, to be read like a file on disk.
    File {
        bytes: &'a [u8],
        modified: Option<NaiveDate>,
    },
    /// A container that could not be opened, or a member that was not
    /// extracted, and why; `bytes` when it was extracted.
    Failed {
        bytes: Option<&'a [u8]>,
        error: ReadError,
    },
}

/// A member as its container lists it, before it is extracted.
#[derive(Debug, Clone)]
struct Listed {
    /// Its path inside the container, `/`-separated, made safe.
    path: String,
    /// Its size once extracted, as the container declares it.
    size: u64,
    modified: Option<NaiveDate>,
    /// Why it must not be extracted, if so.
    refused: Option<ReadError>,
}

/// An opened container's members, extracted one at a time.
enum Archive<'a> {
    Zip(zip::Archive<'a>),
    Mail(eml::Parsed<'a>),
}

impl Archive<'_> {
    fn members(&self) -> &[Listed] {
        match self {
            Archive::Zip(z) => &z.members,
            Archive::Mail(m) => &m.members,
        }
    }

    fn extract(&mut self, index: usize, max: u64) -> Result<Vec<u8>, ReadError> {
        match self {
            Archive::Zip(z) => z.extract(index, max),
            Archive::Mail(m) => m.extract(index, max),
        }
    }
}

/// The kind of container these bytes are, if they are one. A zip holding an
/// office document (`[Content_Types].xml`, `mimetype`) is a document, not a
/// container; a mail is recognised by its extension or, when the extension
/// promises no spreadsheet, by its headers.
pub fn kind_of(bytes: &[u8], name: &str) -> Option<ContainerKind> {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return match zip::is_office_package(bytes) {
            Some(false) => Some(ContainerKind::Zip),
            Some(true) => None,
            None => (ext == "zip").then_some(ContainerKind::Zip),
        };
    }
    if ext == "eml"
        || (super::sniff::extension(Path::new(name)).is_none() && eml::looks_like(bytes))
    {
        return Some(ContainerKind::Mail);
    }
    (ext == "zip").then_some(ContainerKind::Zip)
}

/// Walks a container (the input `name`, of this `kind`), calling `visit` for
/// it, then for each member in path order, nested containers opened in place.
pub fn walk(
    bytes: &[u8],
    name: &str,
    kind: ContainerKind,
    limits: &Limits,
    visit: &mut dyn FnMut(Found),
) {
    // The zip crate and mailparse run here; a panic of theirs is caught by the
    // caller and reported as the container's error.
    let _contained = super::Contained::enter();
    let mut walker = Walker {
        limits,
        bytes_left: limits.max_unzipped_bytes,
        members_left: limits.max_container_members,
        stack: Vec::new(),
        visit,
    };
    walker.container(String::new(), name, bytes, kind);
}

struct Walker<'v> {
    limits: &'v Limits,
    /// What may still be inflated, over the whole input, nested members included.
    bytes_left: u64,
    members_left: usize,
    stack: Vec<Opened>,
    visit: &'v mut dyn FnMut(Found),
}

impl Walker<'_> {
    fn emit(&mut self, path: &str, what: What) {
        (self.visit)(Found {
            path,
            within: &self.stack,
            what,
        });
    }

    fn fail(&mut self, path: &str, bytes: Option<&[u8]>, error: ReadError) {
        self.emit(path, What::Failed { bytes, error });
    }

    fn container(&mut self, path: String, name: &str, bytes: &[u8], kind: ContainerKind) {
        if self.stack.len() >= self.limits.max_container_depth {
            let error = ReadError::TooLarge(format!(
                "tệp nén lồng nhau quá {} lớp; không mở tiếp",
                self.limits.max_container_depth
            ));
            return self.fail(&path, Some(bytes), error);
        }
        let opened = match kind {
            ContainerKind::Zip => zip::Archive::open(bytes, self.limits).map(Archive::Zip),
            ContainerKind::Mail => eml::Parsed::open(bytes).map(Archive::Mail),
        };
        let mut archive = match opened {
            Ok(a) => a,
            Err(e) => return self.fail(&path, Some(bytes), e),
        };
        let count = archive.members().len();
        if count > self.members_left {
            let error = ReadError::TooLarge(format!(
                "chứa {count} tệp (giới hạn {} tệp cho một tệp đầu vào); không mở",
                self.limits.max_container_members
            ));
            return self.fail(&path, Some(bytes), error);
        }
        self.members_left -= count;
        let (mail, notes) = match &archive {
            Archive::Mail(m) => (Some(m.mail.clone()), m.notes()),
            Archive::Zip(_) => (None, Vec::new()),
        };
        let opened = Opened {
            path: path.clone(),
            name: name.to_string(),
            kind,
            members: count,
            mail,
            notes,
        };
        self.emit(&path, What::Container(&opened, bytes));
        self.stack.push(opened);
        let mut order: Vec<usize> = (0..count).collect();
        order.sort_by(|&a, &b| archive.members()[a].path.cmp(&archive.members()[b].path));
        for i in order {
            let listed = archive.members()[i].clone();
            self.member(&mut archive, i, &path, listed);
        }
        self.stack.pop();
    }

    fn member(&mut self, archive: &mut Archive, index: usize, parent: &str, listed: Listed) {
        let path = if parent.is_empty() {
            listed.path.clone()
        } else {
            format!("{parent}/{}", listed.path)
        };
        if let Some(error) = listed.refused {
            return self.fail(&path, None, error);
        }
        let max = self.limits.max_file_bytes.min(self.bytes_left);
        if listed.size > max {
            return self.fail(&path, None, too_large(listed.size, self));
        }
        let bytes = match archive.extract(index, max) {
            Ok(b) => b,
            Err(e) => return self.fail(&path, None, e),
        };
        self.bytes_left -= bytes.len() as u64;
        let name = listed.path.rsplit('/').next().unwrap_or_default();
        match kind_of(&bytes, name) {
            Some(kind) => self.container(path, name, &bytes, kind),
            None => self.emit(
                &path,
                What::File {
                    bytes: &bytes,
                    modified: listed.modified,
                },
            ),
        }
    }
}

/// A member larger than a file may be, or than what is left to inflate.
fn too_large(size: u64, walker: &Walker) -> ReadError {
    if size > walker.limits.max_file_bytes {
        ReadError::TooLarge(format!(
            "giải nén ra {size} byte (giới hạn {} byte cho một tệp)",
            walker.limits.max_file_bytes
        ))
    } else {
        ReadError::TooLarge(format!(
            "giải nén ra {size} byte, vượt tổng giới hạn {} byte của cả tệp nén",
            walker.limits.max_unzipped_bytes
        ))
    }
}

/// A member's path made safe: `\` read as `/`, `.` and empty parts dropped, and
/// `None` when it is absolute or climbs out of the archive (`..`).
fn safe_path(raw: &str) -> Option<String> {
    let unified = raw.replace('\\', "/");
    let has_drive = unified.len() >= 2 && unified.as_bytes()[1] == b':';
    if unified.starts_with('/') || has_drive {
        return None;
    }
    let mut parts = Vec::new();
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Makes member paths unique, as a folder's would be: a second `a.xlsx` becomes
/// `a (2).xlsx`.
fn dedupe(members: &mut [Listed]) {
    let mut seen = std::collections::HashSet::new();
    for m in members.iter_mut() {
        if seen.insert(m.path.clone()) {
            continue;
        }
        let (stem, ext) = match m.path.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() && !e.contains('/') => (s.to_string(), format!(".{e}")),
            _ => (m.path.clone(), String::new()),
        };
        let mut n = 2;
        while !seen.insert(format!("{stem} ({n}){ext}")) {
            n += 1;
        }
        m.path = format!("{stem} ({n}){ext}");
    }
}

/// The refusal of a member whose path leaves the archive.
fn unsafe_path(raw: &str) -> ReadError {
    ReadError::UnsafePath(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_archive_are_refused() {
        assert_eq!(safe_path("a/b.xlsx").as_deref(), Some("a/b.xlsx"));
        assert_eq!(safe_path("./a//b.xlsx").as_deref(), Some("a/b.xlsx"));
        assert_eq!(safe_path("a\\b.xlsx").as_deref(), Some("a/b.xlsx"));
        for bad in [
            "../a.xlsx",
            "a/../../b.xlsx",
            "/etc/passwd",
            "C:\\x.xlsx",
            "a/..",
            "",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    use std::io::Write;

    fn zip_of(members: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut zip = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (path, bytes, locked) in members {
            let options = ::zip::write::SimpleFileOptions::default();
            let options = if *locked {
                options.with_aes_encryption(::zip::AesMode::Aes256, "mat-khau")
            } else {
                options
            };
            zip.start_file(*path, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// What the walk reports, as (path, what) lines.
    fn walked(bytes: &[u8], name: &str, limits: &Limits) -> Vec<(String, String)> {
        let kind = kind_of(bytes, name).expect("a container");
        let mut seen = Vec::new();
        walk(bytes, name, kind, limits, &mut |found| {
            let what = match found.what {
                What::Container(opened, _) => format!("container {}", opened.members),
                What::File { bytes, .. } => format!("file {}", String::from_utf8_lossy(bytes)),
                What::Failed { error, .. } => format!("failed {error}"),
            };
            seen.push((found.path.to_string(), what));
        });
        seen
    }

    #[test]
    fn a_zip_is_walked_in_path_order_nested_zips_in_place() {
        let inner = zip_of(&[("c.csv", b"C", false)]);
        let outer = zip_of(&[
            ("z/b.csv", b"B", false),
            ("a/trong.zip", &inner, false),
            ("khoa.csv", b"K", true),
            ("../ra.csv", b"R", false),
        ]);
        let seen = walked(&outer, "goi.zip", &Limits::default());
        let lines: Vec<String> = seen.iter().map(|(p, w)| format!("{p}: {w}")).collect();
        assert_eq!(lines[0], ": container 4");
        assert!(
            lines[1].starts_with("../ra.csv: failed đường dẫn '../ra.csv'"),
            "{lines:?}"
        );
        assert_eq!(lines[2], "a/trong.zip: container 1");
        assert_eq!(lines[3], "a/trong.zip/c.csv: file C");
        assert!(
            lines[4].starts_with("khoa.csv: failed tệp được đặt mật khẩu"),
            "{lines:?}"
        );
        assert_eq!(lines[5], "z/b.csv: file B");
        assert_eq!(lines.len(), 6);
    }

    #[test]
    fn the_walk_is_bounded_by_members_depth_and_size() {
        let limits = Limits {
            max_container_members: 2,
            max_unzipped_bytes: 5,
            ..Limits::default()
        };
        let three = zip_of(&[("a", b"1", false), ("b", b"2", false), ("c", b"3", false)]);
        let seen = walked(&three, "ba.zip", &limits);
        assert!(seen[0].1.contains("chứa 3 tệp (giới hạn 2 tệp"), "{seen:?}");
        let deep = zip_of(&[(
            "1.zip",
            &zip_of(&[("2.zip", &zip_of(&[("x", b"x", false)]), false)]),
            false,
        )]);
        let shallow = Limits {
            max_container_depth: 2,
            ..Limits::default()
        };
        let seen = walked(&deep, "sau.zip", &shallow);
        assert_eq!(seen[2].0, "1.zip/2.zip");
        assert!(seen[2].1.contains("lồng nhau quá 2 lớp"), "{seen:?}");
        let big = zip_of(&[("a", b"1234", false), ("b", b"5678", false)]);
        let seen = walked(&big, "lon.zip", &limits);
        assert!(
            seen[0].1.contains("giải nén ra 8 byte (giới hạn 5 byte)"),
            "{seen:?}"
        );
    }

    #[test]
    fn utf8_member_names_without_the_flag_are_read_as_utf8() {
        let mut bytes = zip_of(&[("Báo cáo xã/Đà Bắc.csv", b"x", false)]);
        // Clear the UTF-8 flag (bit 11) in the local and central headers, as
        // 7-Zip and many phone apps write Vietnamese names.
        for (sig, flags_at) in [(b"PK\x03\x04", 6), (b"PK\x01\x02", 8)] {
            let at = bytes.windows(4).position(|w| w == sig).unwrap() + flags_at;
            bytes[at + 1] &= !0x08;
        }
        let seen = walked(&bytes, "a.zip", &Limits::default());
        assert_eq!(seen[1].0, "Báo cáo xã/Đà Bắc.csv");
    }

    #[test]
    fn windows_1258_member_names_are_read_as_vietnamese() {
        // "Báo cáo Đà Bắc.xlsx" as Vietnamese Windows writes it, no UTF-8 flag.
        let raw = b"B\xe1o c\xe1o \xd0\xe0 B\xe3\xecc.xlsx";
        let stand_in = "x".repeat(raw.len());
        let mut bytes = zip_of(&[(&stand_in, b"x", false)]);
        while let Some(at) = bytes
            .windows(raw.len())
            .position(|w| w == stand_in.as_bytes())
        {
            bytes[at..at + raw.len()].copy_from_slice(raw);
        }
        let seen = walked(&bytes, "a.zip", &Limits::default());
        assert_eq!(seen[1].0, "Báo cáo Đà Bắc.xlsx");
        // A CP437 name that is not Vietnamese stays as the zip crate reads it.
        assert_eq!(zip::member_name(b"caf\x82", Some("café")), "café");
    }

    #[test]
    fn office_documents_are_not_containers() {
        let xlsx = zip_of(&[("xl/workbook.xml", b"<workbook/>", false)]);
        assert_eq!(kind_of(&xlsx, "a.zip"), None);
        let plain = zip_of(&[("X001.xlsx", b"x", false)]);
        assert_eq!(kind_of(&plain, "nop.xlsx"), Some(ContainerKind::Zip));
        assert_eq!(
            kind_of(b"PK\x03\x04hong", "hong.zip"),
            Some(ContainerKind::Zip)
        );
        assert_eq!(kind_of(b"PK\x03\x04hong", "hong.xlsx"), None);
        assert_eq!(
            kind_of(b"From: a@b\r\nDate: x\r\n\r\n", "thu"),
            Some(ContainerKind::Mail)
        );
    }

    #[test]
    fn duplicate_member_names_become_distinct() {
        let listed = |p: &str| Listed {
            path: p.into(),
            size: 0,
            modified: None,
            refused: None,
        };
        let mut m = vec![
            listed("a.xlsx"),
            listed("a.xlsx"),
            listed("a.xlsx"),
            listed("b"),
        ];
        m.push(listed("b"));
        dedupe(&mut m);
        let paths: Vec<&str> = m.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["a.xlsx", "a (2).xlsx", "a (3).xlsx", "b", "b (2)"]);
    }
}
