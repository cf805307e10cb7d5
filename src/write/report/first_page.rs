//! Decree 30 numbers the pages of a document from the second, at the top
//! centre. rust_xlsxwriter writes one header for every page; this marks the
//! first sheet's header "different on the first page" (an empty one there) in
//! the finished package, copying every other part as it is, still compressed.

use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The first sheet's part, where Tổng hợp is.
const FIRST_SHEET: &str = "xl/worksheets/sheet1.xml";

/// The package with the first sheet's header left off its first page.
pub fn number_from_second_page(package: Vec<u8>) -> std::io::Result<Vec<u8>> {
    let mut archive = ZipArchive::new(Cursor::new(package)).map_err(std::io::Error::other)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let is_first = archive
            .by_index_raw(i)
            .map_err(std::io::Error::other)?
            .name()
            .is_ok_and(|n| n == FIRST_SHEET);
        if !is_first {
            let part = archive.by_index_raw(i).map_err(std::io::Error::other)?;
            out.raw_copy_file(part).map_err(std::io::Error::other)?;
            continue;
        }
        let mut xml = String::new();
        archive
            .by_index(i)
            .map_err(std::io::Error::other)?
            .read_to_string(&mut xml)?;
        let xml = xml.replacen("<headerFooter", "<headerFooter differentFirst=\"1\"", 1);
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        out.start_file(FIRST_SHEET, options)
            .map_err(std::io::Error::other)?;
        out.write_all(xml.as_bytes())?;
    }
    Ok(out.finish().map_err(std::io::Error::other)?.into_inner())
}
