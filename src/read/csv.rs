//! CSV files as Excel writes them in a Vietnamese locale.
//!
//! The delimiter is `;`, `,` or tab (Excel's UTF-16 "Unicode Text" export is
//! tab-separated); the encoding is UTF-8 with or without a byte order mark,
//! UTF-16 LE/BE with one, or, from old systems, a legacy code page (Windows-1258
//! for Vietnamese), which is guessed and reported as a note. The file is one sheet
//! named after the file; row 1 is the first line.

use super::{Cell, CellValue, Limits, ReadError, ReadNote, Sheet, Workbook};
use std::borrow::Cow;

/// Reads a CSV file's bytes as one sheet.
pub fn read(bytes: &[u8], sheet_name: &str, limits: &Limits) -> Result<Workbook, ReadError> {
    let (text, mut notes) = decode(bytes);
    let text = if text.contains('\0') {
        notes.push(ReadNote {
            cell: None,
            sheet: None,
            message: "tệp CSV chứa ký tự NUL (byte 0); các ký tự này đã được bỏ qua".into(),
        });
        Cow::Owned(text.replace('\0', ""))
    } else {
        text
    };
    let delimiter = detect_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut row: u32 = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(ReadError::Corrupt(format!("dòng {}: {e}", row + 1))),
        }
        for (col, field) in record.iter().enumerate() {
            if field.len() > limits.max_csv_field_bytes {
                return Err(ReadError::TooLarge(format!(
                    "ô {} dài {} byte (giới hạn {} byte)",
                    super::a1(row, col as u32),
                    field.len(),
                    limits.max_csv_field_bytes
                )));
            }
            if field.trim().is_empty() {
                continue;
            }
            if cells.len() >= limits.max_cells_per_sheet {
                return Err(ReadError::TooLarge(format!(
                    "tệp có hơn {} ô có dữ liệu",
                    limits.max_cells_per_sheet
                )));
            }
            let col =
                u32::try_from(col).map_err(|_| ReadError::TooLarge("quá nhiều cột".into()))?;
            cells.push(Cell {
                row,
                col,
                value: CellValue::Text(field.to_string()),
            });
        }
        row = row
            .checked_add(1)
            .ok_or_else(|| ReadError::TooLarge("quá nhiều dòng".into()))?;
        if row > limits.max_rows_per_sheet {
            return Err(ReadError::TooLarge(format!(
                "tệp có hơn {} dòng",
                limits.max_rows_per_sheet
            )));
        }
    }
    Ok(Workbook {
        format: None,
        sheets: vec![Sheet {
            name: sheet_name.to_string(),
            cells,
            hidden: false,
            formulas: Vec::new(),
        }],
        recalc: Default::default(),
        notes,
    })
}

/// Decodes the bytes, saying so when they were not Unicode.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, Vec<ReadNote>) {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, Vec::new());
    }
    if let Some(encoding) = super::utf16::without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return (text, Vec::new());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), Vec::new());
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"vn"), chardetng::Utf8Detection::Deny);
    // Vietnamese offices' legacy code page; chardetng may prefer a close Western one
    // for short files, but those are far rarer here.
    let encoding = if guess == encoding_rs::WINDOWS_1252 || guess == encoding_rs::UTF_8 {
        encoding_rs::WINDOWS_1258
    } else {
        guess
    };
    let (text, _, _) = encoding.decode(bytes);
    let note = ReadNote {
        cell: None,
        sheet: None,
        message: format!(
            "tệp CSV không phải UTF-8; đã đọc theo bảng mã {} — hãy kiểm tra lại chữ có dấu",
            encoding.name()
        ),
    };
    (Cow::Owned(text.into_owned()), vec![note])
}

/// Chooses the delimiter that splits the first lines into the most, and the most
/// consistent, columns. Quoted fields are parsed, not counted.
fn detect_delimiter(text: &str) -> u8 {
    let sample: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
    let mut best = (b',', 0usize);
    for delimiter in [b';', b',', b'\t'] {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(sample.as_bytes());
        let widths: Vec<usize> = reader
            .records()
            .filter_map(Result::ok)
            .map(|r| r.len())
            .collect();
        let Some(&first) = widths.first() else {
            continue;
        };
        if first < 2 {
            continue;
        }
        let consistent = widths.iter().filter(|&&w| w == first).count();
        let score = first * consistent;
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(bytes: &[u8]) -> (Sheet, Vec<ReadNote>) {
        let mut wb = read(bytes, "t", &Limits::default()).unwrap();
        (wb.sheets.remove(0), wb.notes)
    }

    fn texts(sheet: &Sheet) -> Vec<(u32, u32, String)> {
        sheet
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.value.display()))
            .collect()
    }

    #[test]
    fn delimiters_are_detected() {
        for (bytes, d) in [
            (&b"ma_don_vi;VB01;TT01\nX001;1.234;5\n"[..], b';'),
            (b"ma_don_vi,VB01,TT01\nX001,\"1,5\",5\n", b','),
            (b"ma_don_vi\tVB01\tTT01\nX001\t1\t5\n", b'\t'),
        ] {
            let text = std::str::from_utf8(bytes).unwrap();
            assert_eq!(detect_delimiter(text), d, "{text:?}");
        }
    }

    #[test]
    fn encodings_are_decoded() {
        let (s, notes) = sheet("\u{feff}Mã đơn vị;VB01\nX001;3\n".as_bytes());
        assert_eq!(texts(&s)[0], (0, 0, "Mã đơn vị".to_string()));
        assert!(notes.is_empty());

        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            "Mã đơn vị\tVB01\r\nX001\t3\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let (s, _) = sheet(&utf16);
        assert_eq!(
            texts(&s),
            vec![
                (0, 0, "Mã đơn vị".into()),
                (0, 1, "VB01".into()),
                (1, 0, "X001".into()),
                (1, 1, "3".into())
            ]
        );

        let mut utf16be = vec![0xFE, 0xFF];
        utf16be.extend("Tên\tVB01\n".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(texts(&sheet(&utf16be).0)[0].2, "Tên");

        // Windows-1258 writes tones as combining marks: "Xã Đà Bắc" is
        // X a U+0303, U+0110 a U+0300, B U+0103 U+0301 c.
        let legacy = b"T\xeaen;VB01;TT01\nX\x61\xde \xd0\x61\xcc B\xe3\xecc;3;4\nX002;1;1\n";
        let (s, notes) = sheet(legacy);
        assert_eq!(crate::text::clean(&texts(&s)[3].2), "Xã Đà Bắc");
        assert!(notes[0].message.contains("windows-1258"), "{notes:?}");
    }

    #[test]
    fn oversized_fields_are_refused() {
        let limits = Limits {
            max_csv_field_bytes: 10,
            ..Limits::default()
        };
        let err = read(b"a;b\n0123456789ABC;1\n", "t", &limits).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge(m) if m.contains("A2")));
    }
}
