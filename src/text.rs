//! Text normalization: how labels, headers and names are compared.
//!
//! Vietnamese text reaches us composed (NFC) or decomposed (NFD, from Macs), in any
//! letter case, with or without diacritics (`Ma don vi`), with trailing colons and
//! stray no-break spaces. [`fold`] maps all of these to one comparable key;
//! [`clean`] keeps the text as written but in NFC, for values kept verbatim.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The comparison key of a label: NFD, combining marks dropped, `đ`/`Đ` mapped to
/// `d` (U+0111 has no decomposition, so dropping marks alone misses it), lower case,
/// `_` read as a space, runs of white space folded to one, trimmed, and a trailing
/// `:` dropped.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut push = |c: char| {
        if c.is_whitespace() || c == '_' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
    };
    for c in text.chars() {
        match c {
            'đ' | 'Đ' => push('d'),
            c if c.is_ascii() => push(c),
            // Only the base letter of a decomposition is kept; the marks that
            // follow it (and stray combining marks of NFD input) are dropped.
            c => {
                let mut base = None;
                unicode_normalization::char::decompose_canonical(c, |d| {
                    if base.is_none() && !is_combining_mark(d) {
                        base = Some(d);
                    }
                });
                if let Some(b) = base {
                    push(b);
                }
            }
        }
    }
    // A trailing colon and a required-field mark (`Mã đơn vị (*):`) are not
    // part of the label.
    loop {
        let before = out.len();
        while out.ends_with([':', '*', ' ']) {
            out.pop();
        }
        if out.ends_with("(*)") || out.ends_with("()") {
            out.truncate(out.rfind('(').unwrap_or(out.len()));
        }
        if out.len() == before {
            break;
        }
    }
    out
}

/// Whether a cell's text is short enough to be a label or a heading; longer text
/// (indicator labels, remarks) is never folded, which keeps parsing fast.
pub fn may_be_label(text: &str) -> bool {
    text.len() <= 48
}

/// Text kept as the unit wrote it: NFC, trimmed (no-break spaces included).
pub fn clean(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_ascii() || unicode_normalization::is_nfc(trimmed) {
        trimmed.to_string()
    } else {
        trimmed.nfc().collect()
    }
}

/// A unit code as compared everywhere: trimmed and upper-cased (NFC first, so a
/// decomposed letter upper-cases like its composed twin).
pub fn unit_code(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_ascii() {
        trimmed.to_ascii_uppercase()
    } else {
        clean(trimmed).to_uppercase()
    }
}

/// ASCII-only rendition for file names: diacritics dropped, `đ` to `d`, anything
/// else that is not a letter or digit becomes `_`.
pub fn ascii_slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.nfd() {
        let c = match c {
            'đ' => 'd',
            'Đ' => 'D',
            c if is_combining_mark(c) => continue,
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_table() {
        let cases = [
            ("Mã đơn vị", "ma don vi"),
            ("Mã đơn vị:", "ma don vi"),
            ("MÃ ĐƠN VỊ", "ma don vi"),
            ("Ma don vi", "ma don vi"),
            ("  Mã   đơn\u{a0}vị : ", "ma don vi"),
            ("ma_don_vi", "ma don vi"),
            ("Ngày báo cáo", "ngay bao cao"),
            ("Số liệu", "so lieu"),
            ("Kỳ trước", "ky truoc"),
            ("Mã đơn vị (*):", "ma don vi"),
            ("Mã đơn vị(*)", "ma don vi"),
            ("Tên đơn vị*:", "ten don vi"),
            ("Mã đơn vị: (*)", "ma don vi"),
            ("", ""),
            (":", ""),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "fold({input:?})");
        }
    }

    #[test]
    fn nfd_and_nfc_fold_alike() {
        let nfc = "Kỳ báo cáo";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(fold(nfc), fold(&nfd));
        assert_eq!(clean(&nfd), nfc);
    }

    #[test]
    fn unit_codes_compare_trimmed_and_upper() {
        assert_eq!(unit_code(" x012  "), "X012");
        assert_eq!(unit_code("s01\u{a0}"), "S01");
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(ascii_slug("Xã Đà Bắc"), "Xa_Da_Bac");
        assert_eq!(
            ascii_slug("Sở Văn hóa, Thể thao và Du lịch"),
            "So_Van_hoa_The_thao_va_Du_lich"
        );
    }
}
