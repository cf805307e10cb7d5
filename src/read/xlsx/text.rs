//! Strings: the shared-strings part, and the string of an `<si>` or `<is>`
//! element (plain or rich text, phonetic runs left out), trimmed as calamine
//! trims it.

use super::{Fallback, Package, Xml, attr, next, push_entity, xml};
use quick_xml::events::Event;

/// The shared strings, in order (none when the part is absent).
pub fn shared_strings(package: &mut Package, xl_path: &str) -> Result<Vec<String>, Fallback> {
    let Some(bytes) = package.part(&format!("{xl_path}sharedStrings.xml"))? else {
        return Ok(Vec::new());
    };
    let mut xml = xml(&bytes)?;
    let mut strings = Vec::new();
    loop {
        match next(&mut xml)? {
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                if let Some(n) = attr(&e, "uniqueCount")?.and_then(|n| n.parse::<usize>().ok()) {
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
        match next(&mut xml)? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                strings.push(string(&mut xml, e.name().as_ref())?);
            }
            Event::End(e) if e.local_name().as_ref() == "sst" => break,
            Event::Eof => return Err(Fallback("sst end")),
            _ => {}
        }
    }
    Ok(strings)
}

/// The text of the element just opened (named `closing`), to its end: calamine's
/// `read_string_with_bufs`.
pub fn string(xml: &mut Xml, closing: &str) -> Result<String, Fallback> {
    let mut rich: Option<String> = None;
    let mut phonetic = false;
    loop {
        match next(xml)? {
            Event::Start(e) if e.local_name().as_ref() == "r" && rich.is_none() => {
                rich = Some(String::new());
            }
            Event::Start(e) if e.local_name().as_ref() == "rPh" => phonetic = true,
            Event::End(e) if e.name().as_ref() == closing => return Ok(rich.unwrap_or_default()),
            Event::End(e) if e.local_name().as_ref() == "rPh" => phonetic = false,
            Event::Start(e) if e.local_name().as_ref() == "t" && !phonetic => {
                let preserve = attr(&e, "xml:space")? == Some("preserve");
                let mut value = String::new();
                loop {
                    match next(xml)? {
                        Event::Text(t) => value.push_str(&t.xml10_content()),
                        Event::CData(t) => value.push_str(&t.xml10_content()),
                        Event::GeneralRef(r) => push_entity(&r, &mut value)?,
                        Event::End(end) if end.name() == e.name() => break,
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
    let escaped = text.as_bytes().windows(7).any(|w| {
        w[0] == b'_' && w[1] == b'x' && w[2..6].iter().all(u8::is_ascii_hexdigit) && w[6] == b'_'
    });
    if escaped {
        Err(Fallback("_xHHHH_ escape"))
    } else {
        Ok(())
    }
}
