//! Whether a word is a well-formed Vietnamese syllable.
//!
//! The evidence for a legacy encoding: a word that is not Vietnamese as it
//! stands (`Kh«ng`, `Coù`) but is once decoded (`Không`, `Có`). The check is the
//! syllable's shape (initial consonant, vowel cluster, final consonant, one tone
//! that agrees with the final), not a dictionary: names and rare words pass, and
//! what foreign text becomes when misdecoded (`cafộ`, `fỹr`) does not.

use unicode_normalization::UnicodeNormalization;

/// Initial consonants, longest first so that `ngh` wins over `ng` and `n`.
const INITIALS: &[&str] = &[
    "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];

/// Final consonants; the stops among them take only sắc or nặng. `k` ends
/// Central Highlands names (`Đắk Lắk`).
const FINALS: &[&str] = &["ch", "ng", "nh", "c", "k", "m", "n", "p", "t"];
const STOPS: &[&str] = &["ch", "c", "k", "p", "t"];

/// Vowel clusters (tone removed) that may close a syllable, and those that must
/// be followed by a final consonant.
const OPEN_OR_CLOSED: &[&str] = &[
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "oo", "uâ", "uê", "uô", "uơ",
    "uy", "ươ", "iê", "yê", "uyê", "oă",
];
const OPEN_ONLY: &[&str] = &[
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa",
    "ưi", "ưu", "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyu", "yêu",
    "uơi",
];
const CLOSED_ONLY: &[&str] = &["ă", "â", "iê", "yê", "uô", "ươ", "uyê", "oă"];

/// Tones as combining marks (NFD).
const TONES: &[char] = &['\u{301}', '\u{300}', '\u{309}', '\u{303}', '\u{323}'];
const ACUTE: char = '\u{301}';
const DOT_BELOW: char = '\u{323}';

fn is_vowel(c: char) -> bool {
    "aăâeêioôơuưy".contains(c)
}

/// Whether `word` (letters only, any case) is one Vietnamese syllable.
pub fn is_syllable(word: &str) -> bool {
    // Decompose, take the tone out (noting which letter bore it), and put the
    // vowels' own marks (ă â ê ô ơ ư) back.
    let mut tone = None;
    let mut bases = 0usize;
    let mut letters = String::with_capacity(word.len());
    for c in word.to_lowercase().nfd() {
        if TONES.contains(&c) {
            if tone.replace((c, bases.saturating_sub(1))).is_some() {
                return false;
            }
        } else {
            bases += usize::from(!is_combining(c));
            letters.push(c);
        }
    }
    let letters: Vec<char> = letters.nfc().collect();
    if letters.len() != bases
        || !letters
            .iter()
            .all(|&c| c.is_ascii_lowercase() && !"fjwz".contains(c) || "ăâđêôơư".contains(c))
    {
        return false;
    }
    let text: String = letters.iter().collect();
    let mut start = 0;
    if let Some(initial) = INITIALS.iter().find(|i| text.starts_with(*i)) {
        let len = initial.chars().count();
        // `gì`, `quá`: the i of gi and the u of qu double as the vowel.
        start = if letters.get(len).is_some_and(|&c| is_vowel(c)) {
            len
        } else {
            len - 1
        };
    }
    let end = letters[start..]
        .iter()
        .position(|&c| !is_vowel(c))
        .map_or(letters.len(), |p| start + p);
    let vowels: String = letters[start..end].iter().collect();
    let last: String = letters[end..].iter().collect();
    let shape = if last.is_empty() {
        OPEN_OR_CLOSED.contains(&vowels.as_str()) && !CLOSED_ONLY.contains(&vowels.as_str())
            || OPEN_ONLY.contains(&vowels.as_str())
    } else {
        FINALS.contains(&last.as_str())
            && (OPEN_OR_CLOSED.contains(&vowels.as_str()) || CLOSED_ONLY.contains(&vowels.as_str()))
            && (!STOPS.contains(&last.as_str()) || matches!(tone, Some((ACUTE | DOT_BELOW, _))))
    };
    shape && tone.is_none_or(|(_, at)| at >= start && at < end && tone_may_sit(&vowels, at - start))
}

/// Whether the tone may sit on the vowel at `pos` of the cluster: on the main
/// vowel, in the old (`hóa`) or the new (`hoá`) placement.
fn tone_may_sit(vowels: &str, pos: usize) -> bool {
    match vowels.chars().count() {
        1 => pos == 0,
        2 if OPEN_ONLY.contains(&vowels) => pos == 0,
        2 if ["oa", "oe", "uy", "oo"].contains(&vowels) => pos <= 1,
        2 => pos == 1,
        3 if vowels == "uyê" => pos == 2,
        3 => pos == 1,
        _ => false,
    }
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::is_syllable;

    #[test]
    fn vietnamese_syllables_are_recognised() {
        for w in [
            "Mã", "đơn", "vị", "Xã", "Lạc", "Sơn", "người", "khuyên", "giếng", "gì", "quá", "Đắk",
            "nghiêng", "Không", "thuở", "TỔNG", "hợp", "oẳn", "yêu", "của", "chức", "thoại",
        ] {
            assert!(is_syllable(w), "{w}");
        }
    }

    #[test]
    fn misdecoded_and_foreign_words_are_not() {
        for w in [
            "cafộ", "fỹr", "Maõ", "Coù", "Haø", "Vieät", "Baùo", "Caùc", "ac", "àg", "aủo", "xyz",
            "tiê", "bàt", "ngw", "hoá̀", "mià", "ngươì",
        ] {
            assert!(!is_syllable(w), "{w}");
        }
    }
}
