//! The zip package: its parts found as calamine finds them, and inflated.
//!
//! A part is inflated in one shot from its compressed bytes in the archive into
//! a buffer of its declared size, by one inflater per thread that is reset, not
//! rebuilt, between parts: the zip crate's reader, streaming through a CRC
//! reader, a buffered inflater and a zeroed growing buffer, and building a new
//! inflater (and its window) for every part, cost a form about as much as the
//! inflating itself. The bytes are then held to the zip crate's own checks, the
//! CRC-32 and the declared size. Only what that path follows exactly takes it: a
//! stored or deflated, unencrypted part whose deflate stream ends exactly at the
//! end of its compressed bytes, at its declared size. Anything else (another
//! method, encryption, a stream that errs, ends early or late, or leaves bytes
//! over) is read by the zip crate as before, so a part reads to the same bytes,
//! or the same refusal, either way.

use super::remembered::{self, Identity, Remembered};
use super::{Fallback, Limits};
use flate2::{Decompress, FlushDecompress, Status};
use std::cell::RefCell;
use std::io::{Cursor, Read};
use zip::CompressionMethod;

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Parts declared larger than this are left to the zip crate, which grows its
/// buffer as the bytes come instead of trusting a header with the allocation.
const ONE_SHOT_MAX: u64 = 64 << 20;

/// The zip package, its parts found as calamine finds them.
pub struct Package<'a> {
    bytes: &'a [u8],
    zip: Zip<'a>,
    /// Most bytes one part may inflate to, whatever its header declares.
    max_part: u64,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Package<'a>, Fallback> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Fallback("zip"))?;
        Ok(Package {
            bytes,
            zip,
            max_part: limits.max_unzipped_bytes,
        })
    }

    /// A part's bytes, found as calamine finds it (case-insensitively, `\` as
    /// `/`, the last of equals winning); `None` if there is no such part.
    pub fn part(&mut self, path: &str) -> Result<Option<Vec<u8>>, Fallback> {
        let Some(index) = self.index_of(path)? else {
            return Ok(None);
        };
        if let Some(bytes) = self.one_shot(index)? {
            return Ok(Some(bytes));
        }
        self.streamed(index)
    }

    /// A part that forms of one template share (`remembered.rs`): its bytes as
    /// [`Package::part`] gives them, inflated once per thread.
    pub fn shared_part(&mut self, path: &str) -> Result<Option<Vec<u8>>, Fallback> {
        thread_local! {
            static SEEN: RefCell<Remembered<Option<Vec<u8>>>> = RefCell::default();
        }
        let id = self.identity(path)?;
        remembered::reading(&SEEN, id, || self.part(path))
    }

    /// Where a part is in the zip, found as calamine finds it.
    fn index_of(&mut self, path: &str) -> Result<Option<usize>, Fallback> {
        let mut name = path.to_string();
        for entry in self.zip.file_names() {
            let entry = entry.map_err(|_| Fallback("zip name"))?;
            if same_part(&entry, path) {
                name = entry.into_owned();
            }
        }
        Ok(self.zip.index_for_name(&name))
    }

    /// A part's identity in the zip, when it has one that can be placed.
    pub fn identity(&mut self, path: &str) -> Result<Option<Identity<'a>>, Fallback> {
        let Some(index) = self.index_of(path)? else {
            return Ok(None);
        };
        self.identity_at(index)
    }

    fn identity_at(&mut self, index: usize) -> Result<Option<Identity<'a>>, Fallback> {
        let file = self
            .zip
            .by_index_raw(index)
            .map_err(|_| Fallback("zip part"))?;
        let data = file.data_start().and_then(|start| {
            let end = start.checked_add(file.compressed_size())?;
            self.bytes
                .get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
        });
        Ok(data.map(|data| Identity {
            method: file.compression(),
            encrypted: file.encrypted(),
            crc: file.crc32(),
            size: file.size(),
            data,
        }))
    }

    /// A part's bytes up to where `end` finds that what is needed of it ends,
    /// and whether they were cut there; the whole part where it is not found or
    /// the part is not a plain deflated one. Calamine stops reading a sheet at
    /// the end of its cells, but its buffered reader has by then inflated up to
    /// [`READ_AHEAD`] bytes more, and the zip crate refuses a part there that
    /// outgrows its declared size, ends short of it or fails its CRC-32: the
    /// cut is taken only when that much more inflates cleanly within the size
    /// (and, where the part ends within it, whole and to its CRC-32); anything
    /// else is read as a whole part, so it meets the same refusal.
    pub fn part_until(
        &mut self,
        path: &str,
        end: impl Fn(&[u8], usize) -> Option<usize>,
    ) -> Result<Option<(Vec<u8>, bool)>, Fallback> {
        let Some(index) = self.index_of(path)? else {
            return Ok(None);
        };
        if let Some(id) = self.identity_at(index)?
            && id.method == CompressionMethod::Deflated
            && !id.encrypted
            && id.size <= ONE_SHOT_MAX.min(self.max_part)
            && let Some(bytes) = inflate_until(&id, end)
        {
            return Ok(Some((bytes, true)));
        }
        Ok(self.part(path)?.map(|bytes| (bytes, false)))
    }

    /// The part inflated in one shot, or `None` where the zip crate must read it.
    fn one_shot(&mut self, index: usize) -> Result<Option<Vec<u8>>, Fallback> {
        let Some(id) = self.identity_at(index)? else {
            return Ok(None);
        };
        if id.encrypted || id.size > ONE_SHOT_MAX.min(self.max_part) {
            return Ok(None);
        }
        let bytes = match id.method {
            CompressionMethod::Stored if id.data.len() as u64 == id.size => id.data.to_vec(),
            CompressionMethod::Deflated => match inflate(id.data, id.size as usize) {
                Some(bytes) => bytes,
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        Ok(id.holds(&bytes).then_some(bytes))
    }

    /// The part read through the zip crate's reader, with its checks.
    fn streamed(&mut self, index: usize) -> Result<Option<Vec<u8>>, Fallback> {
        let file = self.zip.by_index(index).map_err(|_| Fallback("zip part"))?;
        let mut bytes = Vec::with_capacity(file.size().min(64 << 20) as usize);
        file.take(self.max_part.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|_| Fallback("zip part inflate"))?;
        if bytes.len() as u64 > self.max_part {
            return Err(Fallback("part larger than the limit"));
        }
        Ok(Some(bytes))
    }
}

thread_local! {
    /// One inflater per thread, reset between parts.
    static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(false));
}

/// A raw deflate stream that ends exactly at the end of `data` and inflates to
/// exactly `size` bytes; `None` for anything else.
fn inflate(data: &[u8], size: usize) -> Option<Vec<u8>> {
    INFLATER.with(|inflater| {
        let mut inflater = inflater.borrow_mut();
        inflater.reset(false);
        let mut out = Vec::with_capacity(size);
        let status = inflater
            .decompress_vec(data, &mut out, FlushDecompress::Finish)
            .ok()?;
        let whole = status == Status::StreamEnd
            && inflater.total_in() == data.len() as u64
            && out.len() == size;
        whole.then_some(out)
    })
}

/// How far past what it has parsed calamine's reader may have inflated a part:
/// the capacity of the `std::io::BufReader` it reads a zip entry through.
const READ_AHEAD: usize = 8 * 1024;

/// A part (a raw deflate stream of at most its declared size) inflated step by
/// step until `end` finds where the bytes needed end (it is given the bytes so
/// far and where the new ones begin), and then [`READ_AHEAD`] bytes on; the
/// bytes to that end, or `None` when the stream errs, outgrows the size or
/// ends first, or ends within the read-ahead other than whole and to its
/// CRC-32. The steps are of compressed input, so the output stays one buffer
/// that back-references read from directly.
fn inflate_until(part: &Identity, end: impl Fn(&[u8], usize) -> Option<usize>) -> Option<Vec<u8>> {
    /// A step of compressed bytes, a few KB of a form's XML: smaller steps
    /// inflate less past the end of the cells, for more calls.
    const STEP: usize = 512;
    let size = usize::try_from(part.size).ok()?;
    INFLATER.with(|inflater| {
        let mut inflater = inflater.borrow_mut();
        inflater.reset(false);
        let mut out = Vec::with_capacity(size);
        let mut input = part.data;
        let mut cut = None;
        loop {
            let (read, new) = (inflater.total_in(), out.len());
            let step = &input[..input.len().min(STEP)];
            let last = step.len() == input.len();
            let flush = if last {
                FlushDecompress::Finish
            } else {
                FlushDecompress::None
            };
            let status = inflater.decompress_vec(step, &mut out, flush).ok()?;
            let consumed = (inflater.total_in() - read) as usize;
            input = &input[consumed..];
            if out.len() > size {
                return None;
            }
            cut = cut.or_else(|| end(&out, new));
            let ended = status == Status::StreamEnd;
            if let Some(at) = cut
                && (ended || out.len() >= at.saturating_add(READ_AHEAD))
            {
                if ended && !part.holds(&out) {
                    return None;
                }
                out.truncate(at);
                return Some(out);
            }
            let stuck = consumed == 0 && out.len() == new;
            if ended || stuck {
                return None;
            }
        }
    })
}

/// Whether a zip entry's name is this part's path once `\` reads as `/` and
/// case is folded, as calamine compares them.
fn same_part(entry: &str, path: &str) -> bool {
    let slash = |b: u8| if b == b'\\' { b'/' } else { b };
    entry.len() == path.len()
        && entry
            .bytes()
            .zip(path.bytes())
            .all(|(a, b)| slash(a).eq_ignore_ascii_case(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn parts(package: &Package) -> Vec<String> {
        let names = package.zip.file_names().filter_map(Result::ok);
        names.map(|n| n.into_owned()).collect()
    }

    /// Every part of every `.xlsx` fixture reads to the same bytes in one shot
    /// as through the zip crate, and most take the one-shot path.
    #[test]
    fn one_shot_parts_are_the_zip_crates_bytes() {
        let (mut one_shot, mut streamed) = (0, 0);
        for entry in walkdir::WalkDir::new("tests/data") {
            let path = entry.unwrap().into_path();
            if !path.extension().is_some_and(|e| e == "xlsx" || e == "xlsm") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let Ok(mut package) = Package::open(&bytes, &Limits::default()) else {
                continue;
            };
            for name in parts(&package) {
                let index = package.zip.index_for_name(&name).unwrap();
                let reference = package.streamed(index);
                match package.one_shot(index) {
                    Ok(Some(fast)) => {
                        assert_eq!(Ok(Some(fast)), reference, "{} {name}", path.display());
                        one_shot += 1;
                    }
                    _ => streamed += 1,
                }
            }
        }
        assert!(
            one_shot > 500 && streamed < one_shot / 20,
            "{one_shot} {streamed}"
        );
    }

    /// Every worksheet part of every fixture, inflated to the end of its cells,
    /// is a prefix of the whole part that ends there; the sample forms' sheets
    /// are cut short of their merged cells, validations and page setup.
    #[test]
    fn sheets_are_inflated_to_the_end_of_their_cells() {
        let (mut cut, mut whole) = (0, 0);
        for entry in walkdir::WalkDir::new("tests/data/2022-H1") {
            let path = entry.unwrap().into_path();
            if path.extension().is_none_or(|e| e != "xlsx") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let Ok(mut package) = Package::open(&bytes, &Limits::default()) else {
                continue;
            };
            let sheets = parts(&package)
                .into_iter()
                .filter(|n| n.starts_with("xl/worksheets/sheet"));
            for name in sheets.collect::<Vec<_>>() {
                let all = package.part(&name).unwrap().unwrap();
                let (some, was_cut) = package
                    .part_until(&name, super::super::sheet::end_of_cells)
                    .unwrap()
                    .unwrap();
                assert!(all.starts_with(&some), "{} {name}", path.display());
                if was_cut {
                    assert!(some.ends_with(b"sheetData>") || some.ends_with(b"sheetData/>"));
                    cut += usize::from(some.len() < all.len());
                } else {
                    whole += 1;
                }
            }
        }
        assert!(cut > 30 && whole == 0, "{cut} cut, {whole} whole");
    }

    /// A sheet is cut at the end of its cells only where calamine's reader,
    /// which inflates ahead of what it parses, would not have met a stream
    /// that outgrows the declared size, ends short of it or fails its CRC-32.
    #[test]
    fn a_sheet_is_cut_only_where_the_read_ahead_checks_out() {
        let cells = b"<worksheet><sheetData><row r=\"1\"/></sheetData>";
        let sheet = |tail: usize| {
            // Letters that do not compress, so that the stream is inflated
            // in steps well short of the read-ahead.
            let mut state = 1u32;
            let mut xml = cells.to_vec();
            xml.extend_from_slice(b"<!--");
            xml.extend(
                std::iter::repeat_with(|| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    b'a' + (state >> 16) as u8 % 26
                })
                .take(tail),
            );
            xml.extend_from_slice(b"--></worksheet>");
            xml
        };
        let deflated = |xml: &[u8]| {
            let mut encoder =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(xml).unwrap();
            encoder.finish().unwrap()
        };
        let cut = |xml: &[u8], size: usize, crc: u32| {
            let data = deflated(xml);
            let part = Identity {
                method: CompressionMethod::Deflated,
                encrypted: false,
                crc,
                size: size as u64,
                data: &data,
            };
            inflate_until(&part, super::super::sheet::end_of_cells)
        };
        for tail in [0, 100, READ_AHEAD / 2, READ_AHEAD * 4] {
            let xml = sheet(tail);
            let (size, crc) = (xml.len(), crc32fast::hash(&xml));
            assert_eq!(cut(&xml, size, crc).as_deref(), Some(&cells[..]), "{tail}");
            // Declared one byte short: calamine's reader meets it within its read-ahead.
            let short = cut(&xml, size - 1, crc);
            assert_eq!(short.is_none(), tail < READ_AHEAD, "{tail}");
            // Declared longer, or another CRC-32: met only where the part ends in the read-ahead.
            assert_eq!(
                cut(&xml, size + 1, crc).is_none(),
                tail < READ_AHEAD,
                "{tail}"
            );
            assert_eq!(cut(&xml, size, !crc).is_none(), tail < READ_AHEAD, "{tail}");
        }
    }

    /// A part whose stream or header disagrees with its bytes is the zip crate's
    /// to read, and to refuse.
    #[test]
    fn a_part_that_does_not_check_out_is_read_by_the_zip_crate() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, method) in [
            ("deflated.xml", CompressionMethod::Deflated),
            ("stored.xml", CompressionMethod::Stored),
        ] {
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            zip.start_file(name, options).unwrap();
            zip.write_all(b"<worksheet><sheetData/></worksheet>")
                .unwrap();
        }
        let good = zip.finish().unwrap().into_inner();
        let limits = Limits::default();
        let mut package = Package::open(&good, &limits).unwrap();
        for index in 0..2 {
            assert!(package.one_shot(index).unwrap().is_some());
        }
        // The CRC-32 of the central directory's first entry, one bit off.
        let central = memchr::memmem::find(&good, b"PK\x01\x02").unwrap();
        let mut bad = good.clone();
        bad[central + 16] ^= 1;
        let mut package = Package::open(&bad, &limits).unwrap();
        assert_eq!(package.one_shot(0), Ok(None));
        assert_eq!(
            package.part("deflated.xml"),
            Err(Fallback("zip part inflate"))
        );
        // A declared size one byte short.
        let mut short = good.clone();
        short[central + 24] -= 1;
        let mut package = Package::open(&short, &limits).unwrap();
        assert_eq!(package.one_shot(0), Ok(None));
        assert!(package.part("deflated.xml").is_err());
    }
}
