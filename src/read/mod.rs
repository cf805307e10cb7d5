//! Stage 1, read: a file on disk to sheets of cells.
//!
//! Every supported format (`.xlsx .xlsm .xls .xlsb .ods` through calamine, `.csv`
//! through the csv crate) becomes the same [`Workbook`]: named sheets of sparse
//! cells. Sparse, because a hostile sheet may declare cells at A1 and XFD1048576;
//! only cells that hold something are ever stored.
//!
//! The format is decided from the file's first bytes, not trusted from its
//! extension: an `.xls` exported by a web portal is often HTML, and an encrypted
//! `.xlsx` is an OLE container. Each such case gets its own [`ReadError`].

mod calc_pr;
pub mod container;
mod csv;
pub mod earlier;
pub(crate) mod formula;
pub(crate) mod guard;
pub mod legacy;
mod library_error;
mod limits;
pub mod own;
pub(crate) mod sniff;
mod spreadsheet;
mod utf16;
pub mod xlsx;

pub use container::Mail;
pub use limits::Limits;
pub use sniff::{Format, named_by_content};

use chrono::NaiveDateTime;
use std::path::Path;

/// One cell's content. Empty cells are not stored at all.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDateTime),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A formula whose stored result cannot be trusted (none stored,
    /// `fullCalcOnLoad`, manual calculation) and that the reader could not
    /// compute itself: the formula's text, without the leading `=`. Never a
    /// number, so a value cell holding one is an error naming the formula.
    UncomputedFormula(String),
}

/// A non-empty cell at a zero-based row and column.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
    pub value: CellValue,
}

/// A sheet: its name and its non-empty cells, sorted by row then column.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub cells: Vec<Cell>,
    /// Hidden (or very hidden) in the workbook: a form there never wins over a
    /// visible one.
    pub hidden: bool,
    /// The formula of every cell that has one, whatever its stored result (a
    /// formula with no stored result has no entry in `cells`), sorted like
    /// `cells`. Resolved against `Workbook::recalc` by the reader.
    pub formulas: Vec<FormulaCell>,
}

/// A cell's formula as written in the file, without the leading `=`.
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaCell {
    pub row: u32,
    pub col: u32,
    pub formula: String,
}

/// The workbook's calculation settings (`<calcPr>` in `xl/workbook.xml`): when
/// either is set, no stored formula result can be trusted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recalc {
    /// `fullCalcOnLoad="1"`: the producer asks to recalculate on opening
    /// (xlsxwriter writes it with every stored result 0).
    pub full_calc_on_load: bool,
    /// `calcMode="manual"`: stored results may be stale.
    pub manual: bool,
}

/// Everything read from one file.
#[derive(Debug, Default)]
pub struct Workbook {
    pub format: Option<Format>,
    pub sheets: Vec<Sheet>,
    pub recalc: Recalc,
    /// Things the reader noticed that the officer should know (a CSV decoded as
    /// Windows-1258, a sheet that could not be read while others could).
    pub notes: Vec<ReadNote>,
}

/// A remark about reading, attached to the file or one of its sheets.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadNote {
    pub sheet: Option<String>,
    /// The zero-based (row, column) of the cell it is about, if one.
    pub cell: Option<(u32, u32)>,
    pub message: String,
}

/// Why a file could not be read. Messages are for the officer, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("tệp rỗng (0 byte)")]
    Empty,
    #[error("tệp được đặt mật khẩu (mã hóa); hãy đề nghị đơn vị gửi lại bản không đặt mật khẩu")]
    Encrypted,
    #[error(
        "tệp thực chất là trang HTML (thường do xuất từ phần mềm trên web), không phải bảng tính Excel; hãy mở bằng Excel rồi lưu lại dạng .xlsx"
    )]
    Html,
    #[error(
        "tệp là bảng tính dạng XML của Excel 2003, chưa được hỗ trợ; hãy mở bằng Excel rồi lưu lại dạng .xlsx"
    )]
    SpreadsheetXml,
    #[error("tệp không phải bảng tính ({0})")]
    NotSpreadsheet(String),
    #[error("tệp bị hỏng hoặc không đầy đủ: {0}")]
    Corrupt(String),
    #[error("tệp vượt giới hạn an toàn: {0}")]
    TooLarge(String),
    #[error(
        "đường dẫn '{0}' trong tệp nén trỏ ra ngoài tệp nén (có '..' hoặc là đường dẫn tuyệt đối); không giải nén mục này, hãy đề nghị đơn vị nén lại"
    )]
    UnsafePath(String),
    #[error("lỗi hệ thống khi mở hoặc đọc tệp: {0}")]
    Io(String),
}

/// Whether a path names a format we read, by extension (case-insensitive).
/// Anything else found in an input folder is skipped and counted.
pub fn is_supported(path: &Path) -> bool {
    sniff::extension(path).is_some()
}

/// Reads a whole file. Never panics on any content; every failure is a
/// [`ReadError`].
pub fn read_file(path: &Path, limits: &Limits) -> Result<Workbook, ReadError> {
    read_bytes(&bounded_bytes(path, limits)?, path, limits)
}

/// A file's bytes, refused past the size limit.
pub fn bounded_bytes(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let size = file
        .metadata()
        .map_err(|e| ReadError::Io(e.to_string()))?
        .len();
    file_bytes(file, size, limits)
}

/// An open file's bytes (`size` as its metadata gives it), refusing a file
/// larger than the limit, also one that grows past it while it is read.
pub fn file_bytes(file: std::fs::File, size: u64, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let too_large = |size: u64| {
        ReadError::TooLarge(format!(
            "tệp {size} byte, giới hạn {} byte",
            limits.max_file_bytes
        ))
    };
    if size > limits.max_file_bytes {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a file's bytes; `path` gives the extension and the CSV sheet name.
pub fn read_bytes(bytes: &[u8], path: &Path, limits: &Limits) -> Result<Workbook, ReadError> {
    read_bytes_via(bytes, path, limits, true)
}

/// [`read_bytes`] with every `.xlsx` read by calamine, the fast reader's
/// reference (for the test and the fuzz target that compare the two).
#[doc(hidden)]
pub fn read_bytes_with_calamine(
    bytes: &[u8],
    path: &Path,
    limits: &Limits,
) -> Result<Workbook, ReadError> {
    read_bytes_via(bytes, path, limits, false)
}

fn read_bytes_via(
    bytes: &[u8],
    path: &Path,
    limits: &Limits,
    fast: bool,
) -> Result<Workbook, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let format = sniff::detect(bytes, path, limits)?;
    // The fast `.xlsx` path; what it does not follow exactly goes to calamine.
    let fast = match format {
        Format::Xlsx if fast => xlsx::read(bytes, limits).ok(),
        _ => None,
    };
    let mut workbook = match format {
        _ if fast.is_some() => fast.unwrap_or_default(),
        Format::Csv => csv::read(bytes, &sheet_name_of(path), limits)?,
        Format::Docx => container::docx::read(bytes, limits)?,
        // calamine has panicked on malformed files (fuzzing found slice bounds in
        // its OLE reader); such a panic is this file's error, not the run's end.
        _ => {
            let read = {
                let _contained = Contained::enter();
                std::panic::catch_unwind(|| spreadsheet::read(bytes, format, limits))
            };
            read.unwrap_or_else(|panic| {
                Err(ReadError::Corrupt(format!(
                    "thư viện đọc bảng tính dừng giữa chừng vì cấu trúc tệp sai ({})",
                    panic_message(panic.as_ref())
                )))
            })?
        }
    };
    workbook.format = Some(format);
    for sheet in &mut workbook.sheets {
        sheet.cells.sort_unstable_by_key(|c| (c.row, c.col));
    }
    formula::resolve(&mut workbook);
    legacy::convert(&mut workbook);
    Ok(workbook)
}

thread_local! {
    /// Set while this thread is inside a spreadsheet reader whose panics become
    /// the file's error.
    static CONTAINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While alive, this thread is inside a third-party reader (calamine, the zip
/// crate, mailparse) whose panics are caught and become the file's error; on
/// drop (unwinding included) the previous state returns, so readers nest.
pub(crate) struct Contained(bool);

impl Contained {
    pub(crate) fn enter() -> Contained {
        Contained(CONTAINED.replace(true))
    }
}

impl Drop for Contained {
    fn drop(&mut self) {
        CONTAINED.set(self.0);
    }
}

/// Whether this panic, raised now on this thread, is a third-party reader's that
/// will be caught and reported as the file's error: a panic hook can keep quiet
/// about it. Any other panic (qcdc's own code, or outside reading) is a crash
/// that must be seen.
pub fn is_contained_panic(info: &std::panic::PanicHookInfo) -> bool {
    let third_party = info.location().is_some_and(|l| {
        let file = l.file().replace('\\', "/");
        file.contains("/registry/src/") || file.contains("/vendor/")
    });
    third_party && CONTAINED.get()
}

/// The text a panic was raised with, for the message that replaces it.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// A CSV's single sheet is named after the file, without its extension.
fn sheet_name_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "CSV".to_string())
}

/// A1 notation of a zero-based cell position (`(0, 0)` is `A1`). Every value a
/// form holds is located by it, so it is built without the formatting machinery.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = [0u8; 8];
    let mut start = letters.len();
    let mut n = col as u64 + 1;
    while n > 0 {
        start -= 1;
        letters[start] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    let mut out = String::with_capacity(letters.len() - start + 7);
    out.extend(letters[start..].iter().map(|&b| char::from(b)));
    out.push_str(itoa::Buffer::new().format(row as u64 + 1));
    out
}

impl CellValue {
    /// The cell as an officer would read it on screen.
    pub fn display(&self) -> String {
        match self {
            CellValue::Text(t) => t.clone(),
            CellValue::Number(n) => format_number(*n),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            CellValue::Date(d) if d.time() == chrono::NaiveTime::MIN => {
                d.format("%d/%m/%Y").to_string()
            }
            CellValue::Date(d) => d.format("%d/%m/%Y %H:%M").to_string(),
            CellValue::Error(e) => e.clone(),
            CellValue::UncomputedFormula(f) => format!("={f}"),
        }
    }

    /// The text of a text cell, else `None`.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            CellValue::Text(t) => Some(t),
            _ => None,
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// qcdc's own panics are never silenced, inside reading or out; a calamine
    /// panic while reading is (tests/hostile.rs sees that from the binary).
    #[test]
    fn own_panics_are_never_contained() {
        use std::sync::{Arc, Mutex};
        let seen = Arc::new(Mutex::new(Vec::new()));
        let previous: Arc<dyn Fn(&std::panic::PanicHookInfo) + Send + Sync> =
            Arc::from(std::panic::take_hook());
        let (record, other) = (seen.clone(), previous.clone());
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some("probe") {
                record.lock().unwrap().push(is_contained_panic(info));
            } else {
                other(info);
            }
        }));
        std::thread::Builder::new()
            .name("probe".into())
            .spawn(|| {
                let _ = std::panic::catch_unwind(|| panic!("outside reading"));
                CONTAINED.set(true);
                let _ = std::panic::catch_unwind(|| panic!("qcdc's code while reading"));
                CONTAINED.set(false);
            })
            .unwrap()
            .join()
            .unwrap();
        std::panic::set_hook(Box::new(move |info| previous(info)));
        assert_eq!(*seen.lock().unwrap(), [false, false]);
    }

    #[test]
    fn file_bytes_are_bounded_by_the_limit_even_when_the_size_lied() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, b"0123456789").unwrap();
        let open = || std::fs::File::open(&path).unwrap();
        let limits = |max| Limits {
            max_file_bytes: max,
            ..Limits::default()
        };
        assert_eq!(file_bytes(open(), 10, &limits(10)).unwrap().len(), 10);
        // No limit at all (`--max-file-mb` huge) must not wrap around to zero.
        assert_eq!(file_bytes(open(), 10, &limits(u64::MAX)).unwrap().len(), 10);
        assert!(matches!(
            file_bytes(open(), 10, &limits(9)),
            Err(ReadError::TooLarge(m)) if m.starts_with("tệp 10 byte")
        ));
        // The file grew after its size was taken: still refused.
        assert!(matches!(
            file_bytes(open(), 5, &limits(9)),
            Err(ReadError::TooLarge(m)) if m.starts_with("tệp 10 byte")
        ));
    }

    #[test]
    fn a1_addresses() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(14, 4), "E15");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn numbers_display_as_typed() {
        assert_eq!(CellValue::Number(12.0).display(), "12");
        assert_eq!(CellValue::Number(12.5).display(), "12.5");
    }
}
