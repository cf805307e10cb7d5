//! `qcdc`: consolidates the province's grassroots-democracy (QCDC) reports.
//!
//! The library is a one-way pipeline, one module per stage:
//!
//! ```text
//! read      file -> cells          (read)
//! parse     cells -> submissions   (parse)
//! check     submission -> findings (check)
//! collect   submissions + registry + receipts -> period status and totals (collect)
//! write     -> report.xlsx, long CSV, JSON summary (write)
//! ```
//!
//! It knows nothing of the terminal: the `qcdc` binary parses arguments and calls it.

pub mod period;
pub mod read;
pub mod schema;
pub mod text;
pub mod value;
