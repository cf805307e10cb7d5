//! The command line: clap definitions, one file per subcommand, exit codes.
//!
//! Only this module knows about the terminal (colours, progress bars, stdout
//! versus stderr); everything it does is a call into the `qcdc` library.

mod aggregate;
mod args;
mod exit;
mod progress;
mod signals;
mod status;
mod template;
mod validate;
mod vietnamese;

use args::{Cli, Command};
use clap::{CommandFactory, FromArgMatches};
use exit::Exit;

/// Runs the command line and maps the outcome to an exit status.
pub fn main() -> std::process::ExitCode {
    quiet_contained_panics();
    let cli = match parse() {
        Ok(cli) => cli,
        Err(exit) => return exit.into(),
    };
    signals::clean_up_on_interrupt();
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

/// The clap definitions, in Vietnamese (help and errors).
fn command() -> clap::Command {
    vietnamese::command(Cli::command())
}

/// Parses the arguments; help, version and errors are printed here, and the
/// run ends with the `Exit` returned as the error.
fn parse() -> Result<Cli, Exit> {
    let shown = |e: clap::Error| {
        use clap::error::ErrorKind as K;
        match e.kind() {
            K::DisplayHelp | K::DisplayVersion => {
                let text = e.to_string();
                let _ = emit(text.trim_end().to_string() + "\n");
                Exit::Success
            }
            K::DisplayHelpOnMissingArgumentOrSubcommand => {
                eprint!("{e}");
                Exit::Failure
            }
            _ => {
                eprint!("{}", vietnamese::message(&e));
                Exit::Failure
            }
        }
    };
    let mut cmd = command();
    let matches = cmd
        .try_get_matches_from_mut(std::env::args_os())
        .map_err(shown)?;
    if let Some((vietnamese::HELP, sub)) = matches.subcommand() {
        let topic = sub.get_one::<String>("lenh");
        let page = match topic {
            None => cmd.render_help(),
            Some(name) => match cmd.find_subcommand_mut(name) {
                Some(sub) => sub.render_help(),
                None => {
                    eprintln!(
                        "qcdc: lỗi: không có lệnh '{name}'\n\nGõ 'qcdc --help' để xem các lệnh."
                    );
                    return Err(Exit::Failure);
                }
            },
        };
        let _ = emit(page.to_string());
        return Err(Exit::Success);
    }
    Cli::from_arg_matches(&matches).map_err(shown)
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
    let mut cmd = command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "qcdc", &mut script);
    emit(script)?;
    Ok(Exit::Success)
}

/// The man page generated from the clap definitions, on stdout.
fn print_man() -> anyhow::Result<Exit> {
    let cmd = command();
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
    let (registry, mut discovery) = (registry?, discovery?);
    if let (Some(r), Some(path)) = (&registry, &args.units) {
        let shown = path.display().to_string();
        discovery.notes.extend(r.warnings().iter().map(|w| {
            qcdc::finding::Finding::warning(qcdc::finding::FindingKind::Registry, &shown, w)
        }));
    }
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
    quiet: bool,
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
    let bar = progress::bar(loaded.discovery.files.len(), quiet);
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

/// The run's result in one line, as `aggregate` and `status` print it on
/// stderr (with `--quiet`, the one line a scheduled job's log gets).
fn summary_line(c: &qcdc::collect::Consolidation) -> String {
    let n = &c.counts;
    format!(
        "Kỳ {} (hạn {}): {} đơn vị phải nộp, {} đã nộp ({} đúng hạn, {} trễ hạn), {} chưa nộp, {} không hợp lệ, {} chưa đến hạn; {} lỗi, {} cảnh báo; xét đến ngày {}.",
        c.period,
        c.due.format("%d/%m/%Y"),
        n.expected,
        n.received,
        n.on_time,
        n.late,
        n.missing,
        n.invalid,
        n.not_yet_due,
        n.errors,
        n.warnings,
        c.as_of.format("%d/%m/%Y"),
    )
}

/// When the run had nothing to judge: says why on stderr (and in the JSON),
/// and ends with exit 1, writing nothing else.
fn nothing_to_judge(c: &qcdc::collect::Consolidation, json: bool) -> anyhow::Result<Option<Exit>> {
    let Some(why) = qcdc::collect::judged::nothing_to_judge(c) else {
        return Ok(None);
    };
    if json {
        let mut summary = serde_json::to_value(qcdc::write::json::summary(c))?;
        summary["nothing_to_judge"] = why.to_string().into();
        emit(serde_json::to_string_pretty(&summary)? + "\n")?;
    }
    eprintln!("qcdc: {why}. Không ghi tệp kết quả nào.");
    Ok(Some(Exit::Findings))
}

impl Loaded {
    /// Refuses outputs that would replace a file the run reads: an input found,
    /// the schema, the registry or the receipts log. An input that is qcdc's
    /// own output (last run's report in the folder read) is there to be
    /// replaced: it is skipped as an input, never read as a submission.
    fn ensure_writable(
        &self,
        outputs: &[&std::path::Path],
        period: &args::PeriodArgs,
    ) -> Result<(), qcdc::write::atomic::WriteError> {
        let replaced: Vec<_> = outputs
            .iter()
            .filter_map(|p| qcdc::inputs::Identity::of(p))
            .collect();
        let found = self
            .discovery
            .files
            .iter()
            .filter(|f| {
                !(replaced.contains(&f.identity)
                    && qcdc::read::own::recognise_file(&f.path).is_some())
            })
            .map(|f| f.identity.clone());
        let named = self.named_files.iter().chain(&period.received);
        let read: Vec<_> = found
            .chain(named.filter_map(|p| qcdc::inputs::Identity::of(p)))
            .collect();
        qcdc::write::atomic::ensure_not_input(outputs, &read)
    }
}
