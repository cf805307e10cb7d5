//! Lỗi và cảnh báo: every finding, located by file, sheet and cell, sorted by
//! unit then file (the order the collect stage leaves them in).
//!
//! On paper, the warnings that come by the hundred in a large province (a unit
//! that left several answers empty: "chỉ tiêu NX01 chưa có nội dung", then NX02,
//! NX03) are folded into one row per unit and message, naming every indicator
//! and cell; the JSON summary and the long CSV keep every finding apart.

use super::Context;
use super::style::Listing;
use crate::finding::{Finding, FindingKind, Severity};
use rust_xlsxwriter::{Worksheet, XlsxError};

const LISTING: Listing = Listing {
    header_row: 0,
    columns: &[
        ("STT", 5.0),
        ("Tệp", 24.0),
        ("Trang tính", 10.0),
        ("Ô", 6.5),
        ("Đơn vị", 8.0),
        ("Chỉ tiêu", 8.5),
        ("Giá trị", 10.0),
        ("Mức độ", 9.0),
        ("Nội dung", 47.0),
    ],
};

/// One printed row: a finding, or several alike folded together.
#[derive(Debug, PartialEq)]
struct Row<'a> {
    first: &'a Finding,
    indicators: Vec<&'a str>,
    cells: Vec<&'a str>,
}

impl<'a> Row<'a> {
    fn new(f: &'a Finding) -> Row<'a> {
        Row {
            first: f,
            indicators: f.indicator.as_deref().into_iter().collect(),
            cells: f.cell.as_deref().into_iter().collect(),
        }
    }

    /// Takes `f` into this row when it is the same missing-value warning about
    /// the same unit's same sheet, for another indicator.
    fn absorb(&mut self, f: &'a Finding) -> bool {
        let a = self.first;
        let same = a.kind == FindingKind::MissingValue
            && f.kind == a.kind
            && f.severity == a.severity
            && (&f.file, &f.sheet, &f.unit) == (&a.file, &a.sheet, &a.unit)
            && matches!((&a.indicator, &f.indicator), (Some(x), Some(y))
                if a.message.replacen(x.as_str(), "", 1) == f.message.replacen(y.as_str(), "", 1));
        if same {
            self.indicators.extend(f.indicator.as_deref());
            self.cells.extend(f.cell.as_deref());
        }
        same
    }

    fn message(&self) -> String {
        match (self.indicators.as_slice(), &self.first.indicator) {
            ([_, _, ..], Some(code)) => {
                self.first
                    .message
                    .replacen(code.as_str(), &self.indicators.join(", "), 1)
            }
            _ => self.first.message.clone(),
        }
    }
}

/// The findings in order, alike ones next to each other folded.
fn fold(findings: &[Finding]) -> Vec<Row<'_>> {
    let mut rows: Vec<Row> = Vec::new();
    for f in findings {
        if !rows.last_mut().is_some_and(|r| r.absorb(f)) {
            rows.push(Row::new(f));
        }
    }
    rows
}

pub fn write(ws: &mut Worksheet, ctx: &Context) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    LISTING.begin(ws, s, true)?;
    let mut row = 0;
    for r in fold(&ctx.c.findings) {
        row += 1;
        let f = r.first;
        let (level, format) = match f.severity {
            Severity::Error => ("Lỗi", &s.error),
            Severity::Warning => ("Cảnh báo", &s.warning),
        };
        let (indicators, cells) = (r.indicators.join(", "), r.cells.join(", "));
        let message = r.message();
        let texts = [
            "",
            f.file.as_str(),
            f.sheet.as_deref().unwrap_or(""),
            &cells,
            f.unit.as_deref().unwrap_or(""),
            &indicators,
            f.value.as_deref().unwrap_or(""),
            level,
            &message,
        ];
        LISTING.fit_row(ws, row, &texts)?;
        ws.write_number_with_format(row, 0, row as f64, &s.cell_center)?;
        for (c, text) in texts.iter().enumerate().skip(1) {
            let format = if c == 7 { format } else { &s.cell_wrap };
            ws.write_string_with_format(row, c as u16, *text, format)?;
        }
    }
    LISTING.end(ws, s, row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty(unit: &str, code: &str, cell: &str) -> Finding {
        Finding::warning(
            FindingKind::MissingValue,
            "nop/a.xlsx",
            format!("chỉ tiêu {code} chưa có nội dung"),
        )
        .unit(Some(unit))
        .indicator(code)
        .cell(Some(cell))
    }

    #[test]
    fn empty_answers_fold_into_one_row_per_unit() {
        let findings = vec![
            empty("X01", "NX01", "E48"),
            empty("X01", "NX02", "E49"),
            empty("X01", "NX03", "E50"),
            empty("X02", "NX01", "E48"),
            Finding::error(FindingKind::BadValue, "nop/a.xlsx", "chỉ tiêu TT01: sai"),
        ];
        let rows = fold(&findings);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].message(),
            "chỉ tiêu NX01, NX02, NX03 chưa có nội dung"
        );
        assert_eq!(rows[0].cells, ["E48", "E49", "E50"]);
        assert_eq!(rows[1].message(), "chỉ tiêu NX01 chưa có nội dung");
        assert_eq!(rows[2].message(), "chỉ tiêu TT01: sai");
    }
}
