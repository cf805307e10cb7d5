//! Writing outputs whole or not at all, and never over an input.
//!
//! An output is first *reserved*: a temporary file is made in the destination
//! folder before the long read starts, which proves the folder exists and is
//! writable while nothing has been spent yet. The bytes then go into it and it is
//! renamed over the destination: a reader sees the old file or the new one, never
//! half of one. A failure drops the temporary file (deleted on drop), and a
//! signal that ends the process removes every one still pending
//! ([`remove_pending`]), so none is ever left behind.

use crate::inputs::Identity;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("không ghi đè lên tệp đầu vào {0}; hãy chọn tên tệp kết quả khác")]
    WouldOverwriteInput(String),
    #[error("không ghi được tệp {path}: {reason}")]
    Io { path: String, reason: String },
    #[error(
        "thư mục {folder} không tồn tại (cần cho tệp kết quả {path}); hãy tạo thư mục trước hoặc chọn nơi ghi khác"
    )]
    NoFolder { folder: String, path: String },
    #[error("{path}: {what} phải có đuôi {expected}; hãy đặt tên khác")]
    WrongExtension {
        path: String,
        what: &'static str,
        expected: &'static str,
    },
    #[error("{first} và {second} cùng ghi vào một tệp ({path}); hãy đặt tên khác nhau")]
    Collision {
        first: &'static str,
        second: &'static str,
        path: String,
    },
}

/// What an output is, for the checks on its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// The consolidated workbook (`-o`).
    Workbook,
    /// The long CSV (`--long`).
    LongCsv,
    /// The reminders list (`--reminders`): CSV or a workbook.
    Reminders,
}

impl OutputKind {
    fn what(self) -> &'static str {
        match self {
            OutputKind::Workbook => "biểu tổng hợp (-o)",
            OutputKind::LongCsv => "số liệu dạng dài (--long)",
            OutputKind::Reminders => "danh sách nhắc nộp (--reminders)",
        }
    }

    fn extensions(self) -> (&'static [&'static str], &'static str) {
        match self {
            OutputKind::Workbook => (&["xlsx"], ".xlsx"),
            OutputKind::LongCsv => (&["csv"], ".csv"),
            OutputKind::Reminders => (&["csv", "xlsx"], ".csv hoặc .xlsx"),
        }
    }
}

/// Checks the outputs a run will write, before any work: each name fits what
/// it is, no two are the same file, and each folder exists.
pub fn check_names(outputs: &[(&Path, OutputKind)]) -> Result<(), WriteError> {
    for (path, kind) in outputs {
        let (allowed, expected) = kind.extensions();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !ext.is_some_and(|e| allowed.contains(&e.as_str())) {
            return Err(WriteError::WrongExtension {
                path: path.display().to_string(),
                what: kind.what(),
                expected,
            });
        }
        let folder = folder_of(path);
        if !folder.is_dir() {
            return Err(WriteError::NoFolder {
                folder: folder.display().to_string(),
                path: path.display().to_string(),
            });
        }
    }
    for (i, (a, kind_a)) in outputs.iter().enumerate() {
        for (b, kind_b) in &outputs[i + 1..] {
            if same_destination(a, b) {
                return Err(WriteError::Collision {
                    first: kind_a.what(),
                    second: kind_b.what(),
                    path: b.display().to_string(),
                });
            }
        }
    }
    Ok(())
}

/// Whether two output paths name one file, whether or not it exists yet.
fn same_destination(a: &Path, b: &Path) -> bool {
    let place = |p: &Path| {
        let folder = std::fs::canonicalize(folder_of(p)).ok()?;
        Some(folder.join(p.file_name()?))
    };
    match (Identity::of(a), Identity::of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => place(a).is_some_and(|x| Some(x) == place(b)),
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Refuses outputs that would replace a file the run reads (the same file
/// through another spelling or a link included). Checked before any work.
pub fn ensure_not_input(outputs: &[&Path], read: &[Identity]) -> Result<(), WriteError> {
    for out in outputs {
        if Identity::of(out).is_some_and(|id| read.contains(&id)) {
            return Err(WriteError::WouldOverwriteInput(out.display().to_string()));
        }
    }
    Ok(())
}

/// Temporary files not yet renamed into place, for [`remove_pending`].
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every temporary file still pending and keeps the lock, so no output
/// is renamed into place afterwards: for a signal handler that ends the process
/// (tested on a real run in `tests/interrupt.rs`: it is process-wide).
pub fn remove_pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    let mut list = pending();
    for tmp in list.drain(..) {
        let _ = std::fs::remove_file(tmp);
    }
    list
}

/// An output whose temporary file exists in its folder, waiting for its bytes.
#[derive(Debug)]
pub struct Reserved {
    path: PathBuf,
    tmp_path: PathBuf,
    tmp: Option<tempfile::NamedTempFile>,
}

/// Reserves `path`: makes its temporary file now, so that a folder that is
/// missing or not writable is known before the long read.
pub fn reserve(path: &Path) -> Result<Reserved, WriteError> {
    let dir = folder_of(path);
    if !dir.is_dir() {
        return Err(WriteError::NoFolder {
            folder: dir.display().to_string(),
            path: path.display().to_string(),
        });
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".qcdc-").suffix(".tmp");
    // A temporary file is private (0600); the report is not: it keeps the mode of
    // the file it replaces, or gets the one any new file gets (0666 less umask),
    // so colleagues on a shared folder can open it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o666, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    // Held while the file is made and listed, so a signal sees it listed.
    let mut list = pending();
    let tmp = builder.tempfile_in(dir).map_err(|e| io_error(path, &e))?;
    list.push(tmp.path().to_path_buf());
    Ok(Reserved {
        path: path.to_path_buf(),
        tmp_path: tmp.path().to_path_buf(),
        tmp: Some(tmp),
    })
}

impl Reserved {
    /// Writes the bytes and renames the file into place.
    pub fn commit(mut self, bytes: &[u8]) -> Result<(), WriteError> {
        let mut tmp = self.tmp.take().expect("a reservation is committed once");
        let io = |e: std::io::Error| io_error(&self.path, &e);
        tmp.write_all(bytes).map_err(io)?;
        tmp.as_file().sync_all().map_err(io)?;
        // The rename happens under the lock: a signal either removed the file
        // before (and the process ends) or finds it already in place.
        let mut list = pending();
        list.retain(|p| *p != self.tmp_path);
        let persisted = tmp.persist(&self.path);
        drop(list);
        persisted.map(drop).map_err(|e| io(e.error))
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        pending().retain(|p| *p != self.tmp_path);
    }
}

/// Writes bytes to `path` atomically.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    reserve(path)?.commit(bytes)
}

/// The error in words, naming the output and never its temporary file.
fn io_error(path: &Path, e: &std::io::Error) -> WriteError {
    WriteError::Io {
        path: path.display().to_string(),
        reason: io_reason(e),
    }
}

/// What went wrong with a file, in Vietnamese, without the paths the system
/// error may carry.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "không có quyền truy cập (đọc hoặc ghi)".to_string(),
        K::StorageFull => "ổ đĩa đã đầy".to_string(),
        K::ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc".to_string(),
        K::IsADirectory => "đây là một thư mục".to_string(),
        K::NotFound => "không tìm thấy tệp hoặc thư mục".to_string(),
        kind => format!("lỗi hệ thống ({kind})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.csv");
        write(&out, b"a,b\n").unwrap();
        write(&out, b"c,d\n").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"c,d\n");
        let dropped = reserve(&dir.path().join("x.csv")).unwrap();
        drop(dropped);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        let missing_dir = dir.path().join("nope").join("r.csv");
        let err = write(&missing_dir, b"x").unwrap_err().to_string();
        assert!(err.contains("nope") && !err.contains(".qcdc-"), "{err}");
    }

    #[test]
    fn names_and_collisions_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        let (a, b, c) = (p("th.xlsx"), p("th.csv"), p("./th.xlsx"));
        assert!(check_names(&[(&a, OutputKind::Workbook), (&b, OutputKind::LongCsv)]).is_ok());
        let wrong = check_names(&[(&b, OutputKind::Workbook)]).unwrap_err();
        assert!(
            matches!(wrong, WriteError::WrongExtension { .. }),
            "{wrong}"
        );
        let same = check_names(&[(&a, OutputKind::Workbook), (&c, OutputKind::Reminders)]);
        assert!(
            matches!(same, Err(WriteError::Collision { .. })),
            "{same:?}"
        );
        let nowhere = p("khong-co/th.xlsx");
        let missing = check_names(&[(&nowhere, OutputKind::Workbook)]).unwrap_err();
        assert!(matches!(missing, WriteError::NoFolder { .. }), "{missing}");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_output_is_readable_by_others_and_a_replaced_one_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let fresh = dir.path().join("r.xlsx");
        write(&fresh, b"x").unwrap();
        // The mode any new file gets here (0666 less the umask), not 0600.
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").unwrap();
        assert_eq!(mode(&fresh), mode(&plain));
        let kept = dir.path().join("k.csv");
        std::fs::write(&kept, b"old").unwrap();
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
        write(&kept, b"new").unwrap();
        assert_eq!(mode(&kept), 0o640);
    }

    #[test]
    fn refuses_to_overwrite_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("S01.xlsx");
        std::fs::write(&input, b"x").unwrap();
        let read = [Identity::of(&input).unwrap()];
        let other_spelling = dir.path().join("./S01.xlsx");
        let err =
            ensure_not_input(&[&dir.path().join("new.xlsx"), &other_spelling], &read).unwrap_err();
        assert!(matches!(err, WriteError::WouldOverwriteInput(p) if p.ends_with("S01.xlsx")));
        assert!(ensure_not_input(&[&dir.path().join("new.xlsx")], &read).is_ok());
    }
}
