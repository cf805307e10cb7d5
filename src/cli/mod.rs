//! The command line: clap definitions, one file per subcommand, exit codes.
//!
//! Only this module knows about the terminal (colours, progress bars, stdout
//! versus stderr); everything it does is a call into the `qcdc` library.

mod aggregate;
mod args;
mod exit;
mod progress;
mod status;
mod template;
mod validate;

use args::{Cli, Command};
use clap::Parser;
use exit::Exit;

/// Runs the command line and maps the outcome to an exit status.
pub fn main() -> std::process::ExitCode {
    quiet_contained_panics();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Aggregate(a) => aggregate::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Status(a) => status::run(a),
        Command::Template(a) => template::run(a),
        Command::Completions { shell } => print_completions(shell),
        Command::Man => print_man(),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(err) => {
            eprintln!("qcdc: lỗi: {err:#}");
            Exit::Failure.into()
        }
    }
}

/// A panic inside a spreadsheet reader (calamine on a malformed file) is caught
/// by the library and reported as that file's error, with the panic's text; the
/// default hook would also print it, with a backtrace, among the officer's
/// results. Every other panic, qcdc's own above all, prints as usual.
fn quiet_contained_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !qcdc::read::is_contained_panic(info) {
            default(info);
        }
    }));
}

/// Writes to stdout; a reader that went away (`qcdc … | head`) is a normal end,
/// not an error.
fn emit(text: impl AsRef<[u8]>) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_ref()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Shell completions generated from the clap definitions, on stdout.
fn print_completions(shell: clap_complete::Shell) -> anyhow::Result<Exit> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "qcdc", &mut script);
    emit(script)?;
    Ok(Exit::Success)
}

/// The man page generated from the clap definitions, on stdout.
fn print_man() -> anyhow::Result<Exit> {
    let cmd = <Cli as clap::CommandFactory>::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut page)?;
    emit(page)?;
    Ok(Exit::Success)
}

/// What every command that reads submissions loads first.
struct Loaded {
    /// The schema and registry files named, which no output may overwrite.
    named_files: Vec<std::path::PathBuf>,
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
    // Walking the folders and reading the registry are each ~15 ms at 10,000 units.
    let (registry, discovery) = rayon::join(
        || {
            args.units
                .as_deref()
                .map(|p| qcdc::registry::Registry::load(p, &schema))
                .transpose()
        },
        || qcdc::inputs::discover(&args.inputs),
    );
    let (registry, discovery) = (registry?, discovery?);
    let limits = qcdc::read::Limits {
        max_file_bytes: args.max_file_mb.saturating_mul(1024 * 1024),
        ..Default::default()
    };
    Ok(Loaded {
        named_files: args.schema.iter().chain(&args.units).cloned().collect(),
        schema,
        registry,
        discovery,
        limits,
    })
}

/// Reads, checks and consolidates a period: what `aggregate` and `status` share.
fn consolidate(
    loaded: &Loaded,
    period: &args::PeriodArgs,
    json: bool,
) -> anyhow::Result<qcdc::collect::Consolidation> {
    let receipts = period
        .received
        .as_deref()
        .map(qcdc::receipts::Receipts::load)
        .transpose()?;
    let as_of = period
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let ctx = qcdc::check::Context {
        schema: &loaded.schema,
        registry: loaded.registry.as_ref(),
        period: Some(period.period),
        as_of: Some(as_of),
    };
    let bar = progress::bar(loaded.discovery.files.len(), json);
    let reports =
        qcdc::batch::process(&loaded.discovery.files, ctx, &loaded.limits, &|| bar.inc(1));
    bar.finish_and_clear();
    let settings = qcdc::collect::Settings {
        schema: &loaded.schema,
        period: period.period,
        as_of,
        registry: loaded.registry.as_ref(),
        receipts: receipts.as_ref(),
    };
    Ok(qcdc::collect::consolidate(
        reports,
        loaded.discovery.notes.clone(),
        &settings,
    ))
}

impl Loaded {
    /// Refuses outputs that would replace a file the run reads: an input found,
    /// the schema, the registry or the receipts log.
    fn ensure_writable(
        &self,
        outputs: &[&std::path::Path],
        period: &args::PeriodArgs,
    ) -> Result<(), qcdc::write::atomic::WriteError> {
        let found = self.discovery.files.iter().map(|f| f.identity.clone());
        let named = self.named_files.iter().chain(&period.received);
        let read: Vec<_> = found
            .chain(named.filter_map(|p| qcdc::inputs::Identity::of(p)))
            .collect();
        qcdc::write::atomic::ensure_not_input(outputs, &read)
    }
}
