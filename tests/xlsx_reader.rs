//! The fast `.xlsx` reader against its reference, calamine, on every `.xlsx`
//! and `.xlsm` fixture: the sample period, the foreign corpus (calamine's,
//! python-calamine's and xlrd's test files), fuzz regressions and hostile
//! cases. Where the fast reader accepts a file, calamine must read the very
//! same workbook from it; where it refuses, the file is calamine's anyway.

use calamine::{Reader, Xlsx};
use qcdc::read::{self, FormulaCell, Limits};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// Every `.xlsx`/`.xlsm` fixture and every `.xlsx` fuzz regression, with the
/// name it is read under.
fn fixtures() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(Path::new("tests/data"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let ext = p.extension().map(|e| e.to_ascii_lowercase());
            let regression = p.parent().is_some_and(|d| d.ends_with("read_xlsx"));
            let name = match ext.as_ref().and_then(|e| e.to_str()) {
                Some("xlsx" | "xlsm") => p.clone(),
                _ if regression => p.with_extension("xlsx"),
                _ => return None,
            };
            Some((name, std::fs::read(&p).unwrap()))
        })
        .collect();
    files.sort();
    // Hostile cases: a form cut in half, a sheet spanning the whole grid.
    let (_, good) = files
        .iter()
        .find(|(p, _)| p.ends_with("S02_So_Tai_chinh.xlsx"))
        .cloned()
        .expect("sample form");
    files.push(("cat-ngang.xlsx".into(), good[..good.len() / 2].to_vec()));
    let mut grid = rust_xlsxwriter::Workbook::new();
    let ws = grid.add_worksheet();
    ws.write_number(0, 0, 1.0).unwrap();
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    files.push(("toan-luoi.xlsx".into(), grid.save_to_buffer().unwrap()));
    files
}

/// calamine's formulas of every sheet, expanded as its cell reader expands them.
fn calamine_formulas(bytes: &[u8]) -> Vec<Vec<FormulaCell>> {
    let mut wb = Xlsx::new(Cursor::new(bytes)).expect("calamine opens what it read");
    let names = wb.sheet_names();
    names
        .iter()
        .map(|name| {
            let mut reader = wb.worksheet_cells_reader(name).expect("sheet");
            let mut formulas = Vec::new();
            while let Some(cell) = reader.next_cell_with_formula().expect("cell") {
                if let Some(formula) = cell.formula.filter(|f| !f.is_empty()) {
                    formulas.push(FormulaCell {
                        row: cell.pos.0,
                        col: cell.pos.1,
                        formula,
                    });
                }
            }
            formulas.sort_by_key(|f| (f.row, f.col));
            formulas
        })
        .collect()
}

#[test]
fn fast_reader_reads_every_fixture_exactly_as_calamine() {
    let limits = Limits::default();
    let (mut accepted, mut refused, mut sample_readable) = (Vec::new(), Vec::new(), 0);
    for (path, bytes) in fixtures() {
        let fast = read::xlsx::read(&bytes, &limits);
        let reference = read::read_bytes_with_calamine(&bytes, &path, &limits);
        let via_fast = read::read_bytes(&bytes, &path, &limits);
        if path.to_string_lossy().contains("2022-H1") && reference.is_ok() {
            sample_readable += 1;
        }
        let Ok(fast) = fast else {
            refused.push(format!("{} ({})", path.display(), fast.unwrap_err().0));
            // Refused: read_bytes gives calamine's answer, error or workbook.
            assert_eq!(
                format!("{via_fast:?}"),
                format!("{reference:?}"),
                "{}",
                path.display()
            );
            continue;
        };
        let reference = reference.unwrap_or_else(|e| {
            panic!(
                "{}: fast reader accepted what calamine refuses: {e}",
                path.display()
            )
        });
        let via_fast = via_fast.unwrap();
        let names = |wb: &read::Workbook| {
            wb.sheets
                .iter()
                .map(|s| (s.name.clone(), s.hidden))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&fast), names(&reference), "{}", path.display());
        assert_eq!(via_fast.notes, reference.notes, "{}", path.display());
        assert!(reference.notes.is_empty(), "{}", path.display());
        for (mine, theirs) in via_fast.sheets.iter().zip(&reference.sheets) {
            assert_eq!(
                mine.cells,
                theirs.cells,
                "{} '{}'",
                path.display(),
                mine.name
            );
        }
        let formulas: Vec<_> = fast.sheets.iter().map(|s| s.formulas.clone()).collect();
        assert_eq!(formulas, calamine_formulas(&bytes), "{}", path.display());
        accepted.push(path.display().to_string());
    }
    eprintln!("accepted {}:\n  {}", accepted.len(), accepted.join("\n  "));
    eprintln!("refused {}:\n  {}", refused.len(), refused.join("\n  "));
    // The sample period's readable forms, as units send them, all take the
    // fast path.
    let sample = accepted.iter().filter(|p| p.contains("2022-H1")).count();
    assert!(
        sample > 30 && sample == sample_readable,
        "{sample} of {sample_readable}"
    );
    assert!(accepted.len() >= 40, "only {} accepted", accepted.len());
}

/// Every part of every fixture read by every reader on the byte scanner's
/// events and on quick-xml's: wherever the scanner reads, it reads the same.
/// The scanner must read every sheet, shared-strings, styles, workbook and
/// relationships part of the sample forms, and nearly all of the corpus's.
#[test]
fn byte_scanner_reads_every_fixture_part_as_quick_xml() {
    let (mut parts, mut read, mut gave_up) = (0, 0, Vec::new());
    for (path, bytes) in fixtures() {
        let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(&bytes[..])) else {
            continue;
        };
        for i in 0..zip.len() {
            let Ok(mut file) = zip.by_index(i) else {
                continue;
            };
            let name = file.name().unwrap_or_default().into_owned();
            let mut part = Vec::new();
            if file.read_to_end(&mut part).is_err() {
                continue;
            }
            for tiers in read::xlsx::tiers(&part) {
                let Some(scanner) = tiers.scanner else {
                    if meant_for(tiers.reader, &name) {
                        gave_up.push(format!("{} {name} ({})", path.display(), tiers.reader));
                    }
                    continue;
                };
                assert_eq!(
                    scanner,
                    tiers.quick_xml,
                    "{} {name}: {}",
                    path.display(),
                    tiers.reader
                );
                if meant_for(tiers.reader, &name) {
                    read += 1;
                }
            }
            parts += 1;
        }
    }
    eprintln!(
        "scanner gave up on {}:\n  {}",
        gave_up.len(),
        gave_up.join("\n  ")
    );
    let sample: Vec<_> = gave_up.iter().filter(|p| p.contains("2022-H1")).collect();
    assert!(sample.is_empty(), "{sample:?}");
    assert!(
        read > 400 && gave_up.len() * 50 < read,
        "{parts} parts, {read} read"
    );
}

/// Whether a reader is the one a part of this name is read with.
fn meant_for(reader: &str, part: &str) -> bool {
    let part = part.to_ascii_lowercase();
    match reader {
        "sheet" => part.contains("worksheets/") && part.ends_with(".xml"),
        "shared strings" => part.ends_with("sharedstrings.xml"),
        "styles" => part.ends_with("styles.xml"),
        "workbook" => part.ends_with("workbook.xml"),
        "package relationships" => part == "_rels/.rels",
        _ => part.ends_with("workbook.xml.rels"),
    }
}

/// Sheet XML in the shapes the four producers write and the byte scanner
/// reads (prefixed names, odd white space inside tags, single quotes, a `>`
/// inside a quoted value, references, rich text, formulas), and in the shapes
/// it must leave to quick-xml.
mod generated {
    use proptest::prelude::*;
    use qcdc::read;

    /// Text of a value, a string or a formula: plain, references the scanner
    /// reads, and ones every reader refuses alike.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("abc"),
            Just("Mã đơn vị"),
            Just(" "),
            Just("\r\n"),
            Just("\r"),
            Just("\t"),
            Just("12"),
            Just("-1.5E3"),
            Just("&amp;"),
            Just("&lt;&gt;&quot;&apos;"),
            Just("&#233;"),
            Just("&#x1F600;"),
            Just("&#0;"),
            Just("&nbsp;"),
            Just("_x000D_"),
            Just("]]>"),
            Just("A1+B$2"),
        ];
        prop::collection::vec(piece, 0..4).prop_map(|p| p.concat())
    }

    /// A cell reference: mostly good, sometimes one calamine reads its own way.
    fn reference() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => (0u8..6, 1u32..40).prop_map(|(c, r)| format!("{}{r}", (b'A' + c) as char)),
            1 => Just("b7".to_string()),
            1 => Just("A0".to_string()),
            1 => Just("XFE1".to_string()),
            1 => Just("7".to_string()),
        ]
    }

    /// A cell, the producers' shapes and a few more.
    fn cell(prefix: &'static str, clean: bool) -> impl Strategy<Value = String> {
        let kinds: &[&str] = if clean {
            &["", " t=\"n\"", " t=\"s\"", " t=\"inlineStr\""]
        } else {
            &[
                "",
                " t=\"n\"",
                " t=\"s\"",
                " t=\"b\"",
                " t=\"e\"",
                " t=\"str\"",
                " t=\"inlineStr\"",
                " t=\"d\"",
                " t='x'",
            ]
        };
        let value = if clean {
            prop_oneof![
                Just("0".to_string()),
                Just("2".to_string()),
                Just(String::new())
            ]
            .boxed()
        } else {
            prop_oneof![
                text(),
                Just("TRUE".to_string()),
                Just("#N/A".to_string()),
                Just("45444".to_string())
            ]
            .boxed()
        };
        let string = if clean {
            Just("Mã".to_string()).boxed()
        } else {
            text().boxed()
        };
        (
            if clean { Just("A1".to_string()).boxed() } else { reference().boxed() },
            prop_oneof![Just(""), Just(" s=\"1\""), Just(" s=\"19\""), Just(" s=\"\""), Just(" s=\"3\"\t")],
            prop::sample::select(kinds),
            0usize..9,
            value,
            string.clone(),
            string,
        )
            .prop_map(move |(r, s, t, shape, v, a, b)| {
                let c = format!("{prefix}c");
                // A `>` in a quoted value does not end the tag.
                let quoted = if shape % 2 == 0 { " cm='1>0'" } else { "" };
                let open = format!("<{c}{quoted} r=\"{r}\"{s}{t}");
                match shape {
                    0 => format!("{open}/>"),
                    1 => format!("{open} />"),
                    2 => format!("{open}></{c}>"),
                    3 => format!("{open}><{prefix}v>{v}</{prefix}v></{c}>"),
                    4 => format!("{open}>\n  <{prefix}v>{v}</{prefix}v>\n</{c} >"),
                    5 => format!("{open}><{prefix}is><{prefix}t>{a}</{prefix}t></{prefix}is></{c}>"),
                    6 => format!(
                        "{open}><{prefix}is><{prefix}t xml:space=\"preserve\">{a}</{prefix}t></{prefix}is></{c}>"
                    ),
                    7 => format!(
                        "{open}><{prefix}is><{prefix}r><{prefix}rPr><{prefix}b/></{prefix}rPr><{prefix}t>{a}</{prefix}t></{prefix}r><{prefix}r><{prefix}t>{b}</{prefix}t></{prefix}r><{prefix}rPh><{prefix}t>x</{prefix}t></{prefix}rPh></{prefix}is></{c}>"
                    ),
                    _ => format!(
                        "{open}><{prefix}f>SUM(A1:A2)&amp;\"{a}\"</{prefix}f><{prefix}v>{v}</{prefix}v></{c}>"
                    ),
                }
            })
    }

    /// A row of cells, written as one of the producers writes it.
    fn row(prefix: &'static str, clean: bool) -> impl Strategy<Value = String> {
        (
            prop::collection::vec(cell(prefix, clean), 0..6),
            1u32..40,
            prop::sample::select(
                &[
                    "",
                    " spans=\"1:6\" x14ac:dyDescent=\"0.25\" ht=\"18\" customHeight=\"1\"",
                    " customFormat=\"false\" ht=\"18\" hidden=\"false\" customHeight=\"true\"",
                    " note='a>b'",
                    "\n\tht=\"9\"",
                ][..],
            ),
            prop::sample::select(&["", "\n", "  "][..]),
        )
            .prop_map(move |(cells, r, attrs, space)| {
                let row = format!("{prefix}row");
                if cells.is_empty() {
                    format!("<{row} r=\"{r}\"{attrs}/>{space}")
                } else {
                    format!(
                        "<{row} r=\"{r}\"{attrs}>{}</{row}>{space}",
                        cells.join(space)
                    )
                }
            })
    }

    /// A whole sheet part, before and after its cells as the producers write it.
    fn sheet(clean: bool) -> impl Strategy<Value = Vec<String>> {
        (
            prop::sample::select(&["", "x:"][..]),
            prop::sample::select(&[
                "",
                "\u{feff}",
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n",
            ][..]),
            any::<bool>(),
        )
            .prop_flat_map(move |(prefix, declaration, dimension)| {
                (
                    Just(prefix),
                    Just(declaration),
                    Just(dimension),
                    prop::collection::vec(row(prefix, clean), 0..6),
                )
            })
            .prop_map(|(prefix, declaration, dimension, rows)| {
                let p = prefix;
                let ns = if p.is_empty() { "xmlns" } else { "xmlns:x" };
                let mut parts = vec![format!(
                    "{declaration}<{p}worksheet {ns}=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><{p}sheetPr><{p}outlinePr summaryBelow=\"1\" /></{p}sheetPr>"
                )];
                if dimension {
                    parts.push(format!("<{p}dimension ref=\"A1:G56\" />"));
                }
                parts.push(format!("<{p}cols><{p}col min=\"1\" max=\"1\" width=\"5.7\"/></{p}cols>"));
                if rows.is_empty() {
                    parts.push(format!("<{p}sheetData/>"));
                } else {
                    parts.push(format!("<{p}sheetData>"));
                    parts.extend(rows);
                    parts.push(format!("</{p}sheetData>"));
                }
                parts.push(format!(
                    "<{p}pageMargins left=\"0.7\"/><!-- after the cells --><{p}headerFooter><{p}oddHeader>&amp;C&amp;P</{p}oddHeader></{p}headerFooter></{p}worksheet>"
                ));
                parts
            })
    }

    /// Whether the byte scanner read the part as a sheet, having checked that
    /// every reader it read it for agrees with quick-xml.
    fn scanned_as_sheet(part: &[u8]) -> bool {
        let mut sheet = false;
        for tiers in read::xlsx::tiers(part) {
            if let Some(scanner) = &tiers.scanner {
                assert_eq!(
                    scanner,
                    &tiers.quick_xml,
                    "{}: {}",
                    tiers.reader,
                    String::from_utf8_lossy(part)
                );
                sheet |= tiers.reader == "sheet";
            }
        }
        sheet
    }

    /// What the scanner must leave to quick-xml.
    const REFUSED: [&str; 7] = [
        "<!-- a comment -->",
        "<![CDATA[1]]>",
        "<?pi data?>",
        "<!DOCTYPE x>",
        "&amp",
        "a & b",
        "</x></x></x>",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// The shapes the scanner handles: it reads them, as quick-xml does.
        #[test]
        fn scanner_reads_what_the_producers_write_as_quick_xml(parts in sheet(false)) {
            prop_assert!(scanned_as_sheet(parts.concat().as_bytes()), "{}", parts.concat());
        }

        /// What it does not handle, met before the cells end: it gives up.
        #[test]
        fn scanner_gives_up_on_what_it_does_not_follow(
            parts in sheet(true).prop_filter("cells", |p| p.len() > 5),
            refused in prop::sample::select(&REFUSED[..]),
            at in any::<prop::sample::Index>(),
        ) {
            // Between two rows, or just after the cells begin.
            let at = 4 + at.index(parts.len() - 5);
            let mut parts = parts;
            parts.insert(at, refused.to_string());
            prop_assert!(!scanned_as_sheet(parts.concat().as_bytes()), "{}", parts.concat());
        }

        /// A declaration other than the few plain ones, or bytes that are not
        /// UTF-8 before the cells end: it gives up too.
        #[test]
        fn scanner_gives_up_on_other_declarations_and_bytes(
            parts in sheet(true),
            head in prop::sample::select(&[
                "<?xml version='1.0' encoding='UTF-8'?>",
                "<?xml version=\"1.0\" encoding=\"windows-1258\"?>",
                "<?xml  version=\"1.0\"?>",
                " <?xml version=\"1.0\"?>",
            ][..]),
        ) {
            let body = parts.concat();
            let body = body.trim_start_matches('\u{feff}');
            let body = match body.find("?>") {
                Some(end) if body.starts_with("<?xml") => &body[end + 2..],
                _ => body,
            };
            let declared = format!("{head}{body}");
            prop_assert!(!scanned_as_sheet(declared.as_bytes()), "{}", declared);
            let mut bytes = body.as_bytes().to_vec();
            let at = bytes.windows(10).position(|w| w.ends_with(b"sheetData")).unwrap_or(0);
            bytes.insert(at, 0xFF);
            prop_assert!(!scanned_as_sheet(&bytes), "{}", String::from_utf8_lossy(&bytes));
        }

        /// Any bytes near those shapes: wherever the scanner reads, it reads
        /// what quick-xml reads.
        #[test]
        fn scanner_agrees_with_quick_xml_on_damaged_sheets(
            parts in sheet(false),
            cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..4),
        ) {
            let mut bytes = parts.concat().into_bytes();
            for (at, byte, how) in cuts {
                let at = at.index(bytes.len().max(1));
                match how {
                    0 if at < bytes.len() => bytes[at] = byte,
                    1 => bytes.insert(at.min(bytes.len()), byte),
                    _ if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => {}
                }
            }
            scanned_as_sheet(&bytes);
        }
    }
}
