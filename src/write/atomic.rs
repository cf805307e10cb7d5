//! Writing outputs whole or not at all, and never over an input.
//!
//! The bytes go to a temporary file in the destination folder, which is then
//! renamed over the destination: a reader sees the old file or the new one, never
//! half of one, and a failure leaves no temporary file behind (it is deleted when
//! dropped).

use crate::inputs::Identity;
use std::io::Write;
use std::path::Path;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("không ghi đè lên tệp đầu vào {0}; hãy chọn tên tệp kết quả khác")]
    WouldOverwriteInput(String),
    #[error("không ghi được tệp {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Refuses outputs that would replace a file the run reads (the same file
/// through another spelling or a link included). Checked before any work, so
/// nothing is written.
pub fn ensure_not_input(outputs: &[&Path], read: &[Identity]) -> Result<(), WriteError> {
    for out in outputs {
        if Identity::of(out).is_some_and(|id| read.contains(&id)) {
            return Err(WriteError::WouldOverwriteInput(out.display().to_string()));
        }
    }
    Ok(())
}

/// Writes bytes to `path` atomically.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
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
    let mut tmp = builder.tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
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
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        let missing_dir = dir.path().join("nope").join("r.csv");
        assert!(write(&missing_dir, b"x").is_err());
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
