//! Formats and page setup shared by every sheet: Times New Roman (the font of
//! Vietnamese administrative documents, Decree 30/2020/NĐ-CP), A4, titles repeated
//! on every printed page, fitted to the page width.

use super::fit::{Font, RowFit};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

const FONT: &str = "Times New Roman";
/// Millimetres to the inches rust_xlsxwriter wants.
const MM: f64 = 1.0 / 25.4;
/// The body text of every sheet, and its bold.
pub const BODY: Font = Font::new(12.0, false);
pub const BODY_BOLD: Font = Font::new(12.0, true);
/// Decree 30 margins: left 30 mm, right 15 mm, top and bottom 20 mm.
const MARGINS_MM: (f64, f64, f64) = (30.0, 15.0, 20.0);

/// The room across an A4 page inside the margins, in Excel character units of
/// a sheet with `columns` columns, so that nothing is scaled down to fit.
/// LibreOffice lays a character unit out wider than Excel's 7 pixels (7.43,
/// Carlito's digit at 11 pt), each column with 5 pixels of padding; one
/// character is kept spare.
pub fn page_chars(landscape: bool, columns: usize) -> f64 {
    let paper = if landscape { 297.0 } else { 210.0 };
    let pixels = (paper - MARGINS_MM.0 - MARGINS_MM.1) / 25.4 * 96.0;
    (pixels - 5.0 * columns as f64) / 7.5 - 1.0
}

/// The room down an A4 page inside the margins, in points.
pub fn page_points_down(landscape: bool) -> f64 {
    let paper = if landscape { 210.0 } else { 297.0 };
    (paper - 2.0 * MARGINS_MM.2) / 25.4 * 72.0
}

/// Every format the report uses, made once.
pub struct Styles {
    pub wrap: Format,
    pub bold: Format,
    pub bold_wrap: Format,
    pub header: Format,
    /// A column heading holding a long label: 10 pt, not bold.
    pub header_small: Format,
    pub cell: Format,
    pub cell_wrap: Format,
    pub cell_center: Format,
    pub cell_center_wrap: Format,
    pub number: Format,
    pub rate: Format,
    pub group: Format,
    pub total: Format,
    pub total_number: Format,
    pub late: Format,
    pub missing: Format,
    pub invalid: Format,
    pub error: Format,
    pub warning: Format,
    pub title: Format,
    pub italic: Format,
}

fn base(size: f64) -> Format {
    Format::new().set_font_name(FONT).set_font_size(size)
}

fn bordered(f: Format) -> Format {
    f.set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

impl Styles {
    pub fn new() -> Styles {
        let cell = bordered(base(12.0));
        let fill = |rgb: u32| {
            cell.clone()
                .set_text_wrap()
                .set_background_color(Color::RGB(rgb))
        };
        Styles {
            wrap: base(12.0).set_text_wrap().set_align(FormatAlign::Top),
            bold: base(12.0).set_bold(),
            bold_wrap: base(12.0)
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            header: bordered(base(12.0))
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xDDEBF7)),
            header_small: bordered(base(10.0))
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xDDEBF7)),
            cell_wrap: cell.clone().set_text_wrap(),
            cell_center: cell.clone().set_align(FormatAlign::Center),
            cell_center_wrap: cell.clone().set_align(FormatAlign::Center).set_text_wrap(),
            number: cell.clone().set_num_format("#,##0"),
            rate: cell.clone().set_num_format("0.00"),
            group: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xF2F2F2)),
            total: cell.clone().set_bold(),
            total_number: cell.clone().set_bold().set_num_format("#,##0"),
            late: fill(0xFFF2CC),
            missing: fill(0xF8CBAD),
            invalid: fill(0xFFC7CE),
            error: cell
                .clone()
                .set_text_wrap()
                .set_font_color(Color::RGB(0xC00000))
                .set_bold(),
            warning: cell
                .clone()
                .set_text_wrap()
                .set_font_color(Color::RGB(0x9C5700)),
            title: base(14.0)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            italic: base(13.0).set_italic().set_align(FormatAlign::Center),
            cell,
        }
    }

    /// A header block line: capitals or not, bold or not, centred, at a size.
    pub fn heading(&self, size: f64, bold: bool, italic: bool) -> Format {
        let f = base(size).set_align(FormatAlign::Center);
        let f = if bold { f.set_bold() } else { f };
        if italic { f.set_italic() } else { f }
    }
}

/// A4, the given orientation, header rows repeated, fitted to one page wide
/// (a safety net: the sheets are laid out to fit unscaled), page numbers at the
/// top centre (Decree 30, Appendix I).
pub fn page(
    ws: &mut Worksheet,
    landscape: bool,
    repeat: Option<(u32, u32)>,
) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    let (left, right, top) = MARGINS_MM;
    ws.set_margins(
        left * MM,
        right * MM,
        top * MM,
        top * MM,
        8.0 * MM,
        8.0 * MM,
    );
    if let Some((first, last)) = repeat {
        ws.set_repeat_rows(first, last)?;
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(PAGE_NUMBER);
    Ok(())
}

/// The page number, top centre, Times New Roman 13.
pub const PAGE_NUMBER: &str = "&C&\"Times New Roman\"&13&P";

/// Closes a sheet written row by row ("constant memory"). rust_xlsxwriter
/// 0.102 writes a streamed sheet's last row twice when that row's height is
/// set, which Excel reports as a damaged file; so an unsized row holding one
/// blank, borderless cell follows it (nothing printed, no value read back).
pub fn end_stream(ws: &mut Worksheet, styles: &Styles, last_row: u32) -> Result<(), XlsxError> {
    ws.write_blank(last_row + 1, 0, &styles.wrap)?;
    Ok(())
}

/// Writes texts into the cells of `row` from column `first` on, all in one
/// format looked up once: rust_xlsxwriter hashes a whole `Format` for every
/// cell written with one (some 3,000 instructions, more than anything else
/// writing a cell costs), so the texts are written plain and the run is
/// formatted after. An empty text leaves a blank cell in the format, as
/// `write_string_with_format` does. In a sheet written row by row, the row
/// must already hold a cell.
pub fn write_texts(
    ws: &mut Worksheet,
    row: u32,
    first: u16,
    texts: &[&str],
    format: &Format,
) -> Result<(), XlsxError> {
    for (i, text) in texts.iter().enumerate() {
        ws.write_string(row, first + i as u16, *text)?;
    }
    if let Some(last) = (texts.len() as u16).checked_sub(1) {
        ws.set_range_format(row, first, row, first + last, format)?;
    }
    Ok(())
}

/// A simple listing sheet: a header row at `row`, column widths, frozen header,
/// an autofilter over the rows written, printed with the header repeated.
pub struct Listing<'a> {
    pub header_row: u32,
    pub columns: &'a [(&'a str, f64)],
}

impl Listing<'_> {
    pub fn begin(
        &self,
        ws: &mut Worksheet,
        styles: &Styles,
        landscape: bool,
    ) -> Result<(), XlsxError> {
        let mut fit = RowFit::new(BODY_BOLD);
        for (c, (name, width)) in self.columns.iter().enumerate() {
            ws.write_string_with_format(self.header_row, c as u16, *name, &styles.header)?;
            ws.set_column_width(c as u16, *width)?;
            fit.cell(name, *width, BODY_BOLD);
        }
        fit.apply(ws, self.header_row)?;
        ws.set_freeze_panes(self.header_row + 1, 0)?;
        page(ws, landscape, Some((self.header_row, self.header_row)))
    }

    /// Sizes a row for its texts, one a column (an empty text for a number).
    pub fn fit_row(&self, ws: &mut Worksheet, row: u32, texts: &[&str]) -> Result<(), XlsxError> {
        let mut fit = RowFit::new(BODY);
        for (text, (_, width)) in texts.iter().zip(self.columns) {
            fit.cell(text, *width, BODY);
        }
        fit.apply(ws, row)
    }

    /// Adds the autofilter once the last row is known, and closes the stream.
    pub fn end(&self, ws: &mut Worksheet, styles: &Styles, last_row: u32) -> Result<(), XlsxError> {
        if last_row > self.header_row {
            ws.autofilter(self.header_row, 0, last_row, self.columns.len() as u16 - 1)?;
        }
        end_stream(ws, styles, last_row)
    }
}
