//! How much paper printed text takes, so that rows can be made as tall as their
//! wrapped text. Excel grows an unset row to its wrapped text on open;
//! LibreOffice does not, and prints the overflow over the rows below. So every
//! row that may wrap gets its height written, computed here.
//!
//! The model: Times New Roman's advance widths (the same as Liberation Serif's,
//! which LibreOffice substitutes), regular and bold, for printable ASCII;
//! Vietnamese letters take their base letter's width (the marks sit above or
//! below), horned `ơ ư` a little more. Column widths are in Excel's character
//! units of the default font (Calibri 11: 7 pixels a character, 5 of padding).
//! Every estimate errs on the generous side: a row a little too tall costs a
//! little paper, a row too short hides a figure.

use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// Advance widths of `' '..='~'` in thousandths of an em.
const REGULAR: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
    556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
    722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
    278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];
const BOLD: [u16; 95] = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667,
    611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722,
    722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556,
    278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
];

/// Thousandths of an em of a character outside printable ASCII, in the
/// regular or bold table: `đ Đ` as `d D`, a letter with marks as its base
/// letter (the marks sit above or below), horned `ơ ư` a little wider; a
/// character with no base letter there as a full em.
fn em_of_other(c: char, table: &[u16; 95]) -> u16 {
    match c {
        'đ' => table[(b'd' - 32) as usize],
        'Đ' => table[(b'D' - 32) as usize],
        '\u{a0}' => 250,
        '–' => 500,
        _ => {
            let horn = matches!(c.nfd().nth(1), Some('\u{31b}'));
            match c.nfd().next().filter(|b| (' '..='~').contains(b)) {
                Some(b) => table[b as usize - 32] + if horn { 80 } else { 0 },
                None => 1000,
            }
        }
    }
}

/// The characters whose widths [`MARKED`] holds: Latin-1 and Latin
/// Extended-A and -B (`ă â đ ê ô ơ ư` and their capitals), and Latin Extended
/// Additional (the letters with a tone mark, `ạ ả ấ … ỹ`).
const MARKED_RANGES: [std::ops::Range<u32>; 2] = [0xA0..0x250, 0x1E00..0x1F00];

/// [`em_of_other`] of the characters of [`MARKED_RANGES`], regular and bold,
/// worked out once: decomposing a letter to find its base took more time than
/// anything else in sizing the report's rows.
static MARKED: LazyLock<[Vec<[u16; 2]>; 2]> = LazyLock::new(|| {
    MARKED_RANGES.map(|range| {
        range
            .map(|u| {
                let c = char::from_u32(u).expect("no surrogates in these ranges");
                [em_of_other(c, &REGULAR), em_of_other(c, &BOLD)]
            })
            .collect()
    })
});

/// The widths of a character of [`MARKED_RANGES`], regular and bold.
fn marked(c: char) -> Option<[u16; 2]> {
    let u = c as u32;
    MARKED_RANGES
        .iter()
        .zip(MARKED.iter())
        .find(|(range, _)| range.contains(&u))
        .map(|(range, widths)| widths[(u - range.start) as usize])
}

/// Slack on every measured width: kerning, hinting and rounding of another
/// renderer's layout.
const SLACK: f64 = 1.06;
/// Points of a column kept free of text on each side (cell insets, grid line).
const INSET: f64 = 2.5;
/// A wrapped line's height per point of font size (ascent, descent and gap of
/// Liberation Serif are 1.15 em), with slack.
const LINE: f64 = 1.2;
/// Points above and below a row's text.
const ROW_PAD: f64 = 3.0;

/// The printed width of a column of `chars` Excel character units, in points.
pub fn column_points(chars: f64) -> f64 {
    (chars * 7.0 + 5.0).floor() * 0.75
}

/// A font as the report uses it: Times New Roman at a size, bold or not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    pub size: f64,
    pub bold: bool,
}

impl Font {
    pub const fn new(size: f64, bold: bool) -> Font {
        Font { size, bold }
    }

    /// The width of one character, in points.
    fn char_width(self, c: char) -> f64 {
        let em = match c {
            ' '..='~' => self.table()[c as usize - 32],
            _ => match marked(c) {
                Some(widths) => widths[usize::from(self.bold)],
                None => em_of_other(c, self.table()),
            },
        };
        f64::from(em) * self.size / 1000.0
    }

    fn table(self) -> &'static [u16; 95] {
        if self.bold { &BOLD } else { &REGULAR }
    }

    /// The printed width of a text on one line, in points.
    pub fn width(self, text: &str) -> f64 {
        self.widths(text, text.len()).1
    }

    /// The printed widths of a text's first `visible` bytes and of the whole
    /// text, in one pass: the first is the sum over the whole text stopped
    /// early, so it is exactly what [`Font::width`] gives for that prefix.
    fn widths(self, text: &str, visible: usize) -> (f64, f64) {
        let mut sum = 0.0;
        let mut prefix = 0.0;
        for (i, c) in text.char_indices() {
            if i == visible {
                prefix = sum;
            }
            sum += self.char_width(c);
        }
        if visible >= text.len() {
            prefix = sum;
        }
        (prefix * SLACK, sum * SLACK)
    }

    /// How many lines a text wraps to in `points` of width. Lines break at
    /// spaces and after `/` (paths), and inside a word too long for a line, as
    /// LibreOffice and Excel do; not after `-` or `_`, where LibreOffice
    /// breaks only sometimes (never before a digit), so the count errs long.
    pub fn lines(self, text: &str, points: f64) -> usize {
        let room = (points - 2.0 * INSET).max(self.size);
        text.split('\n')
            .map(|paragraph| self.paragraph_lines(paragraph, room))
            .sum::<usize>()
            .max(1)
    }

    fn paragraph_lines(self, paragraph: &str, room: f64) -> usize {
        let mut lines = 1;
        let mut used = 0.0;
        for piece in pieces(paragraph) {
            let (visible, w) = self.widths(piece, piece.trim_end().len());
            if used > 0.0 && used + visible > room {
                lines += 1;
                used = 0.0;
            }
            if used == 0.0 && visible > room {
                // Broken inside the word: as many full lines as it fills.
                let full = (visible / room).floor() as usize;
                lines += full;
                used = w - full as f64 * room;
                continue;
            }
            used += w;
        }
        lines
    }

    /// The height of a row holding `lines` lines, in points.
    pub fn row_height(self, lines: usize) -> f64 {
        (lines as f64 * self.size * LINE + ROW_PAD).ceil()
    }

    /// The height a text needs in a cell `points` wide.
    pub fn height(self, text: &str, points: f64) -> f64 {
        self.row_height(self.lines(text, points))
    }
}

/// The text cut after each break opportunity, keeping the separators.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = rest
            .char_indices()
            .find(|&(_, c)| matches!(c, ' ' | '/'))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(rest.len());
        let (piece, tail) = rest.split_at(cut);
        rest = tail;
        Some(piece)
    })
}

/// The tallest cell of a row, gathered cell by cell before the row is sized.
#[derive(Debug, Clone, Copy)]
pub struct RowFit {
    height: f64,
}

impl RowFit {
    /// A row at least as tall as one line of `font`.
    pub fn new(font: Font) -> RowFit {
        RowFit {
            height: font.row_height(1),
        }
    }

    /// Makes room for `text` in a cell `chars` wide (a merged range: the sum).
    pub fn cell(&mut self, text: &str, chars: f64, font: Font) -> &mut RowFit {
        self.height = self.height.max(font.height(text, column_points(chars)));
        self
    }

    /// Makes the row at least `points` tall (room to write by hand).
    pub fn at_least(&mut self, points: f64) -> &mut RowFit {
        self.height = self.height.max(points);
        self
    }

    pub fn height(&self) -> f64 {
        self.height
    }

    /// Writes the height, at most Excel's largest (409 pt, less than a page).
    pub fn apply(
        &self,
        ws: &mut rust_xlsxwriter::Worksheet,
        row: u32,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        ws.set_row_height(row, self.height.min(409.0))?;
        Ok(())
    }
}

/// The heights of a sheet's rows as written, to find where its pages break.
#[derive(Debug, Default)]
pub struct Heights {
    rows: Vec<f64>,
}

/// The height of a row left at Excel's default.
const DEFAULT_ROW: f64 = 15.0;

impl Heights {
    /// Writes the row's height and remembers it.
    pub fn set(
        &mut self,
        ws: &mut rust_xlsxwriter::Worksheet,
        row: u32,
        fit: &RowFit,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        fit.apply(ws, row)?;
        self.record(row, fit.height().min(409.0));
        Ok(())
    }

    /// Remembers a height written otherwise.
    pub fn record(&mut self, row: u32, height: f64) {
        let row = row as usize;
        if self.rows.len() <= row {
            self.rows.resize(row + 1, DEFAULT_ROW);
        }
        self.rows[row] = height;
    }

    fn of(&self, row: u32) -> f64 {
        self.rows.get(row as usize).copied().unwrap_or(DEFAULT_ROW)
    }

    /// Where to break the page so that a closing block (a signature) of
    /// `block` points, starting at row `first`, does not stand alone on its
    /// page: `None` when it fits under what precedes it, else the row three
    /// before it, so that the table's last rows go over with it. `page` is the
    /// room down a page; `repeated` the title row printed atop every page.
    pub fn keep_with_end(&self, page: f64, repeated: u32, first: u32, block: f64) -> Option<u32> {
        let mut used = 0.0;
        for r in 0..first {
            if used + self.of(r) > page {
                used = self.of(repeated);
            }
            used += self.of(r);
        }
        (used + block > page).then(|| first.saturating_sub(3).max(repeated + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Font = Font::new(12.0, false);

    #[test]
    fn widths_follow_the_glyphs() {
        // "m" is three times as wide as "i"; bold is wider; marks add nothing.
        assert!(BODY.width("m") > 2.5 * BODY.width("i"));
        assert!(Font::new(12.0, true).width("Hạnh") > BODY.width("Hạnh"));
        assert_eq!(BODY.width("Số"), BODY.width("So"));
        assert!(BODY.width("ư") > BODY.width("u"));
        // 12 pt Times: ten digits are 60 pt, with the slack.
        assert!((BODY.width("0123456789") - 60.0 * SLACK).abs() < 1e-9);
    }

    #[test]
    fn a_text_and_its_visible_part_are_measured_in_one_pass() {
        for text in ["Ý kiến  ", "nop/", "Đường\u{a0} ", "  ", "", "ươ"] {
            let visible = text.trim_end().len();
            let alone = (BODY.width(&text[..visible]), BODY.width(text));
            assert_eq!(BODY.widths(text, visible), alone, "{text:?}");
        }
        assert!(BODY.width("Đường") > BODY.width("Duong"));
    }

    #[test]
    fn text_wraps_at_spaces_and_inside_long_words() {
        let room = 100.0 + 2.0 * INSET;
        assert_eq!(BODY.lines("", room), 1);
        assert_eq!(BODY.lines("ngắn", room), 1);
        // 30 digits (180 pt) need two lines of 100 pt, broken inside the word.
        assert_eq!(BODY.lines(&"0".repeat(30), room), 2);
        // Each word alone fits, two do not.
        assert_eq!(BODY.lines("00000000000 00000000000", room), 2);
        assert_eq!(BODY.lines("một\nhai\nba", room), 3);
        assert_eq!(BODY.lines("nop/S03_So_Cong_Thuong.xlsx", 60.0), 4);
    }

    #[test]
    fn rows_grow_with_their_lines() {
        assert_eq!(BODY.row_height(1), 18.0);
        assert_eq!(BODY.row_height(3), (3.0 * 14.4 + 3.0f64).ceil());
        let mut fit = RowFit::new(BODY);
        fit.cell("a", 10.0, BODY)
            .cell(&"chữ ".repeat(40), 20.0, BODY);
        assert!(fit.height() > BODY.row_height(5));
    }

    #[test]
    fn a_closing_block_goes_over_with_the_last_rows() {
        let mut h = Heights::default();
        for r in 0..30 {
            h.record(r, 20.0);
        }
        // 30 rows of 20 pt fill 600 pt: on a 700 pt page, 100 pt more fit.
        assert_eq!(h.keep_with_end(700.0, 0, 30, 100.0), None);
        assert_eq!(h.keep_with_end(700.0, 0, 30, 120.0), Some(27));
        // The second page holds the repeated title and rows 35..
        for r in 30..40 {
            h.record(r, 20.0);
        }
        assert_eq!(h.keep_with_end(700.0, 0, 40, 100.0), None);
    }

    #[test]
    fn column_units_are_excel_pixels() {
        assert_eq!(column_points(10.0), 56.25);
    }
}
