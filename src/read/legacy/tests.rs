use super::*;
use crate::read::{Cell, Sheet};
use proptest::prelude::*;

fn workbook(texts: &[&str]) -> Workbook {
    Workbook {
        sheets: vec![Sheet {
            name: "Biểu".into(),
            cells: texts
                .iter()
                .enumerate()
                .map(|(i, t)| Cell {
                    row: i as u32,
                    col: 1,
                    value: CellValue::Text(t.to_string()),
                })
                .collect(),
            ..Sheet::default()
        }],
        ..Workbook::default()
    }
}

fn texts(wb: &Workbook) -> Vec<String> {
    wb.sheets[0]
        .cells
        .iter()
        .map(|c| c.value.display())
        .collect()
}

/// Every word of the schema's labels that has a Vietnamese letter: real text.
fn vocabulary() -> Vec<String> {
    let schema = include_str!("../../../schema/default.toml");
    let mut words: Vec<String> = schema
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_ascii())
        .map(|w| w.to_lowercase())
        .collect();
    words.extend(
        "người khuyến nghiêng quyết thuở giữa chuyện yêu oải ngoài Đắk huỷ hoà"
            .split(' ')
            .map(String::from),
    );
    words.sort();
    words.dedup();
    words
}

#[test]
fn spec_examples_decode() {
    assert_eq!(decode("M· ®¬n vÞ", Encoding::Tcvn3), "Mã đơn vị");
    assert_eq!(decode("Maõ ñôn vò", Encoding::Vni), "Mã đơn vị");
    assert_eq!(decode("X· L¹c S¬n", Encoding::Tcvn3), "Xã Lạc Sơn");
    assert_eq!(
        decode("§· tæ chøc ®èi tho¹i", Encoding::Tcvn3),
        "Đã tổ chức đối thoại"
    );
    assert_eq!(decode("ngöôøi", Encoding::Vni), "người");
}

/// Each letter shape and tone, both ways: lower case alone, upper case inside a
/// capital word (TCVN3 has no toned capital bytes).
#[test]
fn every_letter_and_tone_round_trips() {
    for row in include_str!("table.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
    {
        let letter = row.split('\t').next().unwrap();
        for encoding in Encoding::ALL {
            let word = if letter.chars().all(char::is_uppercase) {
                format!("T{letter}NG")
            } else {
                format!("t{letter}ng")
            };
            let typed = encode(&word, encoding);
            assert!(!beyond_latin1(&typed), "{typed} is Latin-1");
            assert_eq!(decode(&typed, encoding), word, "{letter} in {encoding:?}");
        }
    }
}

#[test]
fn tcvn3_capitals_follow_the_word() {
    let t = |s| decode(s, Encoding::Tcvn3);
    assert_eq!(t("B¸O C¸O"), "BÁO CÁO");
    assert_eq!(t("X· L¹C S¥N"), "XÃ LẠC SƠN");
    assert_eq!(t("X· L¹c S¬n"), "Xã Lạc Sơn");
    assert_eq!(t("§·"), "Đã");
    assert_eq!(t("HéI §åNG nh©n d©n"), "HỘI ĐỒNG nhân dân");
}

#[test]
fn whole_legacy_file_is_converted_with_one_note() {
    let mut wb = workbook(&["M· ®¬n vÞ:", "X· L¹c S¬n", "Cã", "Sè liÖu", "12"]);
    convert(&mut wb);
    assert_eq!(
        texts(&wb),
        ["Mã đơn vị:", "Xã Lạc Sơn", "Có", "Số liệu", "12"]
    );
    assert_eq!(wb.notes.len(), 1);
    let note = &wb.notes[0];
    assert!(note.message.starts_with(
        "văn bản gõ bằng bảng mã TCVN3 (ABC), đã chuyển sang Unicode: 4 ô, ví dụ «M· ®¬n vÞ:» thành «Mã đơn vị:»"
    ), "{}", note.message);
    assert_eq!(note.cell, Some((0, 1)));
}

#[test]
fn the_latin_blocks_taken_as_letters_are_letters() {
    // beyond_latin1 takes these blocks as letters without Unicode's tables; it
    // must say what `is_alphabetic` says.
    for c in ('\u{100}'..='\u{24f}').chain('\u{1e00}'..='\u{1eff}') {
        assert!(c.is_alphabetic(), "U+{:04X}", c as u32);
    }
}

#[test]
fn remembered_readings_are_the_readings() {
    // Short texts are read once per thread and remembered: what is remembered
    // must be what reading gives, whichever file asked first.
    let typed = [
        "Cã",
        "Ngày báo cáo:",
        "M· ®¬n vÞ:",
        "Maõ ñôn vò:",
        "Xã Số 1",
    ];
    for _ in 0..2 {
        for text in typed {
            assert_eq!(readings_of(text), Encoding::ALL.map(|e| read(text, e)));
        }
    }
    // "Cã" reads both ways: converted in a wholly legacy file, left alone in a
    // Unicode one, in either order.
    for _ in 0..2 {
        let mut legacy = workbook(&["M· ®¬n vÞ:", "X· L¹c S¬n", "Cã"]);
        convert(&mut legacy);
        assert_eq!(texts(&legacy)[2], "Có");
        let mut unicode = workbook(&["Mã đơn vị:", "Cã"]);
        convert(&mut unicode);
        assert_eq!(texts(&unicode)[1], "Cã");
    }
}

#[test]
fn partial_file_converts_the_evidence_and_lists_it() {
    let mut wb = workbook(&[
        "Mã đơn vị:",
        "X· L¹c S¬n",
        "Có",
        "Cã",
        "§· tæ chøc ®èi tho¹i ®Þnh kú",
    ]);
    convert(&mut wb);
    // "Cã" reads both ways: in a Unicode file it is left as typed.
    assert_eq!(
        texts(&wb),
        [
            "Mã đơn vị:",
            "Xã Lạc Sơn",
            "Có",
            "Cã",
            "Đã tổ chức đối thoại định kỳ"
        ]
    );
    assert_eq!(wb.notes.len(), 1);
    assert!(
        wb.notes[0].message.contains("2 ô")
            && wb.notes[0].message.contains("các ô: 'Biểu'!B2, 'Biểu'!B5"),
        "{}",
        wb.notes[0].message
    );
}

#[test]
fn vni_file_is_named_as_vni() {
    let mut wb = workbook(&["Maõ ñôn vò:", "UBND xaõ Laïc Sôn", "Coù"]);
    convert(&mut wb);
    assert_eq!(texts(&wb), ["Mã đơn vị:", "UBND xã Lạc Sơn", "Có"]);
    assert!(wb.notes[0].message.contains("bảng mã VNI-Windows"));
}

#[test]
fn sheet_names_are_converted_too() {
    let mut wb = workbook(&["M· ®¬n vÞ:"]);
    wb.sheets[0].name = "Sè liÖu".into();
    convert(&mut wb);
    assert_eq!(wb.sheets[0].name, "Số liệu");
}

#[test]
fn rare_symbols_and_foreign_text_are_left_alone() {
    let unchanged = [
        "© 2024 Công ty",
        "Brand® µg",
        "café, crème brûlée, für, año, naïve, Ærø, smørrebrød",
        "Le thé est né à Paris",
        "10 µm × 3 ¸",
        "São Paulo, Zürich, Málaga",
        "Có",
        "Không",
        "Ghi chú",
        "Tháng 6",
    ];
    let mut wb = workbook(&unchanged);
    convert(&mut wb);
    assert_eq!(texts(&wb), unchanged);
    assert!(wb.notes.is_empty(), "{:?}", wb.notes);
}

fn phrase(words: &[String], picks: &[(usize, u8)]) -> String {
    picks
        .iter()
        .map(|&(i, case)| {
            let w = &words[i % words.len()];
            match case % 3 {
                0 => w.clone(),
                1 => w.to_uppercase(),
                _ => {
                    let mut cs = w.chars();
                    let first = cs.next().unwrap();
                    first.to_uppercase().chain(cs).collect()
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What TCVN3 can carry of a text: a toned capital that the capital rule does
/// not restore comes back in lower case.
fn tcvn3_expected(text: &str) -> String {
    decode(&encode(text, Encoding::Tcvn3), Encoding::Tcvn3)
}

proptest! {
    #[test]
    fn unicode_to_legacy_and_back_is_identity(
        picks in prop::collection::vec((0usize..10_000, 0u8..3), 1..12)
    ) {
        let words = vocabulary();
        let text = phrase(&words, &picks);
        prop_assert_eq!(decode(&encode(&text, Encoding::Vni), Encoding::Vni), text.clone());
        // TCVN3: identity on lower case and on capital words of two letters or
        // more, whatever the rest; a Title-case toned capital (`Ủy`) is the one
        // loss the encoding itself makes.
        let lower = text.to_lowercase();
        prop_assert_eq!(tcvn3_expected(&lower), lower);
        // An all-capital text of two capitals or more that TCVN3 can show.
        let upper = text.to_uppercase();
        let shown = encode(&upper, Encoding::Tcvn3);
        if shown.chars().filter(|c| c.is_ascii_uppercase() || "¡¢£¤¥¦§".contains(*c)).count() >= 2 {
            prop_assert_eq!(tcvn3_expected(&upper), upper);
        }
    }

    #[test]
    fn unicode_text_is_never_detected(
        picks in prop::collection::vec((0usize..10_000, 0u8..3), 1..12),
        punctuation in prop::sample::select(vec!["", ":", ",", ".", " (*)", " - 2024"]),
    ) {
        let text = format!("{}{punctuation}", phrase(&vocabulary(), &picks));
        for encoding in Encoding::ALL {
            prop_assert!(read(&text, encoding).is_none_or(|r| !r.evidence), "{}", text);
        }
        let mut wb = workbook(&[&text]);
        convert(&mut wb);
        prop_assert_eq!(texts(&wb), vec![text.clone()]);
    }

    #[test]
    fn legacy_text_is_detected(
        picks in prop::collection::vec((0usize..10_000, 0u8..1), 2..12)
    ) {
        let text = phrase(&vocabulary(), &picks);
        for encoding in Encoding::ALL {
            let typed = encode(&text, encoding);
            // A form typed in the encoding, its labels and this answer: the
            // answer comes back as written, whatever it is.
            let labels = ["Mã đơn vị:", "Tên đơn vị: Xã Lạc Sơn", "Kỳ báo cáo: 6 tháng đầu năm"];
            let mut cells: Vec<String> = labels.iter().map(|l| encode(l, encoding)).collect();
            cells.push(typed);
            let mut wb = workbook(&cells.iter().map(String::as_str).collect::<Vec<_>>());
            convert(&mut wb);
            prop_assert_eq!(&texts(&wb)[3], &text);
            prop_assert_eq!(&texts(&wb)[0], labels[0]);
        }
    }
}
