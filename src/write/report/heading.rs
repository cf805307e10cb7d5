//! The Decree 30 header block (Decree 30/2020/NĐ-CP, Appendix I) at its own
//! sizes: the parent body and the issuing body on the left with a short rule
//! under the issuing body and the document number below; the national name and
//! the motto on the right, a rule as long as the motto under it, then the place
//! and date line. The sheet prints unscaled, so these are the printed sizes.

use super::fit::{Font, RowFit};
use super::style::Styles;
use crate::config::Settings;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Image, Worksheet, XlsxError};

/// Parent body and issuing body: 12–13 pt; national name 12–13 pt bold; motto
/// 13–14 pt bold; number 13 pt; date line 13–14 pt italic.
const PARENT: Font = Font::new(12.0, false);
pub const ISSUER: Font = Font::new(12.0, true);
pub const NATION: Font = Font::new(12.0, true);
pub const MOTTO: Font = Font::new(13.0, true);
const NUMBER: Font = Font::new(13.0, false);
pub const DATE: Font = Font::new(13.0, false);

/// The motto, as printed under the national name.
pub const MOTTO_TEXT: &str = "Độc lập - Tự do - Hạnh phúc";
pub const NATION_TEXT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";

/// The date line, Decree 30 style: days under 10 and the months January and
/// February take a leading zero, the other months none ("ngày 05 tháng 7 năm
/// 2022", "ngày 15 tháng 02 năm 2023").
pub fn date_line(place: &str, d: NaiveDate) -> String {
    let month = if d.month() < 3 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!(
        "{place}, ngày {:02} tháng {month} năm {}",
        d.day(),
        d.year()
    )
}

/// Where the two halves of the header sit: the left block's columns and the
/// right block's, with the sheet's column widths (Excel character units).
pub struct Blocks<'a> {
    pub widths: &'a [f64],
    pub left: (u16, u16),
    pub right: (u16, u16),
}

impl Blocks<'_> {
    pub fn chars(&self, (a, b): (u16, u16)) -> f64 {
        self.widths[a as usize..=b as usize].iter().sum()
    }

    /// The block's width in pixels as Excel lays columns out.
    fn pixels(&self, (a, b): (u16, u16)) -> u32 {
        self.widths[a as usize..=b as usize]
            .iter()
            .map(|w| (w * 7.0 + 5.0).floor() as u32)
            .sum()
    }
}

/// Writes rows 0–3 of the header block; returns the next free row.
pub fn write(
    ws: &mut Worksheet,
    s: &Styles,
    settings: &Settings,
    blocks: &Blocks,
    date: NaiveDate,
) -> Result<u32, XlsxError> {
    let (l, r) = (blocks.left, blocks.right);
    let (lw, rw) = (blocks.chars(l), blocks.chars(r));
    let wrap = |f: Font, italic: bool| s.heading(f.size, f.bold, italic).set_text_wrap();
    let lines = [
        (settings.parent_body(), PARENT, NATION_TEXT, NATION),
        (settings.issuing_body(), ISSUER, MOTTO_TEXT, MOTTO),
    ];
    for (row, (left, lf, right, rf)) in lines.iter().enumerate() {
        let row = row as u32;
        ws.merge_range(row, l.0, row, l.1, left, &wrap(*lf, false))?;
        ws.merge_range(row, r.0, row, r.1, right, &wrap(*rf, false))?;
        RowFit::new(*lf)
            .cell(left, lw, *lf)
            .cell(right, rw, *rf)
            .apply(ws, row)?;
    }
    // The rules, drawn at the top of a spacer row under the issuing body and
    // the motto: a third of the issuing body's line, and the motto's length.
    ws.set_row_height(2, 9.0)?;
    let issuer_width = ISSUER.width(&settings.issuing_body()) * 0.45;
    rule(ws, blocks, l, 2, issuer_width)?;
    rule(ws, blocks, r, 2, motto_rule())?;
    let number = settings.number_line();
    let dated = date_line(&settings.place(), date);
    ws.merge_range(3, l.0, 3, l.1, &number, &wrap(NUMBER, false))?;
    ws.merge_range(3, r.0, 3, r.1, &dated, &wrap(DATE, true))?;
    RowFit::new(DATE)
        .cell(&number, lw, NUMBER)
        .cell(&dated, rw, DATE)
        .apply(ws, 3)?;
    Ok(4)
}

/// One black pixel, stretched into a rule: a text box would grow to a line of
/// text's height in LibreOffice, a picture keeps the size it is given.
const PIXEL: &[u8] = include_bytes!("rule.png");

/// The rule under the motto: as long as the motto's line.
pub fn motto_rule() -> f64 {
    MOTTO.width(MOTTO_TEXT) / 1.06
}

/// A horizontal rule `points` long, centred in a block, at the top of a row.
pub fn rule(
    ws: &mut Worksheet,
    blocks: &Blocks,
    block: (u16, u16),
    row: u32,
    points: f64,
) -> Result<(), XlsxError> {
    let width = (points / 0.75).round().max(1.0);
    let x = blocks.pixels(block).saturating_sub(width as u32) / 2;
    let image = Image::new_from_buffer(PIXEL)?
        .set_scale_width(width)
        .set_scale_height(1.0)
        .set_decorative(true);
    ws.insert_image_with_offset(row, block.0, &image, x, 1)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_from_march_have_no_leading_zero() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            date_line("Huế", d(2022, 7, 5)),
            "Huế, ngày 05 tháng 7 năm 2022"
        );
        assert_eq!(
            date_line("Huế", d(2023, 2, 15)),
            "Huế, ngày 15 tháng 02 năm 2023"
        );
        assert_eq!(
            date_line("Huế", d(2023, 1, 9)),
            "Huế, ngày 09 tháng 01 năm 2023"
        );
        assert_eq!(
            date_line("Huế", d(2023, 12, 31)),
            "Huế, ngày 31 tháng 12 năm 2023"
        );
        assert_eq!(
            date_line("Huế", d(2023, 3, 1)),
            "Huế, ngày 01 tháng 3 năm 2023"
        );
    }
}
