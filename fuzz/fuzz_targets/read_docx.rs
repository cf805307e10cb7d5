//! Bytes read as a Word report (`.docx`), then parsed as submissions: must
//! never panic, hang or allocate without bound.
#![no_main]

libfuzzer_sys::fuzz_target!(init: qcdc::fuzzing::abort_on_own_panics(), |data: &[u8]| {
    qcdc::fuzzing::read_and_parse(data, "input.docx")
});
