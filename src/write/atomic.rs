//! Writing outputs whole or not at all, and never over an input.
//!
//! The bytes go to a temporary file in the destination folder, which is then
//! renamed over the destination: a reader sees the old file or the new one, never
//! half of one, and a failure leaves no temporary file behind (it is deleted when
//! dropped).

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Refuses an output path that is one of the inputs (or inside the same file
/// through another spelling or a link).
pub fn ensure_not_input(out: &Path, inputs: &[PathBuf]) -> Result<(), WriteError> {
    let Ok(target) = std::fs::metadata(out) else {
        return Ok(()); // does not exist yet, so it is no input
    };
    let clash = inputs
        .iter()
        .any(|i| std::fs::metadata(i).is_ok_and(|m| same_file(&m, &target, i, out)));
    if clash {
        return Err(WriteError::WouldOverwriteInput(out.display().to_string()));
    }
    Ok(())
}

/// One stat per input where files have an identity (device and inode: links and
/// other spellings included); canonical paths elsewhere.
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata, a_path: &Path, b_path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = (a_path, b_path);
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        match (std::fs::canonicalize(a_path), std::fs::canonicalize(b_path)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
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
    let mut tmp = tempfile::Builder::new()
        .prefix(".qcdc-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
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

    #[test]
    fn refuses_to_overwrite_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("S01.xlsx");
        std::fs::write(&input, b"x").unwrap();
        let err = ensure_not_input(
            &dir.path().join("./S01.xlsx"),
            &[dir.path().to_path_buf(), input.clone()],
        )
        .unwrap_err();
        assert!(matches!(err, WriteError::WouldOverwriteInput(_)));
        assert!(ensure_not_input(&dir.path().join("new.xlsx"), &[input]).is_ok());
    }
}
