//! Unit codes that Excel stripped of their leading zeros (`4` for `00004`).
//!
//! A code column opened in Excel and saved again loses its zeros, in the
//! registry or in a unit's form. A submission whose code is not registered, but
//! is once both sides are read as numbers, is matched to that unit with a
//! warning saying so: never silently, and never lost as an "unknown unit".

use super::Entry;
use crate::finding::{Finding, FindingKind};
use crate::registry::Registry;
use std::collections::HashMap;

/// Re-points submissions whose all-digit code matches a registered all-digit
/// code only without leading zeros, warning for each.
pub fn match_stripped(entries: &mut [Entry], registry: &Registry, findings: &mut Vec<Finding>) {
    let numeric: HashMap<&str, &str> = registry
        .units()
        .iter()
        .filter_map(|u| Some((digits(&u.code)?, u.code.as_str())))
        .collect();
    for e in entries.iter_mut() {
        let Some(code) = e.submission.unit.as_deref() else {
            continue;
        };
        if registry.get(code).is_some() {
            continue;
        }
        let Some(registered) = digits(code).and_then(|d| numeric.get(d)) else {
            continue;
        };
        findings.push(
            Finding::warning(
                FindingKind::StrippedCode,
                &e.submission.file,
                format!(
                    "mã đơn vị '{code}' trên biểu chỉ khớp với mã '{registered}' trong danh sách đơn vị khi bỏ các số 0 ở đầu (Excel thường tự bỏ): đã ghép vào đơn vị {registered}; hãy thống nhất mã (định dạng cột mã là Văn bản)"
                ),
            )
            .sheet(&e.submission.sheet)
            .cell(e.submission.unit_cell.as_deref())
            .unit(Some(registered))
            .value(code),
        );
        e.submission.unit = Some(registered.to_string());
    }
}

/// An all-digit code without its leading zeros (`"0"` for zeros only).
fn digits(code: &str) -> Option<&str> {
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = code.trim_start_matches('0');
    Some(if trimmed.is_empty() { "0" } else { trimmed })
}

#[cfg(test)]
mod tests {
    use super::digits;

    #[test]
    fn only_all_digit_codes_compare_as_numbers() {
        assert_eq!(digits("00004"), Some("4"));
        assert_eq!(digits("4"), Some("4"));
        assert_eq!(digits("000"), Some("0"));
        assert_eq!(digits("X004"), None);
    }
}
