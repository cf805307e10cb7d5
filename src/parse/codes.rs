//! Indicator codes as units type them, and indicator labels as a last resort.
//!
//! Codes are short ASCII (the schema enforces it) and are compared upper-cased,
//! without the spaces and dots people put in them (`VB 01`, `TT.01`, `HS01.`).
//! A code that is only known once the letter O is read as a zero (`KNO1`) is
//! used, but the caller must say so: it is a guess, if an easy one.

use crate::schema::{MAX_CODE_LEN, Schema};
use crate::text::fold;

/// How a cell's text names an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMatch<'s> {
    /// The code itself, give or take case, spaces and dots.
    Exact(&'s str),
    /// Known only with the letter O read as zero (`KNO1` for `KN01`).
    LetterO(&'s str),
}

impl<'s> CodeMatch<'s> {
    /// The schema's code.
    pub fn code(self) -> &'s str {
        match self {
            CodeMatch::Exact(c) | CodeMatch::LetterO(c) => c,
        }
    }
}

/// The indicator a code cell names, if any. Every short text of a sheet may come
/// here (the table detector asks of every heading), so nothing is allocated.
pub fn match_code<'s>(text: &str, schema: &'s Schema) -> Option<CodeMatch<'s>> {
    let trimmed = text.trim();
    if trimmed.len() > 2 * MAX_CODE_LEN || !trimmed.is_ascii() {
        return None;
    }
    let mut buf = [0u8; MAX_CODE_LEN];
    let mut len = 0;
    for b in trimmed.bytes().filter(|b| !matches!(b, b' ' | b'.')) {
        *buf.get_mut(len)? = b.to_ascii_uppercase();
        len += 1;
    }
    let code = &mut buf[..len];
    let known = |code: &[u8]| {
        let code = std::str::from_utf8(code).ok()?;
        schema.indicator(code).map(|i| i.code.as_str())
    };
    if let Some(c) = known(code) {
        return Some(CodeMatch::Exact(c));
    }
    if !code.contains(&b'O') {
        return None;
    }
    for b in code.iter_mut().filter(|b| **b == b'O') {
        *b = b'0';
    }
    known(code).map(CodeMatch::LetterO)
}

/// The schema's labels, folded, for tables that have no code column.
pub struct Labels<'s> {
    folded: Vec<(String, &'s str)>,
}

impl<'s> Labels<'s> {
    pub fn new(schema: &'s Schema) -> Labels<'s> {
        let folded = schema
            .indicators
            .iter()
            .map(|i| (label_key(&i.label), i.code.as_str()))
            .collect();
        Labels { folded }
    }

    /// The indicator whose label this text is, exactly once folded (a leading
    /// row number such as `1.` or `a)` is not part of the label).
    pub fn find(&self, text: &str) -> Option<&'s str> {
        let key = label_key(text);
        self.folded
            .iter()
            .find(|(label, _)| *label == key)
            .map(|(_, code)| *code)
    }
}

fn label_key(text: &str) -> String {
    let folded = fold(text);
    let without_number = folded
        .split_once(' ')
        .filter(|(head, _)| is_row_number(head))
        .map_or(folded.as_str(), |(_, rest)| rest);
    without_number.trim_end_matches(['.', ';', ' ']).to_string()
}

/// `1.`, `12)`, `a)`, `1.2.`, `-`: the numbering written before a label.
fn is_row_number(head: &str) -> bool {
    let body = head.trim_end_matches(['.', ')']);
    head == "-"
        || (body.len() < head.len()
            && !body.is_empty()
            && (body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                || (body.len() == 1 && body.bytes().all(|b| b.is_ascii_lowercase()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_compare_without_case_spaces_and_dots() {
        let schema = Schema::builtin();
        for typed in ["VB01", "vb01", " VB 01 ", "VB.01", "VB01.", "V B 0 1"] {
            assert_eq!(
                match_code(typed, &schema),
                Some(CodeMatch::Exact("VB01")),
                "{typed:?}"
            );
        }
        assert_eq!(
            match_code("KNO1", &schema),
            Some(CodeMatch::LetterO("KN01"))
        );
        assert_eq!(
            match_code("kn.o1", &schema),
            Some(CodeMatch::LetterO("KN01"))
        );
        for other in ["ZZ99", "", "I", "Mã", "VB01 VB02", "Số liệu"] {
            assert_eq!(match_code(other, &schema), None, "{other:?}");
        }
    }

    #[test]
    fn labels_match_folded_and_exactly() {
        let schema = Schema::builtin();
        let labels = Labels::new(&schema);
        let vb01 = &schema.indicator("VB01").unwrap().label;
        assert_eq!(labels.find(vb01), Some("VB01"));
        assert_eq!(labels.find(&vb01.to_uppercase()), Some("VB01"));
        assert_eq!(labels.find(&format!("1. {vb01}")), Some("VB01"));
        assert_eq!(labels.find(&format!("a) {vb01} (*)")), Some("VB01"));
        assert_eq!(labels.find(&format!("{vb01} khác")), None);
        assert_eq!(labels.find("I. Tuyên truyền"), None);
    }
}
