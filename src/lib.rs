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

pub mod batch;
pub mod check;
pub mod collect;
pub mod config;
pub mod finding;
pub mod fuzzing;
pub mod inputs;
pub mod parse;
pub mod period;
pub mod read;
pub mod receipts;
pub mod registry;
pub mod schema;
mod table_file;
pub mod template;
pub mod text;
pub mod toml_error;
pub mod value;
pub mod write;
