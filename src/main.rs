//! The `qcdc` binary: parses arguments and calls the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    qcdc_cli::main()
}

#[path = "cli/mod.rs"]
mod qcdc_cli;
