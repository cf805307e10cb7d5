//! What follows Tổng hợp's last table (Decree 30, Appendix I): "Nơi nhận:" and
//! the addressees on the left; the signer's authority and title in bold
//! capitals, room to sign and seal, and the signer's name on the right. From
//! the settings, or dotted blanks to fill by hand.

use super::fit::{Font, RowFit};
use super::heading::Blocks;
use super::style::Styles;
use crate::config::Settings;
use rust_xlsxwriter::{FormatAlign, Worksheet, XlsxError};

const RECEIVERS_TITLE: Font = Font::new(12.0, true);
const RECEIVER: Font = Font::new(11.0, false);
const SIGNER: Font = Font::new(13.0, true);
/// Rows of room between the title and the name, to sign and seal (about 3 cm).
const ROOM_ROWS: u32 = 4;
const ROOM_HEIGHT: f64 = 21.0;

/// The block's height before it is written: the caller keeps it on one page
/// with the end of the table.
pub fn height(settings: &Settings, blocks: &Blocks) -> f64 {
    plan(settings, blocks).iter().map(|r| r.height).sum()
}

/// Writes the block from row `first`.
pub fn write(
    ws: &mut Worksheet,
    s: &Styles,
    settings: &Settings,
    blocks: &Blocks,
    first: u32,
) -> Result<(), XlsxError> {
    let (l, r) = (blocks.left, blocks.right);
    let left_format = |f: Font, italic: bool| {
        s.heading(f.size, f.bold, italic)
            .set_align(FormatAlign::Left)
            .set_align(FormatAlign::Top)
            .set_text_wrap()
    };
    let title = left_format(RECEIVERS_TITLE, true);
    let receiver = left_format(RECEIVER, false);
    let signer = s.heading(SIGNER.size, true, false).set_text_wrap();
    for (i, line) in plan(settings, blocks).iter().enumerate() {
        let row = first + i as u32;
        ws.set_row_height(row, line.height)?;
        if let Some(text) = &line.left {
            let format = if i == 0 { &title } else { &receiver };
            ws.merge_range(row, l.0, row, l.1, text, format)?;
        }
        if let Some(text) = &line.right {
            ws.merge_range(row, r.0, row, r.1, text, &signer)?;
        }
    }
    Ok(())
}

struct Line {
    left: Option<String>,
    right: Option<String>,
    height: f64,
}

fn plan(settings: &Settings, blocks: &Blocks) -> Vec<Line> {
    let mut left = vec!["Nơi nhận:".to_string()];
    left.extend(settings.addressees());
    let mut right: Vec<Option<String>> = settings.signer_title().into_iter().map(Some).collect();
    right.extend((0..ROOM_ROWS).map(|_| None));
    right.push(Some(settings.signer_name()));
    let (lw, rw) = (blocks.chars(blocks.left), blocks.chars(blocks.right));
    let title_rows = right.len() - ROOM_ROWS as usize - 1;
    (0..left.len().max(right.len()))
        .map(|i| {
            let l = left.get(i).cloned();
            let r = right.get(i).cloned().flatten();
            let font = if i == 0 { RECEIVERS_TITLE } else { RECEIVER };
            let mut fit = RowFit::new(font);
            if let Some(t) = &l {
                fit.cell(t, lw, font);
            }
            if let Some(t) = &r {
                fit.cell(t, rw, SIGNER);
            }
            let room = (title_rows..title_rows + ROOM_ROWS as usize).contains(&i);
            Line {
                left: l,
                right: r,
                height: if room {
                    fit.height().max(ROOM_HEIGHT)
                } else {
                    fit.height()
                },
            }
        })
        .collect()
}
