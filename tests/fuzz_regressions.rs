//! Every input a fuzzer ever crashed on (`tests/data/fuzz-regressions/<target>/`)
//! goes back through the same code path, and must come out as a result.

use std::path::Path;

#[test]
fn past_crashes_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-regressions");
    let mut seen = 0;
    for target in std::fs::read_dir(&root).unwrap() {
        let target = target.unwrap().path();
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        for case in std::fs::read_dir(&target).unwrap() {
            let bytes = std::fs::read(case.unwrap().path()).unwrap();
            match (name.strip_prefix("read_"), name.strip_prefix("walk_")) {
                _ if name == "xlsx_differential" => qcdc::fuzzing::xlsx_against_calamine(&bytes),
                (Some(ext), _) => qcdc::fuzzing::read_and_parse(&bytes, &format!("input.{ext}")),
                (_, Some(ext)) => qcdc::fuzzing::walk(&bytes, &format!("input.{ext}")),
                _ => qcdc::fuzzing::values(&String::from_utf8_lossy(&bytes)),
            }
            seen += 1;
        }
    }
    assert!(seen > 0, "the regression corpus is there");
}

#[test]
fn the_first_crash_is_now_a_corrupt_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "tests/data/fuzz-regressions/read_xlsx/crash-49ee07d6b8edcf13d3907864065168e28810f07d",
    );
    let err = qcdc::read::read_bytes(
        &std::fs::read(path).unwrap(),
        Path::new("a.xlsx"),
        &qcdc::read::Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, qcdc::read::ReadError::Corrupt(_)), "{err}");
}
