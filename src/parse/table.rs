//! The table layout: one row per unit, one column per indicator code.
//!
//! What other systems export and what a body gathering several units sends. A row
//! is the header only when it has the unit-code heading *and* at least three
//! indicator codes as headings: unit `DV01` and indicator `DV01` look alike, so
//! one cell never decides the layout.

use super::codes::{CodeMatch, match_code};
use super::{Grid, Layout, Parsed, Submission, looks_like_code, push_slot, read_slot};
use crate::finding::{Finding, FindingKind};
use crate::period::{Period, find_year};
use crate::read::{CellValue, a1};
use crate::schema::Schema;
use crate::text::{clean, fold, unit_code};
use crate::value;

/// Indicator headings a row needs, besides the unit code, to be a table header.
const MIN_INDICATOR_COLUMNS: usize = 3;

/// The columns of a table header.
#[derive(Debug, Default)]
pub struct TableHeader {
    row: u32,
    unit: u32,
    name: Option<u32>,
    kind: Option<u32>,
    year: Option<u32>,
    date: Option<u32>,
    indicators: Vec<(String, u32)>,
    unknown: Vec<(String, u32)>,
    /// Headings read as a code with the letter O as zero (`KNO1`).
    guessed: Vec<(String, u32)>,
}

/// The first row that is a table header, if any.
pub fn find_header(grid: &Grid, schema: &Schema) -> Option<TableHeader> {
    grid.text_rows().find_map(|(row, texts)| {
        // Most rows of most sheets hold at most one code: they are passed over
        // before any of their texts is folded.
        let codes = texts
            .clone()
            .filter(|t| match_code(t.text, schema).is_some())
            .count();
        if codes < MIN_INDICATOR_COLUMNS {
            return None;
        }
        let mut header = TableHeader {
            row,
            unit: u32::MAX,
            ..TableHeader::default()
        };
        for t in texts {
            let (cell, text) = (t.cell, t.text);
            if let Some(found) = match_code(text, schema) {
                header.indicators.push((found.code().to_string(), cell.col));
                if let CodeMatch::LetterO(_) = found {
                    header.guessed.push((text.trim().to_string(), cell.col));
                }
                continue;
            }
            let Some(key) = t.key() else {
                continue;
            };
            match key {
                "ma don vi" if header.unit == u32::MAX => header.unit = cell.col,
                "ten don vi" => header.name = Some(cell.col),
                "ky bao cao" | "ky" => header.kind = Some(cell.col),
                "nam" | "nam bao cao" => header.year = Some(cell.col),
                "ngay bao cao" | "ngay" => header.date = Some(cell.col),
                _ if looks_like_code(text) => {
                    header.unknown.push((text.trim().to_string(), cell.col))
                }
                _ => {}
            }
        }
        (header.unit != u32::MAX).then_some(header)
    })
}

/// Rows whose unit cell is a totals line, not a unit.
fn is_totals_row(text: &str) -> bool {
    matches!(
        fold(text).as_str(),
        "tong" | "tong cong" | "cong" | "tong so"
    )
}

/// Reads every unit row under the header.
pub fn parse(
    grid: &Grid,
    header: &TableHeader,
    file: &str,
    sheet: &str,
    schema: &Schema,
    out: &mut Parsed,
) {
    for (text, col) in &header.unknown {
        out.findings.push(
            Finding::warning(
                FindingKind::UnknownIndicator,
                file,
                format!("cột '{text}' không phải mã chỉ tiêu trong danh mục; cột này bị bỏ qua"),
            )
            .sheet(sheet)
            .cell(Some(&a1(header.row, *col)))
            .value(text.clone()),
        );
    }
    for (text, col) in &header.guessed {
        let code = match_code(text, schema).map_or("", |c| c.code());
        out.findings.push(
            Finding::warning(
                FindingKind::IndicatorMatched,
                file,
                format!("cột '{text}' không phải mã chỉ tiêu trong danh mục, được đọc là {code} (chữ O thay cho số 0); đề nghị sửa tiêu đề cột"),
            )
            .sheet(sheet)
            .cell(Some(&a1(header.row, *col)))
            .indicator(code)
            .value(text.clone()),
        );
    }
    for (row, _) in grid.rows().filter(|(r, _)| *r > header.row) {
        let Some(unit_cell) = grid.get(row, header.unit) else {
            continue;
        };
        let shown = unit_cell.display();
        if is_totals_row(&shown) {
            continue;
        }
        let mut sub = Submission::new(file, sheet, Layout::Table);
        sub.unit = Some(unit_code(&shown)).filter(|c| !c.is_empty());
        sub.unit_cell = Some(a1(row, header.unit));
        sub.unit_name = header
            .name
            .and_then(|c| grid.get(row, c))
            .map(|v| clean(&v.display()));
        sub.report_date = header.date.and_then(|c| value::date(grid.get(row, c)));
        sub.report_date_cell = header.date.map(|c| a1(row, c));
        read_period(grid, header, row, &mut sub, out);
        for (code, col) in &header.indicators {
            let slot = read_slot(
                code,
                grid.get(row, *col),
                a1(row, *col),
                schema,
                &sub,
                &mut out.findings,
            );
            push_slot(&mut sub, slot, &mut out.findings);
        }
        out.submissions.push(sub);
    }
}

fn read_period(
    grid: &Grid,
    header: &TableHeader,
    row: u32,
    sub: &mut Submission,
    out: &mut Parsed,
) {
    let kind = header.kind.and_then(|c| grid.get(row, c));
    let year = header
        .year
        .and_then(|c| grid.get(row, c))
        .and_then(|v| match v {
            CellValue::Number(n) if n.fract() == 0.0 => Some(*n as i32),
            other => find_year(&other.display()),
        });
    let kind_text = kind.map(CellValue::display).unwrap_or_default();
    sub.period_cell = header.kind.map(|c| a1(row, c));
    let problem = match Period::from_parts(&kind_text, year) {
        Ok(period) => {
            sub.period = Some(period);
            return;
        }
        Err(_) if kind_text.trim().is_empty() => "cột ky_bao_cao trống".to_string(),
        Err(problem) => problem.to_string(),
    };
    out.findings.push(
        Finding::error(
            FindingKind::MissingPeriod,
            &sub.file,
            format!(
                "dòng của đơn vị {} không xác định được kỳ báo cáo: {problem} (cột ky_bao_cao: \"{kind_text}\", cột nam: {})",
                sub.unit.as_deref().unwrap_or("?"),
                year.map_or("trống".to_string(), |y| y.to_string())
            ),
        )
        .sheet(&sub.sheet)
        .cell(sub.period_cell.as_deref().or(sub.unit_cell.as_deref()))
        .unit(sub.unit.as_deref())
        .value(kind_text),
    );
}
