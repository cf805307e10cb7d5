//! Resource limits: how much one input file may cost before it is refused.
//!
//! A folder of email attachments can hold anything, including a zip bomb or a
//! sheet declaring seventeen billion cells. Every limit here has a default that no
//! honest QCDC submission comes near, and every refusal names the limit.

use super::ReadError;
use std::io::{Read, Seek};

/// Limits applied to every input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Most non-empty cells kept from one sheet.
    pub max_cells_per_sheet: usize,
    /// Most rows of a CSV file.
    pub max_rows_per_sheet: u32,
    /// Largest grid (rows x columns between the outermost cells) an `.xls` or
    /// `.ods` sheet may span: calamine allocates it whole.
    pub max_sheet_area: u64,
    /// Largest total uncompressed size of a zip container's parts.
    pub max_unzipped_bytes: u64,
    /// Largest compression ratio of one zip part bigger than 1 MiB.
    pub max_zip_ratio: u64,
    /// Longest CSV field, in bytes.
    pub max_csv_field_bytes: usize,
    /// Deepest nesting of containers (a zip in a zip, a mail in a zip…).
    pub max_container_depth: usize,
    /// Most members (zip entries, mail attachments) opened from one input,
    /// nested containers included.
    pub max_container_members: usize,
    /// Most rows (paragraphs and table rows) read from a Word document.
    pub max_document_rows: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 100 * 1024 * 1024,
            max_cells_per_sheet: 2_000_000,
            max_rows_per_sheet: 1_048_576,
            max_sheet_area: 4_000_000,
            max_unzipped_bytes: 512 * 1024 * 1024,
            max_zip_ratio: 200,
            max_csv_field_bytes: 1024 * 1024,
            max_container_depth: 8,
            max_container_members: 1000,
            max_document_rows: 20_000,
        }
    }
}

impl Limits {
    /// Refuses a zip container whose declared sizes would inflate past the limits.
    pub fn check_zip<R: Read + Seek>(
        &self,
        archive: &mut zip::ZipArchive<R>,
    ) -> Result<(), ReadError> {
        let mut total: u64 = 0;
        for i in 0..archive.len() {
            let Ok(entry) = archive.by_index_raw(i) else {
                return Err(ReadError::Corrupt(format!(
                    "mục thứ {} của tệp nén không đọc được",
                    i + 1
                )));
            };
            let size = entry.size();
            let packed = entry.compressed_size().max(1);
            total = total.saturating_add(size);
            if size > 1024 * 1024 && size / packed > self.max_zip_ratio {
                return Err(ReadError::TooLarge(format!(
                    "phần '{}' nén {} lần (giới hạn {} lần): nghi là \"bom nén\" (zip bomb)",
                    entry.name().unwrap_or_default(),
                    size / packed,
                    self.max_zip_ratio
                )));
            }
        }
        if total > self.max_unzipped_bytes {
            return Err(ReadError::TooLarge(format!(
                "giải nén ra {total} byte (giới hạn {} byte)",
                self.max_unzipped_bytes
            )));
        }
        Ok(())
    }
}
