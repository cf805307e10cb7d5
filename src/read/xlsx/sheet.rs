//! One worksheet's cells and formulas, streamed from its XML as calamine's
//! `XlsxCellReader::next_cell` streams them.

use super::styles::NumberKind;
use super::xml::{Event, Name, Tag, Xml, attr, attrs, push_entity, xml10};
use super::{Fallback, plain_index, text};
use crate::read::spreadsheet::convert_ref;
use crate::read::{Cell, FormulaCell, Limits};
use calamine::{DataRef, ExcelDateTime, ExcelDateTimeType};

/// What every sheet of the workbook shares.
pub struct Context<'a> {
    pub strings: &'a [String],
    pub formats: &'a [NumberKind],
    pub is_1904: bool,
    pub limits: &'a Limits,
}

/// A shared formula's anchor: its text and the first cell of its range.
struct Shared {
    formula: String,
    start: (u32, u32),
}

/// The non-empty cells and the formulas of a sheet part.
pub fn read<'a>(
    xml: &mut impl Xml<'a>,
    ctx: &Context,
) -> Result<(Vec<Cell>, Vec<FormulaCell>), Fallback> {
    loop {
        match xml.next()? {
            Event::Start(e) => match e.local() {
                "dimension" => {
                    let r = attr(e.attrs_raw(), "ref")?.ok_or(Fallback("dimension"))?;
                    dimension(r)?;
                }
                "sheetData" => break,
                _ => {}
            },
            Event::Eof => return Err(Fallback("not a worksheet")),
            _ => {}
        }
    }
    let mut cells = Vec::with_capacity(256);
    let mut formulas = Vec::new();
    let mut shared: Vec<Option<Shared>> = Vec::new();
    let (mut row, mut col) = (0u32, 0u32);
    loop {
        match xml.next()? {
            Event::Start(e) if e.local() == "row" => {
                if let Some(r) = attr(e.attrs_raw(), "r")? {
                    row = position(r)?.0;
                }
            }
            Event::End(e) if e.local() == "row" => {
                row = row.checked_add(1).ok_or(Fallback("row overflow"))?;
                col = 0;
            }
            Event::Start(c) if c.local() == "c" => {
                let [r, s, t] = attrs(c.attrs_raw(), ["r", "s", "t"])?;
                let pos = match r {
                    Some(r) => match position(r)? {
                        (row, Some(c)) => {
                            col = c;
                            (row, c)
                        }
                        (_, None) => return Err(Fallback("cell reference without column")),
                    },
                    None => (row, col),
                };
                let kind = match s {
                    // calamine reads an empty style index as 0.
                    Some("") => ctx.formats.first().copied(),
                    Some(s) => ctx.formats.get(plain_index(s)?).copied(),
                    None => Some(NumberKind::Other),
                };
                let mut value: Option<DataRef> = None;
                loop {
                    match xml.next()? {
                        Event::Start(e) => {
                            value = element(xml, &e, pos, t, kind, ctx, &mut shared, &mut formulas)?
                        }
                        Event::End(e) if e.local() == "c" => break,
                        Event::Eof => return Err(Fallback("cell end")),
                        _ => {}
                    }
                }
                col = col.checked_add(1).ok_or(Fallback("column overflow"))?;
                if let Some(value) = value.as_ref().and_then(convert_ref) {
                    if cells.len() >= ctx.limits.max_cells_per_sheet {
                        // calamine's path words the limit as a note on the sheet.
                        return Err(Fallback("cell limit"));
                    }
                    cells.push(Cell {
                        row: pos.0,
                        col: pos.1,
                        value,
                    });
                }
            }
            Event::End(e) if e.local() == "sheetData" => break,
            Event::Eof => return Err(Fallback("sheetData end")),
            _ => {}
        }
    }
    formulas.sort_unstable_by_key(|f: &FormulaCell| (f.row, f.col));
    Ok((cells, formulas))
}

/// One element inside a `<c>`: the cell's value as it stands after it (calamine
/// keeps the last; a formula element leaves the value empty, as its
/// `next_cell` does), recording a formula's text on the way.
#[allow(clippy::too_many_arguments)]
fn element<'a, 's, X: Xml<'a>>(
    xml: &mut X,
    e: &X::Start,
    pos: (u32, u32),
    t: Option<&str>,
    kind: Option<NumberKind>,
    ctx: &Context<'s>,
    shared: &mut Vec<Option<Shared>>,
    formulas: &mut Vec<FormulaCell>,
) -> Result<Option<DataRef<'s>>, Fallback> {
    Ok(match e.local() {
        "is" => Some(DataRef::String(text::string(xml, e)?)),
        "v" if matches!(t, Some("inlineStr" | "is")) => {
            xml.skip(e)?;
            None
        }
        "v" if matches!(t, Some("n" | "s" | "b" | "e") | None) => {
            // calamine reads these from the first text event, raw.
            match xml.next()? {
                Event::Text(text) => {
                    let value = plain_value(&text, t, kind, ctx)?;
                    xml.skip(e)?;
                    value
                }
                Event::End(end) if end.qname() == e.qname() => None,
                Event::Eof => return Err(Fallback("v end")),
                _ => {
                    xml.skip(e)?;
                    None
                }
            }
        }
        "v" => {
            let mut value = String::new();
            loop {
                match xml.next()? {
                    Event::Text(text) => value.push_str(&xml10(&text)),
                    Event::Ref(r) => push_entity(&r, &mut value)?,
                    Event::End(end) if end.qname() == e.qname() => break,
                    Event::Eof => return Err(Fallback("v end")),
                    _ => {}
                }
            }
            match t {
                Some("d") => Some(DataRef::DateTimeIso(value)),
                Some("str") => {
                    text::no_excel_escape(&value)?;
                    Some(DataRef::String(value))
                }
                _ => return Err(Fallback("cell type")),
            }
        }
        "f" => {
            formula(xml, e, pos, shared, formulas)?;
            None
        }
        _ => return Err(Fallback("unexpected element in a cell")),
    })
}

/// A `<v>` of a number, shared-string, boolean or error cell.
fn plain_value<'s>(
    v: &str,
    t: Option<&str>,
    kind: Option<NumberKind>,
    ctx: &Context<'s>,
) -> Result<Option<DataRef<'s>>, Fallback> {
    Ok(match t {
        Some("s") if v.is_empty() => None,
        Some("s") => Some(DataRef::SharedString(
            ctx.strings
                .get(plain_index(v)?)
                .ok_or(Fallback("shared string index"))?,
        )),
        Some("b") => match v.trim() {
            "" => None,
            b if b == "0" || b.eq_ignore_ascii_case("false") => Some(DataRef::Bool(false)),
            b if b == "1" || b.eq_ignore_ascii_case("true") => Some(DataRef::Bool(true)),
            _ => return Err(Fallback("boolean")),
        },
        Some("e") => Some(DataRef::Error(
            v.parse().map_err(|_| Fallback("error value"))?,
        )),
        _ if v.is_empty() => None,
        _ => {
            let n = plain_number(v)?;
            let date = |kind| DataRef::DateTime(ExcelDateTime::new(n, kind, ctx.is_1904));
            Some(match kind {
                Some(NumberKind::DateTime) => date(ExcelDateTimeType::DateTime),
                Some(NumberKind::TimeDelta) => date(ExcelDateTimeType::TimeDelta),
                _ => DataRef::Float(n),
            })
        }
    })
}

/// A number as Excel writes one (`-12.5`, `1E-3`): parsed the same by Rust and
/// by calamine's float parser. Anything else (`inf`, spaces, text where a
/// number should be) calamine reads its own way.
fn plain_number(v: &str) -> Result<f64, Fallback> {
    let digits = v.bytes().any(|b| b.is_ascii_digit());
    let plain = v
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !digits || !plain {
        return Err(Fallback("number"));
    }
    v.parse().map_err(|_| Fallback("number"))
}

/// Records an `<f>`'s text: a plain formula or a shared formula's anchor as
/// written, a cell of a shared formula expanded from its anchor exactly as
/// calamine expands it (`expand_shared_formula`).
fn formula<'a, X: Xml<'a>>(
    xml: &mut X,
    e: &X::Start,
    pos: (u32, u32),
    shared: &mut Vec<Option<Shared>>,
    formulas: &mut Vec<FormulaCell>,
) -> Result<(), Fallback> {
    let mut text = String::new();
    loop {
        match xml.next()? {
            Event::Text(t) => text.push_str(&xml10(&t)),
            Event::Ref(r) => push_entity(&r, &mut text)?,
            Event::End(end) if end.qname() == e.qname() => break,
            Event::Eof => return Err(Fallback("f end")),
            _ => {}
        }
    }
    let [t, si, range] = attrs(e.attrs_raw(), ["t", "si", "ref"])?;
    let text = if t == Some("shared") {
        let index = plain_index(si.ok_or(Fallback("shared formula index"))?)?;
        if let Some(range) = range {
            let start = dimension(range)?;
            if index >= shared.len() {
                if index > 1 << 16 {
                    return Err(Fallback("shared formula index"));
                }
                shared.resize_with(index + 1, || None);
            }
            shared[index] = Some(Shared {
                formula: text.clone(),
                start,
            });
            text
        } else {
            match shared.get(index).and_then(Option::as_ref) {
                Some(anchor) => calamine::expand_shared_formula(&anchor.formula, anchor.start, pos)
                    .map_err(|_| Fallback("shared formula"))?,
                None => String::new(),
            }
        }
    } else {
        text
    };
    if !text.is_empty() {
        formulas.push(FormulaCell {
            row: pos.0,
            col: pos.1,
            formula: text,
        });
    }
    Ok(())
}

/// The first cell of a `ref` range (`A1:F40`), checked as calamine checks it.
fn dimension(range: &str) -> Result<(u32, u32), Fallback> {
    let mut parts = range.split(':');
    let first = parts.next().ok_or(Fallback("range"))?;
    let start = match position(first)? {
        (row, Some(col)) => (row, col),
        _ => return Err(Fallback("range")),
    };
    match (parts.next(), parts.next()) {
        (None, _) => {}
        (Some(end), None) => {
            let (r, c) = position(end)?;
            let c = c.ok_or(Fallback("range"))?;
            // calamine subtracts the corners unchecked.
            if r < start.0 || c < start.1 {
                return Err(Fallback("range"));
            }
        }
        _ => return Err(Fallback("range")),
    }
    Ok(start)
}

/// A zero-based (row, column) from `B12` (or a row from `12`), refusing what
/// calamine would refuse and anything that would overflow its arithmetic.
fn position(reference: &str) -> Result<(u32, Option<u32>), Fallback> {
    let bytes = reference.as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &bytes[letters..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) || letters > 3 {
        return Err(Fallback("cell reference"));
    }
    let col = bytes[..letters].iter().fold(0u32, |n, b| {
        n * 26 + (b.to_ascii_uppercase() - b'A') as u32 + 1
    });
    let row = digits
        .iter()
        .try_fold(0u32, |n, d| {
            n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
        })
        .filter(|&r| r > 0 && r <= 1 << 24)
        .ok_or(Fallback("cell reference"))?;
    Ok((row - 1, col.checked_sub(1)))
}

/// Where a sheet's cells end in the first bytes of its part: just after the
/// first `</sheetData>` (or an empty `<sheetData/>`, with or without a
/// namespace prefix) that ends at or after `new`, the first new byte. The same
/// bytes inside a comment, CDATA or an attribute would cut the part where it
/// does not read; the caller reads the whole part then.
pub fn end_of_cells(bytes: &[u8], new: usize) -> Option<usize> {
    const NAME: &[u8] = b"sheetData";
    // Far enough back to see a tag that the previous bytes cut in two.
    let from = new.saturating_sub(NAME.len() + 64);
    let mut at = from;
    while let Some(i) = memchr::memmem::find(&bytes[at..], NAME) {
        let name = at + i;
        at = name + 1;
        let (opening, tail) = match &bytes[name + NAME.len()..] {
            [b'>', ..] => (b"</".as_slice(), 1),
            [b'/', b'>', ..] => (b"<".as_slice(), 2),
            _ => continue,
        };
        // An optional prefix (`x:`) before the name, then the tag's opening.
        let before = &bytes[..name];
        let before = match before.strip_suffix(b":") {
            Some(prefixed) => {
                let prefix = prefixed
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
                    .count();
                if prefix == 0 {
                    continue;
                }
                &prefixed[..prefixed.len() - prefix]
            }
            None => before,
        };
        if before.ends_with(opening) {
            return Some(name + NAME.len() + tail);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::end_of_cells;

    #[test]
    fn the_cells_end_at_the_first_end_of_sheet_data() {
        fn end(text: &str) -> Option<&str> {
            end_of_cells(text.as_bytes(), 0).map(|at| &text[..at])
        }
        let sheet = "<worksheet><sheetData><row/></sheetData><mergeCells/></worksheet>";
        assert_eq!(end(sheet), Some("<worksheet><sheetData><row/></sheetData>"));
        let prefixed = "<x:worksheet><x:sheetData></x:sheetData><x:pageSetup/>";
        assert_eq!(
            end(prefixed),
            Some("<x:worksheet><x:sheetData></x:sheetData>")
        );
        assert_eq!(
            end("<worksheet><sheetData/><cols/>"),
            Some("<worksheet><sheetData/>")
        );
        // A start tag, a longer name, a space before `>`: not the end.
        assert_eq!(end("<worksheet><sheetData>"), None);
        assert_eq!(end("<worksheet><sheetDataX></sheetDataX>"), None);
        assert_eq!(end("<worksheet><sheetData></sheetData >"), None);
        assert_eq!(end("<worksheet><sheetData><:sheetData>"), None);
        // The same bytes in an attribute are found: the cut does not read there,
        // and the caller reads the whole part.
        assert_eq!(
            end(r#"<c a="</sheetData>"/>"#),
            Some(r#"<c a="</sheetData>"#)
        );
    }

    #[test]
    fn an_end_cut_in_two_by_the_previous_bytes_is_found() {
        let text = b"<worksheet><sheetData><row/></sheetData><cols/>";
        let split = text.len() - 10; // inside `</sheetData>`
        assert_eq!(end_of_cells(&text[..split], 0), None);
        assert_eq!(end_of_cells(text, split), Some(text.len() - 7));
    }
}
