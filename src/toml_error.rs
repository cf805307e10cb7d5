//! TOML errors (`qcdc.toml`, `--schema`) in Vietnamese, with the line and column.
//!
//! The `toml` crate's messages are English and follow serde's wording; the
//! usual ones (wrong type, unknown or missing key, duplicate key) are put into
//! Vietnamese with the key and values they name, and any other is a syntax
//! error at its place.

/// "dòng 3, cột 8: …" for an error in `text`.
pub fn describe(e: &toml::de::Error, text: &str) -> String {
    let place = e.span().map(|span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("dòng {line}, cột {column}: ")
    });
    format!(
        "{}{}",
        place.unwrap_or_default(),
        in_vietnamese(e.message())
    )
}

fn in_vietnamese(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let first = quoted.first().copied().unwrap_or_default();
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!(
            "giá trị sai kiểu: cần {}, nhưng gặp {}",
            kind(expected),
            kind(found)
        );
    }
    if message.starts_with("unknown field") {
        let known = quoted[1..].join(", ");
        return format!("khóa `{first}` không được biết (các khóa hợp lệ: {known})");
    }
    if message.starts_with("missing field") {
        return format!("thiếu khóa `{first}`");
    }
    if message.starts_with("duplicate key") {
        return format!("khóa `{first}` được khai báo hai lần");
    }
    if message.starts_with("unknown variant") {
        let known = quoted[1..].join(", ");
        return format!("giá trị `{first}` không hợp lệ (dùng một trong: {known})");
    }
    "sai cú pháp TOML (kiểm tra dấu ngoặc kép quanh chữ, dấu = giữa khóa và giá trị, tên bảng trong [ ])".to_string()
}

/// serde's name of a kind of value, in Vietnamese, keeping the value seen.
fn kind(text: &str) -> String {
    let value = text.split('`').nth(1);
    let word = [
        ("string", "chuỗi chữ trong dấu ngoặc kép"),
        ("integer", "số nguyên"),
        ("float", "số thực"),
        ("boolean", "true/false"),
        ("sequence", "danh sách [ … ]"),
        ("array", "danh sách [ … ]"),
        ("map", "bảng"),
        ("table", "bảng"),
        ("datetime", "ngày giờ"),
    ]
    .iter()
    .find(|(en, _)| text.contains(en))
    .map_or(text, |(_, vi)| vi);
    match value {
        Some(v) => format!("{word} `{v}`"),
        None => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // only deserialised, to get the errors
    struct Settings {
        tinh: Option<String>,
    }

    fn error(text: &str) -> String {
        describe(&toml::from_str::<Settings>(text).unwrap_err(), text)
    }

    #[test]
    fn usual_errors_are_in_vietnamese_with_their_place() {
        assert_eq!(
            error("# tỉnh\ntinh = 3\n"),
            "dòng 2, cột 8: giá trị sai kiểu: cần chuỗi chữ trong dấu ngoặc kép, nhưng gặp số nguyên `3`"
        );
        assert!(
            error("tinh = \"A\"\nco_quann = \"B\"\n").starts_with(
                "dòng 2, cột 1: khóa `co_quann` không được biết (các khóa hợp lệ: tinh)"
            )
        );
        assert!(
            error("tinh = \"A\n").contains("sai cú pháp TOML"),
            "{}",
            error("tinh = \"A\n")
        );
    }
}
