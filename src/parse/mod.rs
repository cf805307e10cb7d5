//! Stage 2, parse: sheets of cells to submissions.
//!
//! A sheet holds the province's form (one unit: labels and an indicator table),
//! a table (one row per unit, one column per indicator code), or neither (a guide
//! sheet, an annex), and is then ignored. Labels and headers are found by their
//! folded text, wherever they stand, never by fixed addresses.

mod codes;
mod columns;
mod form;
mod grid;
mod rows;
mod sheets;
mod table;

use crate::finding::{Finding, FindingKind};
use crate::period::Period;
use crate::read::Workbook;
use crate::schema::{IndicatorKind, Schema};
use crate::value::{self, CountCell, Reported};
use chrono::NaiveDate;
use serde::Serialize;

pub use grid::Grid;

/// Which layout a submission came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    Form,
    Table,
}

/// What one indicator's cell held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotState {
    /// A value was read.
    Value(Reported),
    /// The cell was empty: not reported (not 0).
    Empty,
    /// The cell held something that is not a valid value (an error finding says what).
    Rejected,
    /// `không áp dụng` / `N/A`: no value, and not a missing one.
    NotApplicable,
}

/// An indicator's place in a submission: its code, its cell, and what it held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub code: String,
    pub cell: String,
    pub state: SlotState,
}

impl Slot {
    /// The value read, if one was.
    pub fn value(&self) -> Option<&Reported> {
        match &self.state {
            SlotState::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The count read, if one was.
    pub fn count(&self) -> Option<u64> {
        match self.value() {
            Some(Reported::Count(n)) => Some(*n),
            _ => None,
        }
    }
}

/// One unit's report for one period, as read from one sheet (or one table row).
#[derive(Debug, Clone)]
pub struct Submission {
    pub file: String,
    pub sheet: String,
    pub layout: Layout,
    /// Upper-cased, trimmed unit code.
    pub unit: Option<String>,
    pub unit_cell: Option<String>,
    pub unit_name: Option<String>,
    pub period: Option<Period>,
    pub period_cell: Option<String>,
    pub report_date: Option<NaiveDate>,
    /// Where the report date was read (a label's value, or a place-and-date line).
    pub report_date_cell: Option<String>,
    pub preparer: Option<String>,
    pub phone: Option<String>,
    /// Indicator slots in schema order.
    pub slots: Vec<Slot>,
}

impl Submission {
    /// A submission with nothing read yet (for tests of later stages).
    #[cfg(test)]
    pub fn blank(file: &str, sheet: &str, layout: Layout) -> Submission {
        Submission::new(file, sheet, layout)
    }

    fn new(file: &str, sheet: &str, layout: Layout) -> Submission {
        Submission {
            file: file.to_string(),
            sheet: sheet.to_string(),
            layout,
            unit: None,
            unit_cell: None,
            unit_name: None,
            period: None,
            period_cell: None,
            report_date: None,
            report_date_cell: None,
            preparer: None,
            phone: None,
            slots: Vec::new(),
        }
    }

    /// The value read for an indicator, if any.
    pub fn value(&self, code: &str) -> Option<&Reported> {
        self.slot(code).and_then(Slot::value)
    }

    /// The count read for an indicator, if any.
    pub fn count(&self, code: &str) -> Option<u64> {
        self.slot(code).and_then(Slot::count)
    }

    /// The counts read for these indicators, in their order. Slots are kept in
    /// schema order, so for codes in schema order this is one walk over the
    /// slots, not a search per code (10,000 units x 29 indicators in a report).
    pub fn counts(&self, codes: &[&str]) -> Vec<Option<u64>> {
        let mut next = 0;
        codes
            .iter()
            .map(|code| {
                let (earlier, rest) = self.slots.split_at(next);
                let found = rest
                    .iter()
                    .position(|s| s.code == *code)
                    .map(|i| next + i)
                    .or_else(|| earlier.iter().position(|s| s.code == *code))?;
                next = found + 1;
                self.slots[found].count()
            })
            .collect()
    }

    /// The slot of an indicator, if the submission has a place for it.
    pub fn slot(&self, code: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.code == code)
    }

    /// Usable: names a unit and a period, and at least one value was read.
    pub fn is_usable(&self) -> bool {
        self.unit.is_some()
            && self.period.is_some()
            && self.slots.iter().any(|s| {
                matches!(
                    s.state,
                    SlotState::Value(Reported::Count(_) | Reported::Text(_))
                )
            })
    }

    /// The cell that locates a table row (its unit code), so findings about a row
    /// without a cell of their own still point at the right line.
    pub fn row_anchor(&self) -> Option<&str> {
        match self.layout {
            Layout::Table => self.unit_cell.as_deref(),
            Layout::Form => None,
        }
    }
}

/// How two submissions are told apart in a message: by file, and by sheet and
/// cell when they share a file (naming one file three times says nothing).
pub fn where_each(a: &Submission, b: &Submission) -> (String, String) {
    let place = |s: &Submission| {
        let mut place = format!("{}, trang tính '{}'", s.file, s.sheet);
        if a.sheet == b.sheet
            && let Some(cell) = &s.unit_cell
        {
            place.push_str(&format!(" ô {cell}"));
        }
        place
    };
    if a.file == b.file {
        (place(a), place(b))
    } else {
        (a.file.clone(), b.file.clone())
    }
}

/// What parsing one file produced.
#[derive(Debug, Default)]
pub struct Parsed {
    pub submissions: Vec<Submission>,
    pub findings: Vec<Finding>,
}

/// Parses every sheet of a workbook. A file where no sheet holds a form or a
/// table gets a `NoForm` error.
pub fn parse_workbook(workbook: &Workbook, file: &str, schema: &Schema) -> Parsed {
    let mut parsed = Parsed::default();
    for sheet in &workbook.sheets {
        let grid = Grid::new(&sheet.cells);
        if let Some(header) = table::find_header(&grid, schema) {
            table::parse(&grid, &header, file, &sheet.name, schema, &mut parsed);
        } else if let Some(layout) = form::find(&grid) {
            form::parse(&grid, &layout, file, &sheet.name, schema, &mut parsed);
        }
    }
    if parsed.submissions.is_empty()
        && !parsed
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::NoIndicatorTable)
    {
        let names: Vec<&str> = workbook.sheets.iter().map(|s| s.name.as_str()).collect();
        parsed.findings.push(Finding::error(
            FindingKind::NoForm,
            file,
            format!(
                "không tìm thấy biểu QCDC trong tệp (đã xem {} trang tính: {}); biểu cần có dòng tiêu đề STT / Chỉ tiêu / Mã / Số liệu, hoặc bảng có cột ma_don_vi và các cột mã chỉ tiêu",
                names.len(),
                names.join(", ")
            ),
        ));
    }
    sheets::keep_one_per_unit(&mut parsed, workbook);
    for s in &mut parsed.submissions {
        s.slots
            .sort_by_cached_key(|slot| schema.position(&slot.code));
    }
    parsed
}

/// Reads one indicator cell into a slot, recording a finding when it is invalid.
fn read_slot(
    code: &str,
    cell: Option<&crate::read::CellValue>,
    address: String,
    schema: &Schema,
    sub: &Submission,
    findings: &mut Vec<Finding>,
) -> Slot {
    let kind = schema.indicator(code).map(|i| i.kind);
    let state = match kind {
        Some(IndicatorKind::Text) => value::text(cell).map_or(SlotState::Empty, SlotState::Value),
        _ => match value::count(cell) {
            Ok(CountCell::Value(v)) => SlotState::Value(v),
            Ok(CountCell::Empty) => SlotState::Empty,
            Ok(CountCell::NotApplicable) => SlotState::NotApplicable,
            Ok(CountCell::AsTyped(v, how)) => {
                let seen = cell.map(|c| c.display()).unwrap_or_default();
                findings.push(
                    Finding::warning(
                        FindingKind::ValueAsTyped,
                        &sub.file,
                        format!(
                            "chỉ tiêu {code}: ô ghi '{seen}', đọc là {v} ({how}); đề nghị đơn vị chỉ ghi số vào cột Số liệu"
                        ),
                    )
                    .sheet(&sub.sheet)
                    .cell(Some(&address))
                    .unit(sub.unit.as_deref())
                    .indicator(code)
                    .value(seen),
                );
                SlotState::Value(v)
            }
            Err(e) => {
                let seen = cell.map(|c| c.display()).unwrap_or_default();
                findings.push(
                    Finding::error(
                        FindingKind::BadValue,
                        &sub.file,
                        format!(
                            "chỉ tiêu {code}: giá trị '{seen}' {e}; giá trị này không được tính"
                        ),
                    )
                    .sheet(&sub.sheet)
                    .cell(Some(&address))
                    .unit(sub.unit.as_deref())
                    .indicator(code)
                    .value(seen),
                );
                SlotState::Rejected
            }
        },
    };
    Slot {
        code: code.to_string(),
        cell: address,
        state,
    }
}

/// Records a code seen twice in one submission; the first one stays.
fn push_slot(sub: &mut Submission, slot: Slot, findings: &mut Vec<Finding>) {
    if let Some(first) = sub.slots.iter().find(|s| s.code == slot.code) {
        findings.push(
            Finding::error(
                FindingKind::DuplicateIndicator,
                &sub.file,
                format!(
                    "mã chỉ tiêu {} xuất hiện hai lần (ô {} và ô {}); chỉ dùng giá trị ở ô {}",
                    slot.code, first.cell, slot.cell, first.cell
                ),
            )
            .sheet(&sub.sheet)
            .cell(Some(&slot.cell))
            .unit(sub.unit.as_deref())
            .indicator(&slot.code),
        );
        return;
    }
    sub.slots.push(slot);
}

/// Whether a text looks like an indicator code (short letters and digits), so that
/// a stray note in the code column is not taken for an unknown indicator.
fn looks_like_code(text: &str) -> bool {
    let t = text.trim();
    (2..=8).contains(&t.len())
        && t.bytes().all(|b| b.is_ascii_alphanumeric())
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Cell, CellValue, Sheet};

    /// A sheet from (A1 address, text) pairs; numbers are written as text.
    fn sheet(name: &str, cells: &[(&str, &str)]) -> Sheet {
        let mut out: Vec<Cell> = cells
            .iter()
            .map(|(addr, text)| {
                let col = addr
                    .bytes()
                    .take_while(u8::is_ascii_alphabetic)
                    .fold(0u32, |a, b| a * 26 + (b - b'A' + 1) as u32)
                    - 1;
                let row: u32 = addr
                    .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                    .parse::<u32>()
                    .unwrap()
                    - 1;
                Cell {
                    row,
                    col,
                    value: CellValue::Text(text.to_string()),
                }
            })
            .collect();
        out.sort_by_key(|c| (c.row, c.col));
        Sheet {
            name: name.into(),
            cells: out,
            hidden: false,
            formulas: Vec::new(),
        }
    }

    fn parse(sheets: Vec<Sheet>) -> Parsed {
        let wb = Workbook {
            format: None,
            sheets,
            recalc: Default::default(),
            notes: Vec::new(),
        };
        parse_workbook(&wb, "t.xlsx", &Schema::builtin())
    }

    #[test]
    fn counts_follow_the_codes_asked_in_any_slot_order() {
        let slot = |code: &str, state| Slot {
            code: code.into(),
            cell: "E1".into(),
            state,
        };
        let mut sub = Submission::new("t.xlsx", "S", Layout::Form);
        sub.slots = vec![
            slot("C", SlotState::Value(Reported::Count(3))),
            slot("A", SlotState::Value(Reported::Count(1))),
            slot("B", SlotState::Empty),
            slot("D", SlotState::Value(Reported::Text("x".into()))),
            slot("E", SlotState::Value(Reported::Count(5))),
        ];
        assert_eq!(
            sub.counts(&["A", "B", "C", "D", "E", "F", "A"]),
            [Some(1), None, Some(3), None, Some(5), None, Some(1)]
        );
        let each: Vec<_> = ["E", "C", "A"].iter().map(|c| sub.count(c)).collect();
        assert_eq!(sub.counts(&["E", "C", "A"]), each);
    }

    const GUIDE: &[(&str, &str)] = &[(
        "A1",
        "Hướng dẫn: điền số liệu vào cột Số liệu; không sửa cột Mã.",
    )];

    #[test]
    fn form_is_found_by_text_wherever_it_stands() {
        let form = sheet(
            "Bieu",
            &[
                ("B3", "MA DON VI :"),
                ("D3", " s01 "),
                ("B4", "Kỳ báo cáo"),
                ("C4", "6 THÁNG"),
                ("B5", "năm báo cáo:"),
                ("E5", "2022"),
                ("B6", "Ngày báo cáo: 02/06/2022"),
                ("B20", "stt"),
                ("C20", "CHỈ TIÊU"),
                ("D20", "Kỳ trước"),
                ("E20", "Mã"),
                ("F20", "Kỳ trước"),
                ("G20", "Số liệu"),
                ("E21", "I"),
                ("E22", "VB01"),
                ("F22", "99"),
                ("G22", "1.234"),
                ("E23", "tt01"),
                ("G23", "-"),
                ("E24", "ZZ99"),
                ("G24", "5"),
            ],
        );
        let p = parse(vec![sheet("Hướng dẫn", GUIDE), form]);
        assert_eq!(p.submissions.len(), 1, "{:?}", p.findings);
        let s = &p.submissions[0];
        assert_eq!(s.unit.as_deref(), Some("S01"));
        assert_eq!(s.period, Some("2022-H1".parse().unwrap()));
        assert_eq!(s.report_date, NaiveDate::from_ymd_opt(2022, 6, 2));
        assert_eq!(s.count("VB01"), Some(1234));
        assert_eq!(s.count("TT01"), Some(0));
        assert_eq!(s.slot("VB01").unwrap().cell, "G22");
        let kinds: Vec<_> = p
            .findings
            .iter()
            .map(|f| (f.kind, f.cell.clone()))
            .collect();
        assert_eq!(kinds, [(FindingKind::UnknownIndicator, Some("E24".into()))]);
    }

    #[test]
    fn a_sheet_with_neither_layout_is_ignored_and_the_file_flagged() {
        let p = parse(vec![
            sheet("Hướng dẫn", GUIDE),
            sheet("Du toan", &[("A1", "Nội dung"), ("B1", "Dự toán")]),
        ]);
        assert!(p.submissions.is_empty());
        assert_eq!(p.findings.len(), 1);
        assert_eq!(p.findings[0].kind, FindingKind::NoForm);
        assert!(
            p.findings[0].message.contains("Hướng dẫn, Du toan"),
            "{}",
            p.findings[0].message
        );
    }

    #[test]
    fn a_table_needs_the_unit_heading_and_three_indicator_codes() {
        // Unit DV01 and indicator DV01 look alike: one cell never decides.
        let two_codes = sheet(
            "t",
            &[
                ("A1", "ma_don_vi"),
                ("B1", "DV01"),
                ("C1", "DV02"),
                ("A2", "X001"),
                ("B2", "1"),
                ("C2", "2"),
            ],
        );
        let p = parse(vec![two_codes]);
        assert!(
            !p.submissions.iter().any(Submission::is_usable),
            "two codes do not make a table"
        );
        assert!(
            p.findings
                .iter()
                .any(|f| f.kind == FindingKind::NoIndicatorTable)
        );
        let table = sheet(
            "t",
            &[
                ("A1", "Mã đơn vị"),
                ("B1", "ky_bao_cao"),
                ("C1", "nam"),
                ("D1", "DV01"),
                ("E1", "DV02"),
                ("F1", "DV03"),
                ("A2", "DV01"),
                ("B2", "Năm"),
                ("C2", "2023"),
                ("D2", "5"),
                ("E2", "3"),
                ("F2", "abc"),
                ("A3", "Tổng cộng"),
                ("D3", "5"),
            ],
        );
        let p = parse(vec![table]);
        assert_eq!(p.submissions.len(), 1);
        let s = &p.submissions[0];
        assert_eq!(
            (s.unit.as_deref(), s.period),
            (Some("DV01"), Some("2023-Y".parse().unwrap()))
        );
        assert_eq!(
            (s.count("DV01"), s.count("DV02"), s.count("DV03")),
            (Some(5), Some(3), None)
        );
        assert_eq!(p.findings.len(), 1);
        assert_eq!(
            (
                p.findings[0].kind,
                p.findings[0].cell.as_deref(),
                p.findings[0].value.as_deref()
            ),
            (FindingKind::BadValue, Some("F2"), Some("abc"))
        );
    }

    #[test]
    fn forms_without_unit_or_period_are_errors() {
        let form = sheet(
            "B",
            &[
                ("A1", "Tên đơn vị"),
                ("B1", "Xã A"),
                ("A2", "Kỳ báo cáo"),
                ("B2", "Quý I"),
                ("A5", "Mã"),
                ("B5", "Số liệu"),
                ("A6", "VB01"),
                ("B6", "3"),
            ],
        );
        let p = parse(vec![form]);
        let kinds: Vec<_> = p.findings.iter().map(|f| f.kind).collect();
        assert!(
            kinds.contains(&FindingKind::MissingUnit)
                && kinds.contains(&FindingKind::MissingPeriod),
            "{kinds:?}"
        );
        assert!(!p.submissions[0].is_usable());
    }

    #[test]
    fn a_code_twice_is_an_error_and_the_first_value_stays() {
        let form = sheet(
            "B",
            &[
                ("A1", "Mã đơn vị"),
                ("B1", "S01"),
                ("A2", "Kỳ báo cáo"),
                ("B2", "Năm 2022"),
                ("A5", "Mã"),
                ("B5", "Số liệu"),
                ("A6", "VB01"),
                ("B6", "3"),
                ("A7", "VB01"),
                ("B7", "4"),
            ],
        );
        let p = parse(vec![form]);
        assert_eq!(p.submissions[0].count("VB01"), Some(3));
        assert_eq!(
            (p.findings[0].kind, p.findings[0].cell.as_deref()),
            (FindingKind::DuplicateIndicator, Some("B7"))
        );
    }

    /// A form's labels for unit S01, 2024-H1, then the given table cells.
    fn form_with(name: &str, table: &[(&str, &str)]) -> Sheet {
        let mut cells = vec![
            ("A1", "Mã đơn vị (*):"),
            ("B1", "S01"),
            ("A2", "Kỳ báo cáo"),
            ("B2", "Sáu tháng đầu năm"),
            ("A3", "Năm báo cáo"),
            ("B3", "2024"),
        ];
        cells.extend_from_slice(table);
        sheet(name, &cells)
    }

    fn kinds(p: &Parsed) -> Vec<(FindingKind, Option<&str>)> {
        p.findings
            .iter()
            .map(|f| (f.kind, f.cell.as_deref()))
            .collect()
    }

    #[test]
    fn headings_and_codes_as_typed() {
        let long =
            "Kết quả thực hiện (từ ngày 15/12/2023 đến ngày 14/6/2024), đơn vị tính theo cột C";
        assert!(long.len() > 48);
        let p = parse(vec![form_with(
            "B",
            &[
                ("A5", "Mã số"),
                ("B5", "Chỉ tiêu"),
                ("C5", long),
                ("A6", "VB 01"),
                ("C6", "3"),
                ("A7", "TT.01"),
                ("C7", "4"),
                ("A8", "HS01."),
                ("C8", "5"),
                ("A9", "KNO1"),
                ("C9", "6"),
            ],
        )]);
        let s = &p.submissions[0];
        assert_eq!(s.period, Some("2024-H1".parse().unwrap()));
        assert_eq!(
            ["VB01", "TT01", "HS01", "KN01"].map(|c| s.count(c)),
            [Some(3), Some(4), Some(5), Some(6)]
        );
        assert_eq!(kinds(&p), [(FindingKind::IndicatorMatched, Some("A9"))]);
    }

    #[test]
    fn every_value_heading_is_a_value_column() {
        for heading in [
            "Kết quả",
            "Số lượng",
            "Kết quả thực hiện",
            "Thực hiện",
            "Số liệu (*)",
        ] {
            let p = parse(vec![form_with(
                "B",
                &[("A5", "Mã"), ("B5", heading), ("A6", "VB01"), ("B6", "7")],
            )]);
            assert_eq!(p.submissions[0].count("VB01"), Some(7), "{heading}");
        }
        let p = parse(vec![form_with(
            "B",
            &[
                ("A5", "Mã"),
                ("B5", "Số liệuxx"),
                ("A6", "VB01"),
                ("B6", "7"),
            ],
        )]);
        assert!(kinds(&p).contains(&(FindingKind::NoIndicatorTable, None)));
    }

    #[test]
    fn a_table_without_codes_is_read_by_its_labels() {
        let schema = Schema::builtin();
        let label = |c: &str| schema.indicator(c).unwrap().label.clone();
        let (vb01, tt01) = (
            label("VB01"),
            format!("2. {}", label("TT01").to_uppercase()),
        );
        let p = parse(vec![form_with(
            "B",
            &[
                ("A5", "STT"),
                ("B5", "Chỉ tiêu"),
                ("C5", "Số liệu"),
                ("B6", "I. Tuyên truyền"),
                ("B7", &vb01),
                ("C7", "3"),
                ("B8", &tt01),
                ("C8", "4"),
                ("B9", "Số cuộc họp không có trong danh mục"),
                ("C9", "9"),
            ],
        )]);
        let s = &p.submissions[0];
        assert_eq!((s.count("VB01"), s.count("TT01")), (Some(3), Some(4)));
        assert_eq!(s.slot("TT01").unwrap().cell, "C8");
        assert_eq!(
            kinds(&p),
            [
                (FindingKind::UnknownIndicator, Some("B9")),
                (FindingKind::IndicatorMatched, None)
            ]
        );
        assert!(
            p.findings[1].message.contains("2 chỉ tiêu"),
            "{}",
            p.findings[1].message
        );
    }

    #[test]
    fn this_periods_column_of_two() {
        let p = parse(vec![form_with(
            "B",
            &[
                ("A5", "Mã"),
                ("B5", "Số liệu cùng kỳ năm 2023"),
                ("C5", "Số liệu 6 tháng 2024"),
                ("A6", "VB01"),
                ("B6", "90"),
                ("C6", "3"),
            ],
        )]);
        assert_eq!(p.submissions[0].count("VB01"), Some(3));
        assert!(p.findings.is_empty(), "{:?}", p.findings);
    }

    #[test]
    fn this_periods_column_under_a_merged_heading() {
        let p = parse(vec![form_with(
            "B",
            &[
                ("A5", "Mã"),
                ("B5", "Số liệu"),
                ("D5", "Ghi chú"),
                ("B6", "Kỳ trước"),
                ("C6", "Kỳ này"),
                ("A7", "VB01"),
                ("B7", "90"),
                ("C7", "3"),
            ],
        )]);
        let s = &p.submissions[0];
        assert_eq!(
            (s.count("VB01"), s.slot("VB01").unwrap().cell.as_str()),
            (Some(3), "C7")
        );
    }

    #[test]
    fn undecided_columns_are_an_error_and_neither_is_used() {
        let p = parse(vec![form_with(
            "B",
            &[
                ("A5", "Mã"),
                ("B5", "Số liệu"),
                ("B6", "Lần 1"),
                ("C6", "Lần 2"),
                ("A7", "VB01"),
                ("B7", "90"),
                ("C7", "3"),
            ],
        )]);
        assert!(p.submissions[0].slots.is_empty());
        assert!(!p.submissions[0].is_usable());
        assert_eq!(kinds(&p), [(FindingKind::PeriodColumn, Some("B6"))]);
        let m = &p.findings[0].message;
        assert!(
            m.contains("B6 \"Lần 1\"") && m.contains("C6 \"Lần 2\""),
            "{m}"
        );
    }

    #[test]
    fn values_as_typed_are_read_with_a_warning_and_notes_are_not_values() {
        let p = parse(vec![form_with(
            "B",
            &[
                ("A5", "Mã"),
                ("B5", "Số liệu"),
                ("C5", "Ghi chú"),
                ("A6", "VB01"),
                ("B6", "5 văn bản"),
                ("A7", "TT01"),
                ("C7", "12"),
                ("A8", "TT02"),
                ("B8", "không áp dụng"),
                ("A9", "HN01"),
                ("B9", "không phát sinh"),
                ("A10", "HN02"),
                ("C10", "đã gửi bổ sung"),
            ],
        )]);
        let s = &p.submissions[0];
        assert_eq!(
            (s.count("VB01"), s.count("TT01"), s.count("HN01")),
            (Some(5), None, Some(0))
        );
        assert_eq!(s.slot("TT02").unwrap().state, SlotState::NotApplicable);
        assert_eq!(
            kinds(&p),
            [
                (FindingKind::ValueAsTyped, Some("B6")),
                (FindingKind::NumberInNote, Some("B7"))
            ]
        );
        assert!(p.findings[0].message.contains("'5 văn bản'"));
        assert!(p.findings[1].message.contains("B7") && p.findings[1].message.contains("C7"));
    }

    #[test]
    fn a_period_that_is_not_of_the_programme_is_quoted() {
        let p = parse(vec![sheet(
            "B",
            &[
                ("A1", "Mã đơn vị"),
                ("B1", "S01"),
                ("A2", "Kỳ báo cáo"),
                ("B2", "6 tháng cuối năm"),
                ("A3", "Năm báo cáo"),
                ("B3", "2024"),
                ("A5", "Mã"),
                ("B5", "Số liệu"),
                ("A6", "VB01"),
                ("B6", "3"),
            ],
        )]);
        assert_eq!(p.submissions[0].period, None);
        assert_eq!(kinds(&p), [(FindingKind::MissingPeriod, Some("B2"))]);
        assert!(p.findings[0].message.contains("\"6 tháng cuối năm\""));
    }

    fn one_value(name: &str, value: &str) -> Sheet {
        form_with(
            name,
            &[
                ("A5", "Mã"),
                ("B5", "Số liệu"),
                ("A6", "VB01"),
                ("B6", value),
            ],
        )
    }

    fn sheets_found(p: &Parsed) -> Vec<(&str, Option<u64>)> {
        p.submissions
            .iter()
            .map(|s| (s.sheet.as_str(), s.count("VB01")))
            .collect()
    }

    #[test]
    fn a_hidden_sheet_never_wins_over_a_visible_one() {
        let mut hidden = one_value("Gốc", "90");
        hidden.hidden = true;
        let p = parse(vec![hidden, one_value("Biểu", "3")]);
        assert_eq!(sheets_found(&p), [("Biểu", Some(3))]);
        assert_eq!(kinds(&p), [(FindingKind::SheetNotUsed, None)]);
        assert_eq!(p.findings[0].sheet.as_deref(), Some("Gốc"));
        // Alone, a hidden sheet's form is read.
        let mut alone = one_value("Gốc", "90");
        alone.hidden = true;
        assert_eq!(sheets_found(&parse(vec![alone])), [("Gốc", Some(90))]);
    }

    #[test]
    fn sheets_named_for_another_period_or_a_draft_give_way() {
        for name in ["Kỳ trước", "Cùng kỳ", "Biểu 2023", "Nháp"] {
            let p = parse(vec![one_value(name, "90"), one_value("Biểu 2024", "3")]);
            assert_eq!(sheets_found(&p), [("Biểu 2024", Some(3))], "{name}");
            assert_eq!(kinds(&p), [(FindingKind::SheetNotUsed, None)], "{name}");
            assert!(p.findings[0].message.contains(name));
        }
    }

    #[test]
    fn two_visible_forms_are_an_error_and_the_first_is_read() {
        let p = parse(vec![one_value("Biểu", "3"), one_value("Bản sao", "abc")]);
        assert_eq!(sheets_found(&p), [("Biểu", Some(3))]);
        assert_eq!(kinds(&p), [(FindingKind::TwoForms, None)]);
        let m = &p.findings[0].message;
        assert!(m.contains("'Biểu'") && m.contains("'Bản sao'"), "{m}");
    }

    #[test]
    fn two_submissions_of_one_file_are_told_apart_by_sheet() {
        let mut a = Submission::new("t.xlsx", "A", Layout::Form);
        let b = Submission::new("t.xlsx", "B", Layout::Form);
        assert_eq!(
            where_each(&a, &b),
            (
                "t.xlsx, trang tính 'A'".into(),
                "t.xlsx, trang tính 'B'".into()
            )
        );
        a.sheet = "B".into();
        a.unit_cell = Some("A2".into());
        assert_eq!(where_each(&a, &b).0, "t.xlsx, trang tính 'B' ô A2");
        let c = Submission::new("u.xlsx", "B", Layout::Form);
        assert_eq!(where_each(&a, &c), ("t.xlsx".into(), "u.xlsx".into()));
    }

    #[test]
    fn dates_as_written() {
        let june5 = NaiveDate::from_ymd_opt(2024, 6, 5);
        let table = [("A5", "Mã"), ("B5", "Số liệu"), ("A6", "VB01"), ("B6", "1")];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut cells = table.to_vec();
            cells.extend_from_slice(extra);
            let p = parse(vec![form_with("B", &cells)]);
            let s = &p.submissions[0];
            (s.report_date, s.report_date_cell.clone(), p.findings.len())
        };
        assert_eq!(
            with(&[
                ("A4", "Ngày báo cáo:"),
                ("B4", "Lạc Thủy, ngày 05 tháng 6 năm 2024")
            ]),
            (june5, Some("B4".into()), 0)
        );
        assert_eq!(
            with(&[("A4", "Ngày báo cáo: Thứ Tư, ngày 05/6/2024")]).0,
            june5
        );
        assert_eq!(
            with(&[(
                "A4",
                "Ngày báo cáo (*): Thành phố Hòa Bình, ngày 05 tháng 6 năm 2024"
            )])
            .0,
            june5
        );
        // No label: the place-and-date line above the signature.
        assert_eq!(
            with(&[
                ("A20", "Thành phố Hòa Bình, ngày 05 tháng 06 năm 2024"),
                ("A21", "NGƯỜI LẬP BIỂU"),
            ]),
            (june5, Some("A20".into()), 0)
        );
        assert_eq!(
            with(&[("A20", "......., ngày ... tháng ... năm 20..")]).0,
            None
        );
    }
}
