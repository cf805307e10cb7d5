//! Fit to sign: what can be checked of the printed report and form without
//! LibreOffice, read back from the package (row heights against the text they
//! hold, print titles, page setup, page numbers) and with calamine (the
//! signature block, "n/N", the rates, paths). `print-check` (LibreOffice) is
//! the judge of the paper; these keep the layout from sliding back.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Workdir, sample, sample_aggregate, table_csv, words};
use std::io::Read;
use std::path::Path;

/// A part of the package, as text.
/// The XML of the report's sheet of this name (sheets are written in order).
fn sheet(path: &Path, name: &str) -> String {
    let n = qcdc::write::report::SHEETS
        .iter()
        .position(|s| *s == name)
        .unwrap_or_else(|| panic!("no sheet {name}"));
    part(path, &format!("xl/worksheets/sheet{}.xml", n + 1))
}

fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"))
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The value of `attr="…"` in an XML fragment.
fn attr<'a>(fragment: &'a str, attr: &str) -> Option<&'a str> {
    let key = format!(" {attr}=\"");
    let start = fragment.find(&key)? + key.len();
    Some(&fragment[start..start + fragment[start..].find('"')?])
}

/// Row number (1-based) → written height, from a sheet's XML.
fn row_heights(xml: &str) -> std::collections::HashMap<u32, f64> {
    xml.split("<row ")
        .skip(1)
        .filter_map(|r| {
            let head = &format!(" {}", &r[..r.find('>')?]);
            Some((
                attr(head, "r")?.parse().ok()?,
                attr(head, "ht")?.parse().ok()?,
            ))
        })
        .collect()
}

fn sample_report(wrk: &Workdir) -> std::path::PathBuf {
    let args = sample_aggregate("r.xlsx");
    wrk.json(&args.iter().map(String::as_str).collect::<Vec<_>>(), 0);
    wrk.path("r.xlsx")
}

fn cells(path: &Path, sheet: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(sheet).unwrap()
}

/// A lower bound on the lines a text needs in a column `chars` wide at 12 pt:
/// Times New Roman's narrowest letters average well above 0.4 em.
fn fewest_lines(text: &str, chars: f64) -> f64 {
    let room = (chars * 7.0 + 5.0) * 0.75;
    text.split('\n')
        .map(|p| {
            (p.chars().count() as f64 * 0.4 * 12.0 / room)
                .ceil()
                .max(1.0)
        })
        .sum()
}

#[test]
fn every_wrapped_row_is_as_tall_as_its_text() {
    let wrk = Workdir::new();
    let long = "Đề nghị UBND tỉnh tổ chức tập huấn chuyên sâu về Luật Thực hiện dân chủ ở cơ sở cho cán bộ, công chức cấp xã, nhất là ở các xã vùng sâu, vùng xa, bố trí kinh phí cho hoạt động của Ban Thanh tra nhân dân và tổ hòa giải. ".repeat(3);
    wrk.create(
        "nop/a.csv",
        table_csv(
            &words("VB01 TT01 TT02 NX01"),
            &[("A1", "6 tháng", "05/06/2024", &["1", "2", "3", &long])],
        ),
    );
    wrk.create(
        "units.csv",
        "ma_don_vi,ten_don_vi,loai_hinh\nA1,Trung tâm Phục vụ hành chính công và Xúc tiến đầu tư tỉnh,SO_NGANH\n",
    );
    wrk.json(
        &words(
            "aggregate nop --period 2024-H1 --units units.csv --as-of 2024-07-01 --json -o r.xlsx",
        ),
        0,
    );
    let path = wrk.path("r.xlsx");
    // Ý kiến đơn vị: the answer is in column E, 67 wide.
    let heights = row_heights(&sheet(&path, "Ý kiến đơn vị"));
    let want = fewest_lines(long.trim(), 67.0) * 12.0;
    assert!(heights[&2] >= want, "{} < {want}", heights[&2]);
    // Every row of every sheet has its height written (LibreOffice grows
    // none), but the blank one that closes a streamed sheet.
    // All but the very hidden read-back sheet, which is never printed.
    for n in 1..qcdc::write::report::SHEETS.len() {
        let xml = part(&path, &format!("xl/worksheets/sheet{n}.xml"));
        let rows = xml.matches("<row ").count();
        let sized = row_heights(&xml).len();
        // A row written twice would make Excel repair the file.
        assert_eq!(sized, row_heights(&xml).keys().count());
        let mut numbers: Vec<&str> = xml
            .split("<row r=\"")
            .skip(1)
            .map(|r| &r[..r.find('"').unwrap()])
            .collect();
        numbers.dedup();
        assert_eq!(numbers.len(), rows, "sheet{n}: a row written twice");
        assert!(
            match n {
                1 => true,
                // Biểu đồ is written whole, not streamed: no closing blank row.
                2 => sized == rows,
                _ => sized + 1 == rows,
            },
            "sheet{n}: {sized} of {rows} rows sized"
        );
    }
}

/// Whether each cell style (`cellXfs`, by index) draws a border.
fn bordered_styles(path: &Path) -> Vec<bool> {
    let styles = part(path, "xl/styles.xml");
    let section = |tag: &str| {
        let start = styles.find(&format!("<{tag} ")).unwrap();
        let body = start + styles[start..].find('>').unwrap() + 1;
        styles[body..styles.find(&format!("</{tag}>")).unwrap()].to_string()
    };
    let lined: Vec<bool> = section("borders")
        .split("</border>")
        .filter(|b| b.contains("<border"))
        .map(|b| b.contains("style=\""))
        .collect();
    section("cellXfs")
        .split("<xf ")
        .skip(1)
        .map(|xf| {
            lined[attr(&format!(" {xf}"), "borderId")
                .unwrap()
                .parse::<usize>()
                .unwrap()]
        })
        .collect()
}

/// The bordered columns (0-based) of a row of a sheet's XML.
fn bordered_columns(xml: &str, row: u32, bordered: &[bool]) -> Vec<u32> {
    let start = xml.find(&format!("<row r=\"{row}\"")).unwrap();
    let end = start + xml[start..].find("</row>").unwrap();
    xml[start..end]
        .split("<c ")
        .skip(1)
        .filter(|c| {
            let head = format!(" {}", &c[..c.find('>').unwrap()]);
            attr(&head, "s").is_some_and(|s| bordered[s.parse::<usize>().unwrap()])
        })
        .map(|c| {
            let head = format!(" {c}");
            let at = attr(&head, "r").unwrap();
            let letters = at.trim_end_matches(|d: char| d.is_ascii_digit());
            letters
                .bytes()
                .fold(0, |n, b| n * 26 + u32::from(b - b'A') + 1)
                - 1
        })
        .collect()
}

#[test]
fn every_unit_row_is_ruled_across_its_table_blanks_included() {
    let wrk = Workdir::new();
    let report = sample_report(&wrk);
    let bordered = bordered_styles(&report);
    let units = 47; // the sample registry's
    let counts = qcdc::schema::Schema::builtin().count_codes().len() as u32;
    // Chi tiết: the unit columns and every indicator, reported or not (the
    // sample has units that sent nothing and figures left blank).
    let detail = sheet(&report, "Chi tiết đơn vị");
    for row in 3..3 + units {
        let cols = bordered_columns(&detail, row, &bordered);
        assert_eq!(
            cols,
            (0..3 + counts).collect::<Vec<_>>(),
            "Chi tiết row {row}"
        );
    }
    // Tình hình nộp: nine columns, the date and days late blank for some.
    let status = sheet(&report, "Tình hình nộp");
    for row in 2..2 + units {
        let cols = bordered_columns(&status, row, &bordered);
        assert_eq!(cols, (0..9).collect::<Vec<_>>(), "Tình hình nộp row {row}");
    }
}

#[test]
fn pages_are_set_up_for_a4_with_titles_and_numbers_from_page_two() {
    let wrk = Workdir::new();
    let path = sample_report(&wrk);
    let book = part(&path, "xl/workbook.xml");
    // Titles repeated: every sheet's heading; Chi tiết its unit columns too.
    let titles: Vec<&str> = book
        .split("_xlnm.Print_Titles")
        .skip(1)
        .map(|t| &t[t.find('>').unwrap() + 1..t.find("</definedName>").unwrap()])
        .collect();
    assert_eq!(titles.len(), 6, "{titles:?}");
    assert!(
        titles
            .iter()
            .any(|t| t.contains("'Chi tiết đơn vị'!$A:$C") && t.contains("$1:$2")),
        "{titles:?}"
    );
    let summary = sheet(&path, "Tổng hợp");
    assert!(summary.contains("paperSize=\"9\""));
    assert!(summary.contains("orientation=\"landscape\""));
    // Printed unscaled, so that the header is at the decree's sizes.
    assert!(!summary.contains("fitToPage"), "Tổng hợp is not shrunk");
    assert!(summary.contains("<headerFooter differentFirst=\"1\""));
    assert!(
        summary.contains("<oddHeader>&amp;C"),
        "number at the top centre"
    );
    assert!(summary.contains("&amp;P</oddHeader>"));
    assert!(!summary.contains("<oddFooter>"));
    // Chi tiết is printed in blocks, a page break between groups, unshrunk.
    let detail = sheet(&path, "Chi tiết đơn vị");
    assert!(detail.contains("<colBreaks"), "blocks of indicators");
    assert!(!detail.contains("fitToPage"));
    // The rules under the issuing body and the motto are drawn.
    assert_eq!(
        part(&path, "xl/drawings/drawing1.xml")
            .matches("<xdr:pic>")
            .count(),
        2
    );
}

#[test]
fn the_summary_ends_with_the_addressees_and_the_signer() {
    let wrk = Workdir::new();
    wrk.create(
        "qcdc.toml",
        "tinh = \"Hòa Bình\"\nso_ky_hieu = \"125/BC-SNV\"\n\
         chuc_vu = \"KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC\"\nnguoi_ky = \"Nguyễn Văn An\"\n\
         noi_nhan = [\"UBND tỉnh (để báo cáo)\", \"Ban Dân vận Tỉnh ủy\", \"Lưu: VT, XDCQ\"]\n",
    );
    let path = sample_report(&wrk);
    let summary = cells(&path, "Tổng hợp");
    let find = |text: &str| {
        summary
            .cells()
            .find(|(_, _, d)| *d == text)
            .map(|(r, c, _)| (r, c))
            .unwrap_or_else(|| panic!("{text} in Tổng hợp"))
    };
    assert_eq!(find("Số: 125/BC-SNV"), (3, 0));
    let last_table_row = find("KH02").0;
    let (receivers, left) = find("Nơi nhận:");
    assert!(receivers > last_table_row);
    assert_eq!(left, 0);
    assert_eq!(find("- UBND tỉnh (để báo cáo);"), (receivers + 1, 0));
    assert_eq!(find("- Ban Dân vận Tỉnh ủy;"), (receivers + 2, 0));
    assert_eq!(find("- Lưu: VT, XDCQ."), (receivers + 3, 0));
    let (title, right) = find("KT. GIÁM ĐỐC");
    assert_eq!(title, receivers);
    assert!(right > 2, "the signer is on the right");
    assert_eq!(find("PHÓ GIÁM ĐỐC"), (title + 1, right));
    let (name, _) = find("Nguyễn Văn An");
    assert!(name >= title + 5, "room to sign and seal");
    // The rows of room to sign are tall enough to hold a signature.
    let heights = row_heights(&sheet(&path, "Tổng hợp"));
    let room: f64 = (title + 2..name).map(|r| heights[&(r as u32 + 1)]).sum();
    assert!(room >= 72.0, "{room} pt to sign");
}

#[test]
fn without_settings_the_signature_places_are_visible_blanks() {
    let wrk = Workdir::new();
    let path = sample_report(&wrk);
    let summary = cells(&path, "Tổng hợp");
    let all: Vec<String> = summary.cells().map(|(_, _, d)| d.to_string()).collect();
    for want in [
        "Số: ........../BC-SNV",
        "Nơi nhận:",
        "- ..........;",
        "- Lưu: VT, ...........",
        "..............................",
    ] {
        assert!(all.iter().any(|t| t == want), "{want} in {all:?}");
    }
}

#[test]
fn official_figures_count_the_units_each_indicator_applies_to() {
    let wrk = Workdir::new();
    let path = sample_report(&wrk);
    let summary = cells(&path, "Tổng hợp");
    let status = cells(&path, "Tình hình nộp");
    let communes_in = status
        .rows()
        .filter(|r| r[3] == "UBND cấp xã" && (r[4] == "Đúng hạn" || r[4] == "Trễ hạn"))
        .count();
    assert!(communes_in > 0 && communes_in < 43);
    let row = |code: &str| {
        summary
            .rows()
            .find(|r| r[1] == code)
            .unwrap_or_else(|| panic!("{code}"))
            .to_vec()
    };
    let last = |r: &[Data]| r.last().unwrap().to_string();
    let hg01 = row("HG01");
    assert!(
        last(&hg01).ends_with(&format!("/{communes_in}")),
        "HG01 {}",
        last(&hg01)
    );
    assert!(last(&row("VB01")).ends_with("/43"));
    // A rate says how it is computed in its label, not in a figure's column.
    let hn03 = row("HN03");
    assert!(hn03[2].to_string().ends_with("(= HN02 / HN01 × 100)"));
    assert_eq!(last(&hn03), "");
    // Errors and warnings are not figures of the report: Thông tin has them.
    assert!(!summary.rows().any(|r| r[0].to_string().contains("lỗi")));
    let info = cells(&path, "Thông tin");
    assert!(
        info.rows()
            .any(|r| r[0] == "Lỗi và cảnh báo trong các báo cáo"
                && r[2].to_string().starts_with("6 lỗi, 21 cảnh báo"))
    );
    // A broken rule reads in words, with the indicators' labels.
    let findings = cells(&path, "Lỗi và cảnh báo");
    let rule = findings.rows().find(|r| r[5] == "HS03").unwrap();
    let message = rule[8].to_string();
    assert!(message.contains("phải không lớn hơn HS02"), "{message}");
    assert!(!message.contains("<="), "{message}");
}

#[test]
fn paths_are_printed_as_found_from_the_input_folder() {
    let wrk = Workdir::new();
    let src = sample().join("nop");
    for name in ["S01_So_Noi_vu.xlsx", "S02_So_Tai_chinh.xlsx"] {
        std::fs::copy(src.join(name), wrk.path(name)).ok();
        let to = wrk.path(&format!("nop/thang6/{name}"));
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::rename(wrk.path(name), to).unwrap();
    }
    wrk.json(
        &words("aggregate nop --period 2022-H1 --as-of 2022-07-01 --json -o r.xlsx"),
        0,
    );
    let root = wrk.path("").display().to_string();
    let mut wb: Xlsx<_> = open_workbook(wrk.path("r.xlsx")).unwrap();
    for sheet in wb.sheet_names() {
        let range = wb.worksheet_range(&sheet).unwrap();
        for (_, _, d) in range.cells() {
            assert!(!d.to_string().contains(&root), "{sheet}: {d}");
        }
    }
    let info = wb.worksheet_range("Thông tin").unwrap();
    assert!(info.rows().any(|r| r[1] == "thang6/S01_So_Noi_vu.xlsx"));
}

#[test]
fn the_form_prints_its_header_whole_and_takes_what_the_reader_takes() {
    let wrk = Workdir::new();
    let out = wrk.run(&["template", "--period", "2022-H1"]);
    assert_eq!(out.status.code(), Some(0));
    let path = wrk.path("bieu-mau-2022-H1.xlsx");
    let xml = sheet(&path, "Tổng hợp");
    // The blank form's "TÊN CƠ QUAN, ĐƠN VỊ" can be typed over: unlocked.
    let a1 = &xml[xml.find("<c r=\"A1\"").unwrap()..];
    let style: usize = attr(&a1[..a1.find('>').unwrap()], "s")
        .unwrap()
        .parse()
        .unwrap();
    let styles = part(&path, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = xfs.split("<xf ").nth(style + 1).unwrap();
    assert!(xf.contains("locked=\"0\""), "{xf}");
    // Unscaled on A4 portrait, numbered from page 2.
    assert!(!xml.contains("fitToPage"));
    assert!(xml.contains("<headerFooter differentFirst=\"1\""));
    // The validation takes 1 234, 1.234, –, … as well as 1234, - and ...
    let rule = &xml[xml.find("<formula1>").unwrap()..xml.find("</formula1>").unwrap()];
    for accepted in [
        "SUBSTITUTE",
        "CHAR(160)",
        "\"–\"",
        "\"…\"",
        "\"...\"",
        "\"-\"",
    ] {
        assert!(rule.contains(accepted), "{accepted} in {rule}");
    }
    // Free-text answers have room for a paragraph; the signatures are there.
    let form = cells(&path, template_sheet());
    let heights = row_heights(&xml);
    let nx01 = form.rows().position(|r| r[3] == "NX01").unwrap() as u32;
    assert!(heights[&(nx01 + 1)] >= 6.0 * 14.0);
    let all: Vec<String> = form.cells().map(|(_, _, d)| d.to_string()).collect();
    for want in ["THỦ TRƯỞNG ĐƠN VỊ", "(Ký tên, đóng dấu)", "NGƯỜI LẬP BIỂU"]
    {
        assert!(all.iter().any(|t| t == want), "{want}");
    }
    assert!(all.iter().any(|t| t.contains("ngày ..... tháng ..... năm")));
}

fn template_sheet() -> &'static str {
    qcdc::template::FORM_SHEET
}
