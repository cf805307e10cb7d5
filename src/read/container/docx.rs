//! A Word report (`.docx`) read as one sheet of cells, so that the form parser
//! reads it as it reads a spreadsheet.
//!
//! Units often type the province's form in Word: the label lines
//! (`Mã đơn vị: X361`, `Kỳ báo cáo: 6 tháng`, the place-and-date line) as
//! paragraphs and the indicators as a Word table with the form's header
//! (`Mã` / `Số liệu`). Laid out in document order, each paragraph becomes a row
//! (tab-separated parts in successive cells, a line break starting a new row)
//! and each table row a row, its cells at their grid columns: a cell spanning
//! columns (`gridSpan`) stands in its first column, and the cells a vertical merge
//! continues (`vMerge`) are empty, as Excel stores merged cells. Nested tables
//! give their text to the cell that holds them.

use crate::read::{Cell, CellValue, Limits, ReadError, Sheet, Workbook};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor};

/// The name of the one sheet a Word document becomes.
pub const SHEET: &str = "Văn bản Word";

/// Reads the document's body into a workbook of one sheet.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    let corrupt = |e: &dyn std::fmt::Display| {
        ReadError::Corrupt(format!("tài liệu Word (.docx) không đọc được: {e}"))
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    limits.check_zip(&mut zip)?;
    let part = zip.by_name("word/document.xml").map_err(|e| corrupt(&e))?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    let mut layout = Layout::new(limits);
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(event) => layout.event(&event)?,
            Err(e) => return Err(corrupt(&e)),
        }
        buf.clear();
    }
    layout.end_paragraph()?;
    Ok(Workbook {
        sheets: vec![Sheet {
            name: SHEET.to_string(),
            cells: layout.cells,
            ..Sheet::default()
        }],
        ..Workbook::default()
    })
}

/// The sheet being laid out from the document's events.
struct Layout<'l> {
    limits: &'l Limits,
    cells: Vec<Cell>,
    /// The next row to write.
    row: u32,
    /// How deep in tables we are (0: the body).
    tables: usize,
    /// Inside a `w:t`: its text is content.
    in_text: bool,
    /// The body paragraph being read: its finished parts and the current one.
    parts: Vec<String>,
    part: String,
    /// The outermost table's row and cell being read.
    col: u32,
    cell: Option<TableCell>,
}

#[derive(Default)]
struct TableCell {
    text: String,
    span: u32,
    /// Continues a vertical merge: its text belongs to the cell above.
    continued: bool,
}

impl<'l> Layout<'l> {
    fn new(limits: &'l Limits) -> Layout<'l> {
        Layout {
            limits,
            cells: Vec::new(),
            row: 0,
            tables: 0,
            in_text: false,
            parts: Vec::new(),
            part: String::new(),
            col: 0,
            cell: None,
        }
    }

    fn event(&mut self, event: &Event) -> Result<(), ReadError> {
        match event {
            Event::Start(e) => self.open(e, false)?,
            Event::Empty(e) => self.open(e, true)?,
            Event::End(e) => match e.name().as_ref() {
                "w:t" => self.in_text = false,
                "w:tbl" => self.tables = self.tables.saturating_sub(1),
                "w:p" if self.tables == 0 => self.end_paragraph()?,
                "w:p" => self.text("\n"),
                "w:tc" if self.tables == 1 => self.end_cell()?,
                "w:tr" if self.tables == 1 => self.next_row()?,
                _ => {}
            },
            Event::Text(t) if self.in_text => self.text(&t.xml10_content()),
            Event::GeneralRef(r) if self.in_text => {
                let c = match r.as_ref() {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "amp" => Some('&'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                if let Some(c) = c {
                    self.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn open(&mut self, e: &BytesStart, empty: bool) -> Result<(), ReadError> {
        let one = self.tables == 1;
        match e.name().as_ref() {
            "w:t" => self.in_text = !empty,
            "w:tbl" if !empty => {
                if self.tables == 0 {
                    self.end_paragraph()?;
                }
                self.tables += 1;
            }
            "w:tr" if one => self.col = 0,
            "w:gridBefore" if one => self.col = self.col.saturating_add(number(e)),
            "w:tc" if one && !empty => {
                self.cell = Some(TableCell {
                    span: 1,
                    ..TableCell::default()
                })
            }
            "w:gridSpan" if one => {
                if let Some(c) = &mut self.cell {
                    c.span = number(e);
                }
            }
            "w:vMerge" if one => {
                if let Some(c) = &mut self.cell {
                    c.continued = attr(e, "w:val").is_none_or(|v| v == "continue");
                }
            }
            "w:tab" if self.tables == 0 => self.parts.push(std::mem::take(&mut self.part)),
            "w:tab" => self.text(" "),
            "w:br" | "w:cr" if self.tables == 0 => self.end_paragraph()?,
            "w:br" | "w:cr" => self.text("\n"),
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &str) {
        match (&mut self.cell, self.tables) {
            (_, 0) => self.part.push_str(text),
            (Some(cell), _) => cell.text.push_str(text),
            (None, _) => {}
        }
    }

    /// A body paragraph ends (or a line break in it): its parts become a row.
    fn end_paragraph(&mut self) -> Result<(), ReadError> {
        self.parts.push(std::mem::take(&mut self.part));
        let parts = std::mem::take(&mut self.parts);
        let mut col = 0;
        let mut any = false;
        for part in parts {
            let text = part.trim();
            if text.is_empty() {
                continue;
            }
            self.push(col, text)?;
            col += 1;
            any = true;
        }
        if any {
            self.next_row()?;
        }
        Ok(())
    }

    fn end_cell(&mut self) -> Result<(), ReadError> {
        let Some(cell) = self.cell.take() else {
            return Ok(());
        };
        let text = cell.text.trim();
        if !cell.continued && !text.is_empty() {
            self.push(self.col, text)?;
        }
        self.col = self.col.saturating_add(cell.span.max(1));
        Ok(())
    }

    fn push(&mut self, col: u32, text: &str) -> Result<(), ReadError> {
        if self.cells.len() >= self.limits.max_cells_per_sheet {
            return Err(ReadError::TooLarge(format!(
                "tài liệu Word có hơn {} ô chữ (giới hạn)",
                self.limits.max_cells_per_sheet
            )));
        }
        self.cells.push(Cell {
            row: self.row,
            col,
            value: CellValue::Text(text.to_string()),
        });
        Ok(())
    }

    fn next_row(&mut self) -> Result<(), ReadError> {
        self.row += 1;
        if self.row > self.limits.max_document_rows {
            return Err(ReadError::TooLarge(format!(
                "tài liệu Word có hơn {} dòng (đoạn văn và dòng bảng; giới hạn {}); biểu báo cáo không dài như vậy",
                self.limits.max_document_rows, self.limits.max_document_rows
            )));
        }
        Ok(())
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// A `w:val` count (at least 1; a garbled one counts as 1), bounded so that a
/// hostile span cannot push columns past a sheet's width.
fn number(e: &BytesStart) -> u32 {
    attr(e, "w:val")
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, 16_384)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(body: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        write!(zip, "<w:document><w:body>{body}</w:body></w:document>").unwrap();
        zip.finish().unwrap().into_inner()
    }

    fn cells(body: &str, limits: &Limits) -> Result<Vec<(u32, u32, String)>, ReadError> {
        let book = read(&docx(body), limits)?;
        assert_eq!(book.sheets[0].name, SHEET);
        Ok(book.sheets[0]
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.value.display()))
            .collect())
    }

    fn t(text: &str) -> String {
        format!("<w:r><w:t>{text}</w:t></w:r>")
    }

    #[test]
    fn paragraphs_and_tables_become_rows_of_cells() {
        let body = [
            format!("<w:p>{}<w:r><w:tab/></w:r>{}</w:p>", t("Mã đơn vị:"), t("X361")),
            format!("<w:p>{}<w:r><w:br/></w:r>{}</w:p>", t("Kỳ báo cáo: 6 tháng"), t("A &amp; B &#x41;")),
            "<w:p/>".to_string(),
            format!("<w:p><w:del><w:r><w:delText>xóa</w:delText></w:r></w:del>{}</w:p>", t("giữ")),
            "<w:tbl>".to_string(),
            format!(
                "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p>{}</w:p></w:tc><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p>{}</w:p></w:tc></w:tr>",
                t("gộp"),
                t("trên")
            ),
            format!(
                "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr><w:tc><w:p>{}</w:p><w:tbl><w:tr><w:tc><w:p>{}</w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p>{}</w:p></w:tc></w:tr>",
                t("ngoài"),
                t("lồng"),
                t("dưới")
            ),
            "</w:tbl>".to_string(),
            format!("<w:p>{}</w:p>", t("Lạc Thủy, ngày 05 tháng 6 năm 2024")),
        ]
        .concat();
        let got = cells(&body, &Limits::default()).unwrap();
        let want = [
            (0, 0, "Mã đơn vị:"),
            (0, 1, "X361"),
            (1, 0, "Kỳ báo cáo: 6 tháng"),
            (2, 0, "A & B A"),
            (3, 0, "giữ"),
            // The span stands in its first column; the merge's text is the top's.
            (4, 0, "gộp"),
            (4, 2, "trên"),
            // A skipped grid column, and a nested table's text in its cell.
            (5, 1, "ngoài\nlồng"),
            (6, 0, "Lạc Thủy, ngày 05 tháng 6 năm 2024"),
        ];
        let want: Vec<(u32, u32, String)> = want
            .iter()
            .map(|(r, c, t)| (*r, *c, t.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_document_longer_than_the_limit_is_refused() {
        let limits = Limits {
            max_document_rows: 10,
            ..Limits::default()
        };
        let rows = format!("<w:p>{}</w:p>", t("x")).repeat(11);
        let err = cells(&rows, &limits).unwrap_err();
        assert!(
            matches!(&err, ReadError::TooLarge(m) if m.contains("hơn 10 dòng")),
            "{err}"
        );
        assert_eq!(
            cells(&format!("<w:p>{}</w:p>", t("x")).repeat(10), &limits)
                .unwrap()
                .len(),
            10
        );
    }
}
