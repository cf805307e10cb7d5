//! The same forms as other producers write them: openpyxl, Excel, LibreOffice.
//!
//! qcdc's own template (rust_xlsxwriter) writes shared strings and few styles;
//! what units really send was saved by something else. `producers.py` rewrites
//! the generated forms each way (see its header); the registry and receipts are
//! the same, so the runs differ only in the files' XML shape.

use std::path::Path;
use std::process::Command;

/// Every producer the bench measures, qcdc's own first.
pub const ALL: [&str; 4] = ["qcdc", "openpyxl", "excel", "libreoffice"];

/// Fills `dir` (a producer's copy of one size) from qcdc's own forms in `own`.
pub fn convert(producer: &str, own: &Path, dir: &Path) {
    std::fs::create_dir_all(dir).expect("bench dir");
    for list in ["don-vi.csv", "so-den.csv"] {
        std::fs::copy(own.join(list), dir.join(list)).expect("lists copied");
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/scale/producers.py");
    eprintln!("writing the {producer} forms in {} ...", dir.display());
    let status = Command::new("python3")
        .arg(script)
        .arg(producer)
        .arg(own.join("nop"))
        .arg(dir.join("nop"))
        .status()
        .expect("python3 runs (needs openpyxl; LibreOffice for its shape)");
    assert!(status.success(), "producers.py {producer} failed");
}
