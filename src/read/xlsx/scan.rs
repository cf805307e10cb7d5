//! A byte scanner that cuts a part into the events quick-xml would give.
//!
//! quick-xml checks every event's bytes for UTF-8 on its own, builds each event
//! through a general state machine and keeps a stack of open names: for a form,
//! most of the reading. This scanner checks the part's UTF-8 once, then finds
//! each event with a few byte comparisons. It follows quick-xml's slice reader
//! (under calamine's configuration) to the byte for what it handles: start, end
//! and empty tags with quoted attributes (a `>` inside quotes does not end a
//! tag), text, general references closed by `;`, a leading byte-order mark and
//! a plain UTF-8 declaration at the start. On anything else, a comment, CDATA, a
//! processing instruction, a DOCTYPE, any other declaration, a `&` that no `;`
//! closes, an end tag with nothing open, a tag or part cut short, a part that is
//! not UTF-8, it gives up with [`GIVE_UP`] and the part is read by quick-xml.
//! A reader's own refusal ([`Fallback`]) on the scanner's events is quick-xml's
//! refusal too: the events before it were the same.

use super::Fallback;
use super::xml::{Event, Name, Tag, Xml};
use std::borrow::Cow;

/// The scanner met XML it does not follow exactly: quick-xml must read the part.
pub const GIVE_UP: Fallback = Fallback("scanner gave up");

/// The declarations read as they are: UTF-8, or no encoding at all.
const DECLARATIONS: [&str; 6] = [
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#,
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    r#"<?xml version="1.0" encoding="utf-8"?>"#,
    r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?>"#,
    r#"<?xml version="1.0"?>"#,
];

/// The events of one part.
pub struct Scanner<'a> {
    text: &'a str,
    /// Where the XML starts, after any byte-order mark.
    start: usize,
    pos: usize,
    /// Elements open, as quick-xml counts them: an end tag with none open is an
    /// error there.
    open: usize,
    /// The end event owed to an empty element just started.
    owed_end: Option<&'a str>,
}

/// A start tag's name and raw attributes.
#[derive(Clone, Copy)]
pub struct Start<'a> {
    name: &'a str,
    attrs: &'a str,
}

/// An end tag's name.
pub struct End<'a>(&'a str);

impl<'a> Scanner<'a> {
    pub fn new(bytes: &'a [u8]) -> Result<Scanner<'a>, Fallback> {
        let text = simdutf8::basic::from_utf8(bytes).map_err(|_| GIVE_UP)?;
        // quick-xml drops a byte-order mark.
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Ok(Scanner {
            text,
            start,
            pos: start,
            open: 0,
            owed_end: None,
        })
    }

    /// The tag at `self.pos` (a `<`), to its `>`.
    fn markup(&mut self) -> Result<Event<'a, Start<'a>, End<'a>>, Fallback> {
        let bytes = self.text.as_bytes();
        let from = self.pos + 1;
        match bytes.get(from) {
            Some(b'/') => {
                let close = tag_end(bytes, from + 1).ok_or(GIVE_UP)?;
                if self.open == 0 {
                    return Err(GIVE_UP);
                }
                self.open -= 1;
                self.pos = close + 1;
                let content = &self.text[from + 1..close];
                // quick-xml trims the name's trailing white space, if that
                // leaves a name.
                let name = match content.bytes().rposition(|b| !is_space(b)) {
                    Some(last) => &content[..=last],
                    None => content,
                };
                Ok(Event::End(End(name)))
            }
            Some(b'?') if self.pos == self.start => {
                let rest = &self.text[self.pos..];
                let declaration = DECLARATIONS.iter().find(|d| rest.starts_with(**d));
                self.pos += declaration.ok_or(GIVE_UP)?.len();
                Ok(Event::Other)
            }
            Some(b'!' | b'?') | None => Err(GIVE_UP),
            Some(_) => {
                let close = tag_end(bytes, from).ok_or(GIVE_UP)?;
                self.pos = close + 1;
                let mut content = &self.text[from..close];
                let empty = content.ends_with('/');
                if empty {
                    content = &content[..content.len() - 1];
                }
                let name_len = content.bytes().position(is_space).unwrap_or(content.len());
                let (name, attrs) = content.split_at(name_len);
                self.open += 1;
                if empty {
                    self.owed_end = Some(name);
                }
                Ok(Event::Start(Start { name, attrs }))
            }
        }
    }

    /// The reference at `self.pos` (a `&`), closed by a `;` before any `&` or
    /// `<`, as quick-xml requires.
    fn reference(&mut self) -> Result<Event<'a, Start<'a>, End<'a>>, Fallback> {
        let rest = &self.text.as_bytes()[self.pos + 1..];
        match memchr::memchr3(b';', b'&', b'<', rest) {
            Some(i) if rest[i] == b';' => {
                let name = &self.text[self.pos + 1..self.pos + 1 + i];
                self.pos += i + 2;
                Ok(Event::Ref(Cow::Borrowed(name)))
            }
            _ => Err(GIVE_UP),
        }
    }
}

impl<'a> Xml<'a> for Scanner<'a> {
    type Start = Start<'a>;
    type End = End<'a>;

    fn next(&mut self) -> Result<Event<'a, Start<'a>, End<'a>>, Fallback> {
        if let Some(name) = self.owed_end.take() {
            self.open -= 1;
            return Ok(Event::End(End(name)));
        }
        let rest = &self.text.as_bytes()[self.pos..];
        match rest.first() {
            None => Ok(Event::Eof),
            Some(b'<') => self.markup(),
            Some(b'&') => self.reference(),
            Some(_) => {
                let end = self.pos + memchr::memchr2(b'<', b'&', rest).unwrap_or(rest.len());
                let text = &self.text[self.pos..end];
                self.pos = end;
                Ok(Event::Text(Cow::Borrowed(text)))
            }
        }
    }

    fn skip(&mut self, start: &Start<'a>) -> Result<(), Fallback> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) if e.name == start.name => depth += 1,
                Event::End(e) if e.0 == start.name => match depth.checked_sub(1) {
                    Some(d) => depth = d,
                    None => return Ok(()),
                },
                Event::Eof => return Err(GIVE_UP),
                _ => {}
            }
        }
    }
}

impl Name for Start<'_> {
    fn qname(&self) -> &str {
        self.name
    }
}

impl Tag for Start<'_> {
    fn attrs_raw(&self) -> &str {
        self.attrs
    }
}

impl Name for End<'_> {
    fn qname(&self) -> &str {
        self.0
    }
}

/// XML white space, as quick-xml splits a tag's name from its attributes.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The `>` that ends a tag whose content starts at `from`: the first outside
/// quotes, as quick-xml's `ElementParser` finds it.
fn tag_end(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let rest = bytes.get(from..)?;
        let at = from
            + rest
                .iter()
                .position(|&b| matches!(b, b'>' | b'"' | b'\''))?;
        let quote = bytes[at];
        if quote == b'>' {
            return Some(at);
        }
        let quoted = bytes.get(at + 1..)?;
        from = at + 2 + quoted.iter().position(|&b| b == quote)?;
    }
}
