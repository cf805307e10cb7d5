//! Vietnamese typed in a legacy encoding, converted to Unicode.
//!
//! Offices still type with Unikey/Vietkey set to TCVN3 (ABC, fonts `.VnTime`,
//! `.VnTimeH`) or VNI-Windows (`VNI-Times`): Excel stores each 8-bit code as the
//! Latin-1 character of the same number, so "Mã đơn vị" arrives as `M· ®¬n vÞ`
//! (TCVN3) or `Maõ ñôn vò` (VNI). Every text cell (and sheet name) of every
//! format goes through here before parsing.
//!
//! A text is *evidence* of an encoding when one of its words is not Vietnamese as
//! it stands but is a Vietnamese syllable of three letters or more once decoded
//! (two such words of two letters do too: `X· L¹c`), and (nearly) all its words
//! with accented letters decode to syllables. A lone `©` or `µm` is not. Text
//! that holds any Vietnamese letter beyond Latin-1 (ư, ơ, đ, ạ…) is Unicode and
//! never touched. Evidence cells are converted. Text that reads as Vietnamese
//! both ways (`Cã`: Unicode "Cã", TCVN3 "Có") is converted only when the whole
//! file is legacy (no cell holds Unicode Vietnamese, two cells or more are
//! evidence); in a file whose labels are
//! Unicode and only some answers legacy, it is left as typed.
//!
//! TCVN3 has no byte for a toned capital: `.VnTimeH` draws the lower-case byte
//! as a capital, so `B¸O C¸O` decodes to "BáO CáO". A careful reader sees
//! capitals, and so does this: a word with no lower-case ASCII letter is put in
//! capitals when it holds two capitals or more, or when the whole text has no
//! lower-case ASCII letter and two capitals or more (`X· L¹C S¥N` is
//! "XÃ LẠC SƠN"; `§·` stays "Đã").

mod syllable;
mod table;

pub use table::encode;

use super::{CellValue, ReadNote, Workbook};
use unicode_normalization::UnicodeNormalization;

/// A legacy Vietnamese encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// TCVN 5712:1993 VN3, "ABC".
    Tcvn3 = 0,
    /// VNI-Windows: base letter followed by mark characters.
    Vni = 1,
}

impl Encoding {
    pub const ALL: [Encoding; 2] = [Encoding::Tcvn3, Encoding::Vni];

    /// The name an officer knows it by.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Tcvn3 => "TCVN3 (ABC)",
            Encoding::Vni => "VNI-Windows",
        }
    }
}

/// Decodes text typed in `encoding` (NFC), with TCVN3's capital rule.
pub fn decode(text: &str, encoding: Encoding) -> String {
    let decoded = table::Decoder::of(encoding).decode(text);
    match encoding {
        Encoding::Tcvn3 => capitalise(text, &decoded),
        Encoding::Vni => decoded,
    }
    .nfc()
    .collect()
}

/// How a text reads in an encoding, when it reads at all: its decoding, and
/// whether it is evidence of that encoding (else it reads both ways).
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    decoded: String,
    evidence: bool,
}

/// Whether a Latin-1 character never occurs in Unicode Vietnamese (`«`, `§`,
/// `¸`, `ñ`, `ø`…); `°` does.
fn foreign_latin1(c: char) -> bool {
    ('\u{a1}'..='\u{ff}').contains(&c)
        && c != '°'
        && !"ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý".contains(c)
}

/// Whether text holds a letter that no legacy encoding stores: Unicode. The
/// Latin blocks Vietnamese letters come from (`ă đ ơ ư`, `ạ … ỹ`) are letters
/// throughout, so they are known without Unicode's tables.
fn beyond_latin1(text: &str) -> bool {
    text.chars().any(|c| {
        c > '\u{ff}'
            && (('\u{100}'..='\u{24f}').contains(&c)
                || ('\u{1e00}'..='\u{1eff}').contains(&c)
                || c.is_alphabetic())
    })
}

/// Whether every accented word of `word` is a syllable, and how many letters
/// the longest accented one has (0 when not all are syllables or none is).
fn vietnamese(word: &str) -> Option<usize> {
    if word.chars().any(foreign_latin1) {
        return None;
    }
    let mut longest = 0;
    for run in word.split(|c: char| !c.is_alphabetic()) {
        if run.is_ascii() {
            continue;
        }
        if !syllable::is_syllable(run) {
            return None;
        }
        longest = longest.max(run.chars().count());
    }
    Some(longest)
}

fn read(text: &str, encoding: Encoding) -> Option<Reading> {
    if text.is_ascii() || beyond_latin1(text) {
        return None;
    }
    let decoded = decode(text, encoding);
    if decoded == text {
        return None;
    }
    // Words that only the decoding makes Vietnamese: of three letters or more,
    // and of two (`X·` for "Xã"), which count only in pairs.
    let (mut words, mut bad, mut long, mut short) = (0usize, 0usize, 0usize, 0usize);
    for (typed, read) in text.split_whitespace().zip(decoded.split_whitespace()) {
        if typed.is_ascii() {
            continue;
        }
        words += 1;
        match vietnamese(read) {
            None => bad += 1,
            Some(letters) if letters >= 2 && vietnamese(typed).is_none() => {
                if letters >= 3 {
                    long += 1;
                } else {
                    short += 1;
                }
            }
            Some(_) => {}
        }
    }
    let evidence = long >= 1 || short >= 2;
    // One odd word (a typo, a name) in five is tolerated; in a short text, none.
    (bad * 5 <= words).then_some(Reading { decoded, evidence })
}

/// How a text reads in each encoding. Remembered per thread for short texts:
/// every form of a period repeats the same labels (`Ngày báo cáo:` is Latin-1
/// only, so it must be decoded and checked word by word both ways), and that
/// check is most of this stage's cost when done for each form again.
fn readings_of(text: &str) -> [Option<Reading>; 2] {
    use std::cell::RefCell;
    use std::collections::HashMap;
    /// Texts longer than this (remarks, answers) rarely repeat.
    const LONGEST: usize = 96;
    /// A bound on the memory kept: forms have a few dozen distinct labels.
    const MOST: usize = 4096;
    thread_local! {
        static SEEN: RefCell<HashMap<Box<str>, [Option<Reading>; 2]>> = RefCell::default();
    }
    if text.len() > LONGEST {
        return Encoding::ALL.map(|e| read(text, e));
    }
    if let Some(found) = SEEN.with_borrow(|seen| seen.get(text).cloned()) {
        return found;
    }
    let found = Encoding::ALL.map(|e| read(text, e));
    SEEN.with_borrow_mut(|seen| {
        if seen.len() >= MOST {
            seen.clear();
        }
        seen.insert(text.into(), found.clone());
    });
    found
}

/// Applies TCVN3's capital rule to a character-by-character decoding.
fn capitalise(typed: &str, decoded: &str) -> String {
    const CAPITALS: &str = "¡¢£¤¥¦§";
    let is_capital = |c: char| c.is_ascii_uppercase() || CAPITALS.contains(c);
    let capitals = |s: &str| s.chars().filter(|&c| is_capital(c)).count();
    let has_lower = |s: &str| s.chars().any(|c| c.is_ascii_lowercase());
    let all_caps_text = !has_lower(typed) && capitals(typed) >= 2;
    let mut out = String::with_capacity(decoded.len());
    let mut typed_words = typed.split_inclusive(char::is_whitespace);
    for read in decoded.split_inclusive(char::is_whitespace) {
        let word = typed_words.next().unwrap_or_default();
        if !has_lower(word) && (capitals(word) >= 2 || all_caps_text) {
            out.extend(read.chars().flat_map(char::to_uppercase));
        } else {
            out.push_str(read);
        }
    }
    out
}

/// Where a text sits in the workbook.
#[derive(Debug, Clone, Copy)]
enum Place {
    SheetName(usize),
    Cell(usize, usize),
}

/// Converts every legacy-encoded text of the workbook, with one note per
/// encoding found.
pub(crate) fn convert(workbook: &mut Workbook) {
    let mut readings: Vec<(Place, [Option<Reading>; 2])> = Vec::new();
    let mut unicode_file = false;
    let mut look = |place: Place, text: &str| {
        if text.is_ascii() {
            return;
        }
        if beyond_latin1(text) {
            // A Unicode sheet name is often the province's template; the cells
            // are what the unit typed.
            unicode_file |= matches!(place, Place::Cell(..));
            return;
        }
        let found = readings_of(text);
        if found.iter().any(Option::is_some) {
            readings.push((place, found));
        }
    };
    for (s, sheet) in workbook.sheets.iter().enumerate() {
        look(Place::SheetName(s), &sheet.name);
        for (c, cell) in sheet.cells.iter().enumerate() {
            if let CellValue::Text(text) = &cell.value {
                look(Place::Cell(s, c), text);
            }
        }
    }
    let evidence = |e: Encoding| {
        readings
            .iter()
            .filter(|(_, r)| r[e as usize].as_ref().is_some_and(|r| r.evidence))
            .count()
    };
    let (tcvn3, vni) = (evidence(Encoding::Tcvn3), evidence(Encoding::Vni));
    if tcvn3 + vni == 0 {
        return;
    }
    // The file's encoding: the one with more evidence; TCVN3, the government
    // standard, when a short text reads both ways.
    let main = if vni > tcvn3 {
        Encoding::Vni
    } else {
        Encoding::Tcvn3
    };
    let other = Encoding::ALL[1 - main as usize];
    let mut converted: [Vec<(Place, String, String)>; 2] = [Vec::new(), Vec::new()];
    for (place, mut found) in readings {
        let strong = |e: Encoding, f: &[Option<Reading>; 2]| {
            f[e as usize].as_ref().is_some_and(|r| r.evidence)
        };
        // A text the file's encoding reads is read in it when it is legacy at
        // all: evidence in either encoding, or a wholly legacy file.
        let legacy =
            strong(main, &found) || strong(other, &found) || !unicode_file && tcvn3.max(vni) >= 2;
        let chosen = if legacy && found[main as usize].is_some() {
            main
        } else if strong(other, &found) {
            other
        } else {
            continue;
        };
        let Some(reading) = found[chosen as usize].take() else {
            continue;
        };
        let slot = match place {
            Place::SheetName(s) => &mut workbook.sheets[s].name,
            Place::Cell(s, c) => match &mut workbook.sheets[s].cells[c].value {
                CellValue::Text(t) => t,
                _ => continue,
            },
        };
        let typed = std::mem::replace(slot, reading.decoded.clone());
        if let Place::SheetName(_) = place {
            for note in &mut workbook.notes {
                if note.sheet.as_deref() == Some(typed.as_str()) {
                    note.sheet = Some(reading.decoded.clone());
                }
            }
        }
        converted[chosen as usize].push((place, typed, reading.decoded));
    }
    for encoding in Encoding::ALL {
        let done = &converted[encoding as usize];
        if let Some(note) = note(workbook, encoding, done, !unicode_file) {
            workbook.notes.push(note);
        }
    }
}

/// The officer's note for one encoding: how many texts, an example, and where
/// (all places, up to ten, when only part of the file was legacy).
fn note(
    workbook: &Workbook,
    encoding: Encoding,
    done: &[(Place, String, String)],
    whole_file: bool,
) -> Option<ReadNote> {
    const LISTED: usize = 10;
    let (first, typed, read) = done.first()?;
    let where_ = |place: &Place| match *place {
        Place::SheetName(s) => format!("tên trang '{}'", workbook.sheets[s].name),
        Place::Cell(s, c) => {
            let sheet = &workbook.sheets[s];
            let cell = &sheet.cells[c];
            format!("'{}'!{}", sheet.name, super::a1(cell.row, cell.col))
        }
    };
    let mut message = format!(
        "văn bản gõ bằng bảng mã {}, đã chuyển sang Unicode: {} ô, ví dụ «{typed}» thành «{read}»",
        encoding.name(),
        done.len()
    );
    if !whole_file {
        let places: Vec<String> = done.iter().take(LISTED).map(|(p, ..)| where_(p)).collect();
        message.push_str(&format!("; các ô: {}", places.join(", ")));
        if done.len() > LISTED {
            message.push_str(&format!(" và {} ô khác", done.len() - LISTED));
        }
    }
    message.push_str("; hãy kiểm tra lại và đề nghị đơn vị dùng bảng mã Unicode");
    let (sheet, cell) = match *first {
        Place::SheetName(s) => (Some(workbook.sheets[s].name.clone()), None),
        Place::Cell(s, c) => {
            let cell = &workbook.sheets[s].cells[c];
            (
                Some(workbook.sheets[s].name.clone()),
                Some((cell.row, cell.col)),
            )
        }
    };
    Some(ReadNote {
        sheet,
        cell,
        message,
    })
}

#[cfg(test)]
mod tests;
