//! Bounding what calamine will allocate, before it sees the bytes.
//!
//! calamine's `.xls` reader builds every sheet's dense bounding box when the
//! workbook is opened, and its `.ods` reader expands repeated rows and columns
//! into a dense grid of up to 100 million cells (about 3 GB). A file of a few
//! kilobytes can ask for either: one cell at A1 and one at the far corner. These
//! scans read only the cell positions (BIFF records; `content.xml` events) and
//! refuse a sheet whose grid would exceed [`Limits::max_sheet_area`]. A file they
//! cannot make sense of is left to calamine, which reports it as corrupt.

use super::{Limits, ReadError};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

/// A sheet's occupied rectangle, grown cell by cell.
#[derive(Default)]
struct Extent {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Extent {
    fn add(&mut self, rows: (u64, u64), cols: (u64, u64)) {
        let grow = |span: &mut Option<(u64, u64)>, (a, b): (u64, u64)| {
            *span = Some(span.map_or((a, b), |(lo, hi)| (lo.min(a), hi.max(b))));
        };
        grow(&mut self.rows, rows);
        grow(&mut self.cols, cols);
    }

    fn area(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1).saturating_mul(c1 - c0 + 1),
            _ => 0,
        }
    }
}

fn too_large(sheet: &str, area: u64, limits: &Limits) -> ReadError {
    ReadError::TooLarge(format!(
        "trang tính '{sheet}' trải trên {area} ô (giới hạn {} ô); tệp có thể được tạo để làm treo máy",
        limits.max_sheet_area
    ))
}

/// Checks every sheet of an `.ods` file.
pub fn ods(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheet = String::new();
    let mut extent = Extent::default();
    let mut row = Span::default();
    // The cell being read: its columns, and whether it holds anything (a value
    // type, or any element inside it). Styled empty cells repeated to the sheet's
    // edge are what LibreOffice writes everywhere; they hold nothing.
    let mut cell: Option<((u64, u64), bool)> = None;
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(e) => e,
        };
        let empty = matches!(event, Event::Empty(_));
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    sheet = attr(e, "table:name").unwrap_or_default();
                    extent = Extent::default();
                    row = Span::default();
                }
                "table:table-row" => {
                    row.open(number(e, "table:number-rows-repeated"));
                    if empty {
                        row.close(&mut extent);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let cols = row.take_columns(number(e, "table:number-columns-repeated"));
                    let valued = attr(e, "office:value-type").is_some();
                    if empty {
                        row.fill(cols, valued);
                    } else {
                        cell = Some((cols, valued));
                    }
                }
                _ => {
                    if let Some((_, content)) = &mut cell {
                        *content = true;
                    }
                }
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some((cols, content)) = cell.take() {
                        row.fill(cols, content);
                    }
                }
                "table:table-row" => row.close(&mut extent),
                "table:table" if extent.area() > limits.max_sheet_area => {
                    return Err(too_large(&sheet, extent.area(), limits));
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
}

/// The `.ods` row being read: where it starts, how often it repeats, the next
/// column, and the columns holding something.
#[derive(Default)]
struct Span {
    first: u64,
    repeat: u64,
    next_col: u64,
    filled: Option<(u64, u64)>,
}

impl Span {
    fn open(&mut self, repeat: u64) {
        self.repeat = repeat;
        self.next_col = 0;
        self.filled = None;
    }

    fn take_columns(&mut self, span: u64) -> (u64, u64) {
        let first = self.next_col;
        self.next_col = first.saturating_add(span);
        (first, first.saturating_add(span - 1))
    }

    fn fill(&mut self, (a, b): (u64, u64), content: bool) {
        if content {
            self.filled = Some(
                self.filled
                    .map_or((a, b), |(lo, hi)| (lo.min(a), hi.max(b))),
            );
        }
    }

    fn close(&mut self, extent: &mut Extent) {
        if let Some(cols) = self.filled {
            extent.add(
                (self.first, self.first.saturating_add(self.repeat - 1)),
                cols,
            );
        }
        self.first = self.first.saturating_add(self.repeat);
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// A repeat count (at least 1; a garbled one counts as 1).
fn number(e: &BytesStart, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// The OLE sector chains exactly as calamine 0.38 will follow them (its FAT is
/// built from every DIFAT entry, not the declared count, so another reader's
/// view does not protect it). calamine walks the directory chain without a cycle
/// check and indexes the FAT without a bounds check, and reads each stream up to
/// its declared length: fuzzing found a looping chain that grew a buffer past
/// 2 GB. Refused here: a looping or out-of-range directory chain, and any declared
/// length larger than the file itself.
fn calamine_chains(bytes: &[u8]) -> Result<(), String> {
    const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
    const DIF_SECTOR: u32 = 0xFFFF_FFFC;
    const RESERVED: u32 = 0xFFFF_FFFA;
    let u32_at = |b: &[u8], i: usize| {
        b.get(i..i + 4)
            .map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
    };
    if bytes.len() < 512 {
        return Err("thiếu phần đầu tệp".into());
    }
    let (size, header) = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => (512usize, 512usize),
        12 => (4096, 4096),
        _ => return Ok(()), // calamine refuses it itself
    };
    let max_id = bytes.len() / size;
    let sector = |id: u32| -> &[u8] {
        let start = header.saturating_add((id as usize).saturating_mul(size));
        bytes
            .get(start..bytes.len().min(start.saturating_add(size)))
            .unwrap_or(&[])
    };
    let words = |b: &[u8]| {
        b.chunks_exact(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect::<Vec<_>>()
    };
    let mut difat = words(&bytes[76..512]);
    let mut next = u32_at(bytes, 68).unwrap_or(END_OF_CHAIN);
    let mut hops = 0usize;
    while next < RESERVED {
        hops += 1;
        if hops > max_id + 1 || next as usize > max_id {
            return Ok(()); // calamine reports these itself
        }
        difat.extend(words(sector(next)));
        next = difat.pop().unwrap_or(END_OF_CHAIN);
    }
    let fats: Vec<u32> = difat
        .into_iter()
        .filter(|&id| id < DIF_SECTOR)
        .flat_map(|id| words(sector(id)))
        .collect();
    let file_len = bytes.len() as u64;
    let version = u16::from_le_bytes([bytes[26], bytes[27]]);
    let mut seen = vec![false; fats.len()];
    let mut id = u32_at(bytes, 48).unwrap_or(END_OF_CHAIN);
    while id != END_OF_CHAIN {
        if id as usize > max_id {
            return Ok(()); // calamine reports a sector past the end
        }
        for entry in sector(id).chunks_exact(128) {
            let len = match version {
                3 => u64::from(u32_at(entry, 120).unwrap_or(0)),
                _ => entry
                    .get(120..128)
                    .and_then(|b| b.try_into().ok())
                    .map_or(0, u64::from_le_bytes),
            };
            if len > file_len {
                return Err(format!("một phần khai báo dài {len} byte, lớn hơn cả tệp"));
            }
        }
        let Some(visited) = seen.get_mut(id as usize) else {
            return Err(format!("chuỗi thư mục trỏ tới cung {id} ngoài bảng FAT"));
        };
        if std::mem::replace(visited, true) {
            return Err("chuỗi thư mục lặp vòng".into());
        }
        id = fats[id as usize];
    }
    let mini_fat_bytes = u64::from(u32_at(bytes, 64).unwrap_or(0)).saturating_mul(size as u64);
    if mini_fat_bytes > file_len {
        return Err(format!(
            "bảng mini-FAT khai báo {mini_fat_bytes} byte, lớn hơn cả tệp"
        ));
    }
    Ok(())
}

/// Checks an `.xls` (BIFF5/8) file: its OLE container must be sound (see
/// [`calamine_chains`]; the `cfb` crate then reads the workbook stream), and no
/// sheet may span more than the limit.
pub fn xls(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let corrupt =
        |why: String| ReadError::Corrupt(format!("vỏ OLE của tệp .xls không hợp lệ: {why}"));
    calamine_chains(bytes).map_err(corrupt)?;
    let mut cfb =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
    let stream = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find_map(|p| cfb.open_stream(p).ok());
    let Some(mut stream) = stream else {
        return Err(ReadError::Corrupt(
            "tệp .xls không có phần dữ liệu bảng tính (Workbook)".into(),
        ));
    };
    let mut data = Vec::new();
    // A stream cannot hold more than the file.
    stream
        .by_ref()
        .take(bytes.len() as u64)
        .read_to_end(&mut data)
        .map_err(|e| corrupt(e.to_string()))?;
    let (mut sheet, mut extent) = (0usize, Extent::default());
    let mut pos = 0usize;
    while pos + 4 <= data.len() {
        let kind = u16::from_le_bytes([data[pos], data[pos + 1]]);
        let len = u16::from_le_bytes([data[pos + 2], data[pos + 3]]) as usize;
        let body = &data[pos + 4..(pos + 4 + len).min(data.len())];
        pos += 4 + len;
        let u16_at = |i: usize| {
            body.get(i..i + 2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]) as u64)
        };
        match kind {
            // FILEPASS: what follows is encrypted; calamine reports the password.
            0x002F => return Ok(()),
            0x0809 => {
                sheet += 1;
                extent = Extent::default();
            }
            0x000A if extent.area() > limits.max_sheet_area => {
                return Err(too_large(
                    &format!("thứ {}", sheet.saturating_sub(1)),
                    extent.area(),
                    limits,
                ));
            }
            // FORMULA, NUMBER, LABEL, BOOLERR, RK, LABELSST, RSTRING: row, col.
            0x0006 | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x00D6 => {
                if let (Some(r), Some(c)) = (u16_at(0), u16_at(2)) {
                    extent.add((r, r), (c, c));
                }
            }
            // MULRK: row, first column, ..., last column in the final two bytes.
            0x00BD if body.len() >= 6 => {
                if let (Some(r), Some(c0), Some(c1)) =
                    (u16_at(0), u16_at(2), u16_at(body.len() - 2))
                {
                    extent.add((r, r), (c0.min(c1), c0.max(c1)));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Crafted files for tests and fuzzing seeds: see [`crate::fuzzing`].
#[doc(hidden)]
pub mod fixtures {
    use super::*;
    use std::io::Write;

    /// An `.ods` whose one sheet has a value at A1 and one `rows` rows and
    /// `cols` columns further, with LibreOffice's styled empty filler around them.
    pub fn spread_ods(rows: u64, cols: u64) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Lon">
<table:table-row><table:table-cell office:value-type="string"><text:p>A1</text:p></table:table-cell><table:table-cell table:style-name="ce1" table:number-columns-repeated="16383"></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="{}"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="{cols}"/><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#,
            rows.saturating_sub(1).max(1)
        );
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    /// An `.xls` (OLE + BIFF8 records) with numbers at two corners of one sheet.
    pub fn spread_xls(last_row: u16, last_col: u16) -> Vec<u8> {
        let record = |kind: u16, body: &[u8]| {
            let mut r = kind.to_le_bytes().to_vec();
            r.extend((body.len() as u16).to_le_bytes());
            r.extend_from_slice(body);
            r
        };
        let number = |row: u16, col: u16| {
            let mut b = row.to_le_bytes().to_vec();
            b.extend(col.to_le_bytes());
            b.extend(0u16.to_le_bytes());
            b.extend(1.0f64.to_le_bytes());
            record(0x0203, &b)
        };
        let bof = record(
            0x0809,
            &[0x00, 0x06, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        );
        let mut stream = Vec::new();
        for part in [
            bof.clone(),
            record(0x000A, &[]),
            bof,
            number(0, 0),
            number(last_row, last_col),
            record(0x000A, &[]),
        ] {
            stream.extend(part);
        }
        let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cfb.create_stream("/Workbook")
            .unwrap()
            .write_all(&stream)
            .unwrap();
        cfb.flush().unwrap();
        cfb.into_inner().into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn whole_grid_ods_is_refused_small_ones_pass() {
        let limits = Limits::default();
        let err = ods(&spread_ods(1_048_575, 16_000), &limits).unwrap_err();
        assert!(
            matches!(&err, ReadError::TooLarge(m) if m.contains("'Lon'")),
            "{err}"
        );
        assert!(ods(&spread_ods(60, 8), &limits).is_ok());
    }

    #[test]
    fn whole_grid_xls_is_refused_small_ones_pass() {
        let limits = Limits::default();
        let err = xls(&spread_xls(65_535, 255), &limits).unwrap_err();
        assert!(
            matches!(&err, ReadError::TooLarge(m) if m.contains("16777216")),
            "{err}"
        );
        assert!(xls(&spread_xls(60, 8), &limits).is_ok());
    }
}
