//! Text read as a count, a date, a period and a label: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(init: qcdc::fuzzing::abort_on_own_panics(), |data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        qcdc::fuzzing::values(text);
    }
});
