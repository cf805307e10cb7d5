//! Finding the input files: arguments that are files or folders, folders walked
//! recursively in a stable order.
//!
//! Symbolic links are followed (a shared folder often links the units' folders)
//! and loops are detected by the walker and reported, never followed forever.
//! The same file reached twice is read once.

use crate::finding::{Finding, FindingKind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One file found among the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// The path as shown to the officer: relative to the INPUT folder it was
    /// found in, prefixed by that folder's name when several INPUTs are given;
    /// a file given itself is shown by its name.
    pub shown: String,
    /// Which file it is, however reached: no output may be written over it.
    pub identity: Identity,
}

/// The files found, sorted by shown path, with what could not be walked.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Input>,
    pub notes: Vec<Finding>,
}

/// An input argument that does not exist: the run cannot be what was asked.
#[derive(Debug, thiserror::Error)]
#[error("không tìm thấy tệp hoặc thư mục đầu vào: {0}")]
pub struct MissingInput(pub String);

/// Walks every argument.
pub fn discover(arguments: &[PathBuf]) -> Result<Discovery, MissingInput> {
    let mut found = Discovery::default();
    let mut seen = HashSet::new();
    if let Some(missing) = arguments.iter().find(|a| !a.exists()) {
        return Err(MissingInput(missing.display().to_string()));
    }
    let prefixes = prefixes(arguments);
    for (arg, prefix) in arguments.iter().zip(&prefixes) {
        for entry in WalkDir::new(arg).follow_links(true).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let identity = Identity::of(e.path())
                        .unwrap_or_else(|| Identity::Path(e.path().to_path_buf()));
                    if seen.insert(identity.clone()) {
                        found.files.push(Input {
                            path: e.path().to_path_buf(),
                            shown: shown(arg, prefix.as_deref(), e.path()),
                            identity,
                        });
                    }
                }
                Ok(_) => {}
                Err(err) => found.notes.push(walk_note(&err)),
            }
        }
    }
    found.files.sort_by(|a, b| a.shown.cmp(&b.shown));
    Ok(found)
}

/// What each argument's files are prefixed by: nothing for one folder, the
/// folder's own name for several (its path as typed when two share a name).
fn prefixes(arguments: &[PathBuf]) -> Vec<Option<String>> {
    let folders = arguments.iter().filter(|a| a.is_dir()).count();
    let name = |arg: &PathBuf| {
        std::fs::canonicalize(arg)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| arg.display().to_string())
    };
    let names: Vec<Option<String>> = arguments
        .iter()
        .map(|a| (a.is_dir() && arguments.len() > 1).then(|| name(a)))
        .collect();
    let shared = |n: &String| names.iter().flatten().filter(|m| *m == n).count() > 1;
    arguments
        .iter()
        .zip(&names)
        .map(|(arg, n)| match n {
            Some(n) if folders > 1 && shared(n) => Some(arg.display().to_string()),
            other => other.clone(),
        })
        .collect()
}

/// A found file's path relative to its argument, prefixed.
fn shown(arg: &Path, prefix: Option<&str>, path: &Path) -> String {
    let relative = match path.strip_prefix(arg) {
        Ok(r) if !r.as_os_str().is_empty() => r.to_path_buf(),
        // The argument is the file itself.
        _ => PathBuf::from(base_name(path)),
    };
    let relative = relative.display().to_string();
    match prefix {
        Some(p) => format!("{}/{relative}", p.trim_end_matches('/')),
        None => relative,
    }
}

/// What makes two paths the same file: device and inode where the platform has
/// them (one `stat`, links and other spellings included), else the canonical path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

impl Identity {
    /// The identity of the file a path names, links followed; `None` when there
    /// is no such file.
    pub fn of(path: &Path) -> Option<Identity> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(path)
                .ok()
                .map(|m| Identity::Inode(m.dev(), m.ino()))
        }
        #[cfg(not(unix))]
        {
            std::fs::canonicalize(path).ok().map(Identity::Path)
        }
    }
}

fn walk_note(err: &walkdir::Error) -> Finding {
    let place = err
        .path()
        .map_or_else(String::new, |p| p.display().to_string());
    let message = match err.loop_ancestor() {
        Some(ancestor) => format!(
            "liên kết tạo vòng lặp thư mục (trỏ về {}); đã bỏ qua",
            ancestor.display()
        ),
        None => format!(
            "không đọc được thư mục: {}",
            err.io_error().map_or(err.to_string(), |e| e.to_string())
        ),
    };
    Finding::warning(FindingKind::Walk, &place, message)
}

/// The file name alone, as the receipts log writes it.
pub fn base_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_relative_to_their_input() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["nop/email/2025-11-07/SNV.xlsx", "bo-sung/S02.csv", "le.csv"] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let shown = |args: &[&str]| -> Vec<String> {
            let args: Vec<PathBuf> = args.iter().map(|a| dir.path().join(a)).collect();
            discover(&args)
                .unwrap()
                .files
                .into_iter()
                .map(|f| f.shown)
                .collect()
        };
        assert_eq!(shown(&["nop"]), ["email/2025-11-07/SNV.xlsx"]);
        assert_eq!(
            shown(&["nop", "bo-sung", "le.csv"]),
            ["bo-sung/S02.csv", "le.csv", "nop/email/2025-11-07/SNV.xlsx"]
        );
    }
}
