//! Strings: the shared-strings part, and the string of an `<si>` or `<is>`
//! element (plain or rich text, phonetic runs left out), trimmed as calamine
//! trims it.

use super::Fallback;
use super::xml::{Event, Name, Tag, Xml, attr, push_entity, xml10};

/// The shared strings of a `sharedStrings.xml`, in order.
pub fn shared_strings<'a>(xml: &mut impl Xml<'a>) -> Result<Vec<String>, Fallback> {
    let mut strings = Vec::new();
    loop {
        match xml.next()? {
            Event::Start(e) if e.local() == "sst" => {
                let count = attr(e.attrs_raw(), "uniqueCount")?;
                if let Some(n) = count.and_then(|n| n.parse::<usize>().ok()) {
                    // A declared count is a hint, never a size to trust.
                    strings.reserve(n.min(1 << 16));
                }
                break;
            }
            Event::Eof => return Err(Fallback("sst")),
            _ => {}
        }
    }
    loop {
        match xml.next()? {
            Event::Start(e) if e.local() == "si" => strings.push(string(xml, &e)?),
            Event::End(e) if e.local() == "sst" => break,
            Event::Eof => return Err(Fallback("sst end")),
            _ => {}
        }
    }
    Ok(strings)
}

/// The text of the element `closing` just opened, to its end: calamine's
/// `read_string_with_bufs`.
pub fn string<'a, X: Xml<'a>>(xml: &mut X, closing: &X::Start) -> Result<String, Fallback> {
    let mut rich: Option<String> = None;
    let mut phonetic = false;
    loop {
        match xml.next()? {
            Event::Start(e) if e.local() == "r" && rich.is_none() => {
                rich = Some(String::new());
            }
            Event::Start(e) if e.local() == "rPh" => phonetic = true,
            Event::End(e) if e.qname() == closing.qname() => return Ok(rich.unwrap_or_default()),
            Event::End(e) if e.local() == "rPh" => phonetic = false,
            Event::Start(e) if e.local() == "t" && !phonetic => {
                let preserve = attr(e.attrs_raw(), "xml:space")? == Some("preserve");
                let mut value = String::new();
                loop {
                    match xml.next()? {
                        Event::Text(t) | Event::CData(t) => value.push_str(&xml10(&t)),
                        Event::Ref(r) => push_entity(&r, &mut value)?,
                        Event::End(end) if end.qname() == e.qname() => break,
                        Event::Eof => return Err(Fallback("t end")),
                        _ => {}
                    }
                }
                let trimmed = if preserve {
                    value.as_str()
                } else {
                    value.trim_matches([' ', '\t', '\r', '\n'])
                };
                no_excel_escape(trimmed)?;
                match &mut rich {
                    Some(s) => s.push_str(trimmed),
                    None if trimmed.len() == value.len() => rich = Some(value),
                    None => rich = Some(trimmed.to_string()),
                }
            }
            Event::Eof => return Err(Fallback("string end")),
            _ => {}
        }
    }
}

/// Excel writes a control character as `_xHHHH_`; calamine decodes those
/// (surrogate pairs and all). Rare in a form: such a file goes to calamine.
pub fn no_excel_escape(text: &str) -> Result<(), Fallback> {
    let bytes = text.as_bytes();
    let escaped = memchr::memchr_iter(b'_', bytes).any(|i| {
        bytes.get(i..i + 7).is_some_and(|w| {
            w[1] == b'x' && w[2..6].iter().all(u8::is_ascii_hexdigit) && w[6] == b'_'
        })
    });
    if escaped {
        Err(Fallback("_xHHHH_ escape"))
    } else {
        Ok(())
    }
}
