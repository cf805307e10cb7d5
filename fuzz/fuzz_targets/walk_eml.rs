//! Bytes walked as a saved mail (`.eml`), every attachment read and parsed:
//! must never panic, hang or allocate without bound.
#![no_main]

libfuzzer_sys::fuzz_target!(init: qcdc::fuzzing::abort_on_own_panics(), |data: &[u8]| {
    qcdc::fuzzing::walk(data, "input.eml")
});
