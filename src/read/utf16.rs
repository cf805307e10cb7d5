//! UTF-16 text without a byte-order mark, as some tools save "Unicode" CSV.
//!
//! Such bytes are valid UTF-8 (every other byte a NUL), so without this they
//! would be read as text full of NULs: a registry with no column found, or a
//! submission with no label. Vietnamese text in UTF-16 has a NUL in most high
//! bytes (ASCII, and U+00xx letters), in the odd places for little-endian.

/// The encoding of BOM-less UTF-16 text, if these bytes look like it.
pub fn without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros = |offset: usize| {
        head.iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    // Most high bytes zero, (almost) no low byte zero.
    let looks = |high: usize, low: usize| high * 10 >= pairs * 4 && low * 20 < pairs;
    if looks(odd, even) {
        Some(encoding_rs::UTF_16LE)
    } else if looks(even, odd) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_both_byte_orders_and_nothing_else() {
        let text = "ma_don_vi,ten_don_vi,loai_hinh\nS01,Sở Nội vụ,SO_NGANH\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(without_bom(&le), Some(encoding_rs::UTF_16LE));
        assert_eq!(without_bom(&be), Some(encoding_rs::UTF_16BE));
        assert_eq!(without_bom(text.as_bytes()), None);
    }
}
