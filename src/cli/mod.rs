//! The command line: clap definitions, one file per subcommand, exit codes.
//!
//! Only this module knows about the terminal (colours, progress bars, stdout
//! versus stderr); everything it does is a call into the `qcdc` library.

mod aggregate;
mod args;
mod exit;
mod progress;
mod validate;

use args::{Cli, Command};
use clap::Parser;
use exit::Exit;

/// Runs the command line and maps the outcome to an exit status.
pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Aggregate(a) => aggregate::run(a),
        Command::Validate(a) => validate::run(a),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(err) => {
            eprintln!("qcdc: lỗi: {err:#}");
            Exit::Failure.into()
        }
    }
}

/// What every command that reads submissions loads first.
struct Loaded {
    schema: qcdc::schema::Schema,
    registry: Option<qcdc::registry::Registry>,
    discovery: qcdc::inputs::Discovery,
    limits: qcdc::read::Limits,
}

fn load_common(args: &args::Common) -> anyhow::Result<Loaded> {
    let schema = match &args.schema {
        Some(path) => qcdc::schema::Schema::load(path)?,
        None => qcdc::schema::Schema::builtin(),
    };
    let registry = args
        .units
        .as_deref()
        .map(|p| qcdc::registry::Registry::load(p, &schema))
        .transpose()?;
    let discovery = qcdc::inputs::discover(&args.inputs)?;
    let limits = qcdc::read::Limits {
        max_file_bytes: args.max_file_mb.saturating_mul(1024 * 1024),
        ..Default::default()
    };
    Ok(Loaded {
        schema,
        registry,
        discovery,
        limits,
    })
}
