//! Formats and page setup shared by every sheet: Times New Roman (the font of
//! Vietnamese administrative documents, Decree 30/2020/NĐ-CP), A4, titles repeated
//! on every printed page, fitted to the page width.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

const FONT: &str = "Times New Roman";
/// Millimetres to the inches rust_xlsxwriter wants.
const MM: f64 = 1.0 / 25.4;

/// Every format the report uses, made once.
pub struct Styles {
    pub plain: Format,
    pub wrap: Format,
    pub bold: Format,
    pub header: Format,
    pub cell: Format,
    pub cell_wrap: Format,
    pub cell_center: Format,
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
            plain: base(12.0),
            wrap: base(12.0).set_text_wrap().set_align(FormatAlign::Top),
            bold: base(12.0).set_bold(),
            header: bordered(base(12.0))
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xDDEBF7)),
            cell_wrap: cell.clone().set_text_wrap(),
            cell_center: cell.clone().set_align(FormatAlign::Center),
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

/// A4, the given orientation, header rows repeated, fitted to one page wide.
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
    // Decree 30: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
    ws.set_margins(
        30.0 * MM,
        15.0 * MM,
        20.0 * MM,
        20.0 * MM,
        8.0 * MM,
        8.0 * MM,
    );
    if let Some((first, last)) = repeat {
        ws.set_repeat_rows(first, last)?;
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C&\"Times New Roman\"&10Trang &P/&N");
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
        for (c, (name, width)) in self.columns.iter().enumerate() {
            ws.write_string_with_format(self.header_row, c as u16, *name, &styles.header)?;
            ws.set_column_width(c as u16, *width)?;
        }
        ws.set_freeze_panes(self.header_row + 1, 0)?;
        page(ws, landscape, Some((self.header_row, self.header_row)))
    }

    /// Adds the autofilter once the last row is known.
    pub fn end(&self, ws: &mut Worksheet, last_row: u32) -> Result<(), XlsxError> {
        if last_row > self.header_row {
            ws.autofilter(self.header_row, 0, last_row, self.columns.len() as u16 - 1)?;
        }
        Ok(())
    }
}
