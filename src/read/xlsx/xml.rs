//! A part's XML as events: quick-xml's, configured as calamine configures its
//! own, or the byte scanner's (`scan.rs`), which gives the very same events for
//! the XML it handles and gives up on the rest. Every part reader is written
//! once, against [`Xml`], and runs on either; so the scanner can only differ
//! from quick-xml in how it cuts bytes into events, which is what the tests and
//! the `xlsx_scanner` fuzz target hold it to. Attributes are scanned here, as
//! calamine's `RawAttrIter` scans them.

use super::Fallback;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event as QuickEvent};
use std::borrow::Cow;

/// One XML event as quick-xml gives it under calamine's configuration: an empty
/// element is a start followed by its end, text is raw and never empty, a
/// general reference is an event of its own.
pub enum Event<'a, S, E> {
    Start(S),
    End(E),
    Text(Cow<'a, str>),
    /// A general reference's name, between `&` and `;`.
    Ref(Cow<'a, str>),
    CData(Cow<'a, str>),
    /// A comment, a processing instruction, a DOCTYPE, a UTF-8 declaration.
    Other,
    Eof,
}

/// An element's name, as written (`x:row`), and its local part (`row`).
pub trait Name {
    fn qname(&self) -> &str;
    fn local(&self) -> &str {
        let name = self.qname();
        match name.bytes().position(|b| b == b':') {
            Some(colon) => &name[colon + 1..],
            None => name,
        }
    }
}

/// A start tag: its name and its attributes, raw.
pub trait Tag: Name {
    fn attrs_raw(&self) -> &str;
}

/// A source of events.
pub trait Xml<'a> {
    type Start: Tag;
    type End: Name;
    /// The next event; a malformed one, or a declaration of an encoding other
    /// than UTF-8, is a [`Fallback`].
    fn next(&mut self) -> Result<Event<'a, Self::Start, Self::End>, Fallback>;
    /// Skips to the end of the element `start` began, as quick-xml's
    /// `read_to_end` does (counting nested elements of the same name).
    fn skip(&mut self, start: &Self::Start) -> Result<(), Fallback>;
}

/// quick-xml, configured as calamine configures its own reader.
pub struct QuickXml<'a>(quick_xml::Reader<&'a [u8]>);

impl<'a> QuickXml<'a> {
    pub fn new(bytes: &'a [u8]) -> Result<QuickXml<'a>, Fallback> {
        // A UTF-16 part is decoded by calamine's buffered reader; not here.
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(Fallback("UTF-16 part"));
        }
        let mut reader = quick_xml::Reader::from_reader(bytes);
        let config = reader.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        Ok(QuickXml(reader))
    }
}

impl<'a> Xml<'a> for QuickXml<'a> {
    type Start = BytesStart<'a>;
    type End = BytesEnd<'a>;

    fn next(&mut self) -> Result<Event<'a, BytesStart<'a>, BytesEnd<'a>>, Fallback> {
        Ok(match self.0.read_event() {
            Ok(QuickEvent::Start(e)) => Event::Start(e),
            Ok(QuickEvent::End(e)) => Event::End(e),
            Ok(QuickEvent::Text(t)) => Event::Text(t.into_inner()),
            Ok(QuickEvent::GeneralRef(r)) => Event::Ref(r.into_inner()),
            Ok(QuickEvent::CData(t)) => Event::CData(t.into_inner()),
            Ok(QuickEvent::Decl(decl)) => match decl.encoding() {
                Some(Ok(enc)) if !enc.eq_ignore_ascii_case("utf-8") => {
                    return Err(Fallback("encoding"));
                }
                Some(Err(_)) => return Err(Fallback("xml declaration")),
                _ => Event::Other,
            },
            Ok(QuickEvent::Eof) => Event::Eof,
            Ok(_) => Event::Other,
            Err(_) => return Err(Fallback("xml")),
        })
    }

    fn skip(&mut self, start: &BytesStart<'a>) -> Result<(), Fallback> {
        self.0
            .read_to_end(start.name())
            .map(|_| ())
            .map_err(|_| Fallback("xml"))
    }
}

impl Name for BytesStart<'_> {
    fn qname(&self) -> &str {
        self.name().into_inner()
    }
}

impl Tag for BytesStart<'_> {
    fn attrs_raw(&self) -> &str {
        self.attributes_raw()
    }
}

impl Name for BytesEnd<'_> {
    fn qname(&self) -> &str {
        self.name().into_inner()
    }
}

/// Text with its line ends normalized as quick-xml's `xml10_content` does.
pub fn xml10(text: &str) -> Cow<'_, str> {
    BytesText::from_escaped(text).xml10_content()
}

/// Attributes, raw, scanned exactly as calamine's `RawAttrIter` scans them
/// (calamine decodes only names and format codes).
pub fn raw_attrs(raw: &str) -> RawAttrs<'_> {
    RawAttrs { raw, pos: 0 }
}

/// The attributes of a tag, `key="value"` by `key="value"`.
pub struct RawAttrs<'e> {
    raw: &'e str,
    pos: usize,
}

impl<'e> Iterator for RawAttrs<'e> {
    type Item = Result<(&'e str, &'e str), Fallback>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.raw.as_bytes();
        let len = bytes.len();
        let mut pos = self.pos;
        while pos < len && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= len {
            self.pos = len;
            return None;
        }
        // A key runs to the next `=`; without one, or without a quote after
        // it, the scan ends in an error.
        self.pos = len;
        let key_start = pos;
        while pos < len && bytes[pos] != b'=' {
            pos += 1;
        }
        if pos >= len {
            return Some(Err(Fallback("attribute")));
        }
        let key = self.raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < len && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = match bytes.get(pos) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Some(Err(Fallback("attribute"))),
        };
        pos += 1;
        let start = pos;
        while pos < len && bytes[pos] != quote {
            pos += 1;
        }
        self.pos = (pos + 1).min(len);
        Some(Ok((key, &self.raw[start..pos])))
    }
}

/// The raw values of the named attributes, as calamine's `get_attrs!` finds
/// them (it stops scanning once it has counted as many matches as names).
pub fn attrs<'e, const N: usize>(
    raw: &'e str,
    names: [&str; N],
) -> Result<[Option<&'e str>; N], Fallback> {
    let mut found = [None; N];
    let mut count = 0;
    for item in raw_attrs(raw) {
        let (key, value) = item?;
        if let Some(i) = names.iter().position(|n| *n == key) {
            found[i] = Some(value);
            count += 1;
        }
        if count == N {
            break;
        }
    }
    Ok(found)
}

/// One raw attribute (calamine's `raw_attr`: the first of that name).
pub fn attr<'e>(raw: &'e str, name: &str) -> Result<Option<&'e str>, Fallback> {
    for item in raw_attrs(raw) {
        let (key, value) = item?;
        if key == name {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// An attribute value with XML escapes resolved (calamine's `decode_attr`).
pub fn decoded(value: &str) -> Result<String, Fallback> {
    quick_xml::escape::unescape(value)
        .map(|v| v.into_owned())
        .map_err(|_| Fallback("attribute escape"))
}

/// Appends what the entity reference `&name;` stands for, as calamine resolves
/// it.
pub fn push_entity(name: &str, out: &mut String) -> Result<(), Fallback> {
    if let Some(text) = quick_xml::escape::resolve_xml_entity(name) {
        out.push_str(text);
        return Ok(());
    }
    match quick_xml::events::BytesRef::new(name).resolve_char_ref() {
        Ok(Some(c)) => {
            out.push(c);
            Ok(())
        }
        _ => Err(Fallback("entity")),
    }
}
