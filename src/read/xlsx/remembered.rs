//! Parts that every form of a period shares, read once per thread.
//!
//! Units fill in copies of one template, so the package relationships, the
//! workbook part and the styles of most forms are the very same bytes, down to
//! their deflate streams; an Excel-saved form's 80 KB of styles cost more to
//! read than its cells. What such a part reads to is remembered by the part's
//! [`Identity`] in the zip: how it is compressed, its declared CRC-32 and size,
//! and its compressed bytes, compared whole. Equal identities inflate to equal
//! bytes and read to equal results, so a remembered reading is exactly what
//! reading the part again would give. Only readings that succeeded are
//! remembered; a part the reader refuses is refused again each time.

use super::Fallback;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::thread::LocalKey;
use zip::CompressionMethod;

/// A part as the zip holds it: two parts with equal identities are the same
/// part, whichever file they came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity<'a> {
    pub method: CompressionMethod,
    pub encrypted: bool,
    pub crc: u32,
    pub size: u64,
    /// The compressed bytes.
    pub data: &'a [u8],
}

impl Identity<'_> {
    /// Whether inflated bytes are this part whole: its declared size and its
    /// CRC-32, the checks the zip crate makes at the end of a part.
    pub fn holds(&self, bytes: &[u8]) -> bool {
        bytes.len() as u64 == self.size && crc32fast::hash(bytes) == self.crc
    }

    fn owned(&self) -> OwnedIdentity {
        OwnedIdentity {
            method: self.method,
            encrypted: self.encrypted,
            crc: self.crc,
            size: self.size,
            data: self.data.to_vec(),
        }
    }
}

#[derive(Debug)]
struct OwnedIdentity {
    method: CompressionMethod,
    encrypted: bool,
    crc: u32,
    size: u64,
    data: Vec<u8>,
}

impl OwnedIdentity {
    fn is(&self, id: &Identity) -> bool {
        (self.method, self.encrypted, self.crc, self.size)
            == (id.method, id.encrypted, id.crc, id.size)
            && self.data == id.data
    }
}

/// Compressed parts larger than this are not remembered: a template's shared
/// parts are a few kilobytes compressed, and a key is kept whole.
const LARGEST: usize = 256 * 1024;

/// The last few readings of one kind of part on this thread: a period's forms
/// come from one template or a handful.
pub struct Remembered<V> {
    entries: VecDeque<(OwnedIdentity, V)>,
}

impl<V> Default for Remembered<V> {
    fn default() -> Self {
        Remembered {
            entries: VecDeque::new(),
        }
    }
}

/// How many readings of each kind a thread keeps.
const KEPT: usize = 8;

/// The reading of the part `id` from `seen`, or `read`'s, remembered when it
/// succeeds. Without an identity (a part the zip cannot place) it is read.
pub fn reading<V: Clone>(
    seen: &'static LocalKey<RefCell<Remembered<V>>>,
    id: Option<Identity>,
    read: impl FnOnce() -> Result<V, Fallback>,
) -> Result<V, Fallback> {
    let Some(id) = id.filter(|id| id.data.len() <= LARGEST) else {
        return read();
    };
    let known = seen.with_borrow(|seen| {
        seen.entries
            .iter()
            .find(|(key, _)| key.is(&id))
            .map(|(_, v)| v.clone())
    });
    if let Some(value) = known {
        return Ok(value);
    }
    let value = read()?;
    seen.with_borrow_mut(|seen| {
        if seen.entries.len() >= KEPT {
            seen.entries.pop_front();
        }
        seen.entries.push_back((id.owned(), value.clone()));
    });
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static SEEN: RefCell<Remembered<u32>> = RefCell::default();
    }

    fn id(data: &[u8], crc: u32) -> Identity<'_> {
        Identity {
            method: CompressionMethod::Deflated,
            encrypted: false,
            crc,
            size: 10,
            data,
        }
    }

    #[test]
    fn a_part_is_read_once_per_identity_and_refusals_are_not_kept() {
        let counted = std::cell::Cell::new(0);
        let reads = &counted;
        let read = |v| {
            move || {
                reads.set(reads.get() + 1);
                Ok(v)
            }
        };
        assert_eq!(reading(&SEEN, Some(id(b"abc", 1)), read(1)), Ok(1));
        assert_eq!(reading(&SEEN, Some(id(b"abc", 1)), read(9)), Ok(1));
        // The same bytes under another CRC, other bytes: other parts.
        assert_eq!(reading(&SEEN, Some(id(b"abc", 2)), read(2)), Ok(2));
        assert_eq!(reading(&SEEN, Some(id(b"abd", 1)), read(3)), Ok(3));
        assert_eq!(reads.get(), 3);
        let refused = || Err(Fallback("test"));
        assert_eq!(
            reading(&SEEN, Some(id(b"xyz", 1)), refused),
            Err(Fallback("test"))
        );
        assert_eq!(reading(&SEEN, Some(id(b"xyz", 1)), read(4)), Ok(4));
        // Without an identity, always read.
        assert_eq!(reading(&SEEN, None, read(5)), Ok(5));
        assert_eq!(reading(&SEEN, None, read(6)), Ok(6));
        // The oldest readings give way to new ones.
        for n in 0..KEPT as u8 {
            let data = [n; 4];
            reading(&SEEN, Some(id(&data, 7)), read(7)).unwrap();
        }
        let before = reads.get();
        assert_eq!(reading(&SEEN, Some(id(b"abc", 1)), read(8)), Ok(8));
        assert_eq!(reads.get(), before + 1);
    }
}
