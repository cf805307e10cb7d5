//! Bytes read as every kind of `.xlsx` part by the byte scanner and by
//! quick-xml, its reference: wherever the scanner reads, the two must agree.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    qcdc::fuzzing::xlsx_scanner_against_quick_xml(data);
});
