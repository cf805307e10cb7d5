//! Formulas computed by the reader (arithmetic, SUM, references, cycles): must
//! never panic or hang.
#![no_main]

libfuzzer_sys::fuzz_target!(init: qcdc::fuzzing::abort_on_own_panics(), |data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        qcdc::fuzzing::formulas(text);
    }
});
