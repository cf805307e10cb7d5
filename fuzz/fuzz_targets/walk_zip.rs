//! Bytes walked as a `.zip` of submissions, every member read and parsed: must
//! never panic, hang or inflate without bound.
#![no_main]

libfuzzer_sys::fuzz_target!(init: qcdc::fuzzing::abort_on_own_panics(), |data: &[u8]| {
    qcdc::fuzzing::walk(data, "input.zip")
});
