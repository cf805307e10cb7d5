//! Bytes read as `.xlsx` by the fast reader and by calamine, its reference:
//! wherever the fast reader accepts a file, the two must read the same.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    qcdc::fuzzing::xlsx_against_calamine(data)
});
