//! clap in Vietnamese: the help's template and headings, the help and version
//! flags' own text, and argument errors rendered from clap's error kinds and
//! context (clap still parses everything; nothing here reads arguments).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// The name of the help subcommand this module adds in place of clap's.
pub const HELP: &str = "help";

/// The command with Vietnamese help everywhere.
pub fn command(cmd: Command) -> Command {
    let cmd = localise(cmd, "qcdc")
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("In số phiên bản")
                .help_heading("Tùy chọn"),
        )
        .disable_help_subcommand(true)
        .subcommand(
            Command::new(HELP)
                .about("In hướng dẫn của qcdc hoặc của một lệnh")
                .arg(
                    Arg::new("lenh")
                        .value_name("LỆNH")
                        .help("Lệnh cần xem hướng dẫn"),
                ),
        );
    // The added subcommand gets the same template and headings.
    cmd.mut_subcommand(HELP, |c| localise(c, "qcdc help"))
}

fn localise(cmd: Command, path: &str) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("Lệnh")
        .subcommand_value_name("LỆNH")
        .mut_args(|a| {
            let heading = if a.is_positional() {
                "Đối số"
            } else {
                "Tùy chọn"
            };
            a.help_heading(heading)
        })
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In hướng dẫn này")
                .help_heading("Tùy chọn"),
        );
    // clap's usage says "[OPTIONS]": rendered from a copy (rendering builds
    // the command, which must stay open to changes), then given in Vietnamese.
    let cmd = cmd.bin_name(path);
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[TÙY CHỌN]");
    let mut cmd = cmd.override_usage(usage);
    for name in names {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(name, |c| localise(c, &sub_path));
    }
    cmd
}

/// The error as the officer reads it: what is wrong, the usage, where to look.
pub fn message(e: &clap::Error) -> String {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    let what = match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} cần một giá trị"),
        ErrorKind::InvalidValue => {
            let valid = text(ContextKind::ValidValue);
            let hint = if valid.is_empty() {
                String::new()
            } else {
                format!(" (dùng một trong: {valid})")
            };
            format!("giá trị '{value}' không hợp lệ cho {arg}{hint}")
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map_or(String::new(), |s| format!(": {s}"));
            format!("giá trị '{value}' của {arg} không hợp lệ{why}")
        }
        ErrorKind::UnknownArgument => format!("không có tùy chọn '{arg}'"),
        ErrorKind::InvalidSubcommand => {
            format!("không có lệnh '{}'", text(ContextKind::InvalidSubcommand))
        }
        ErrorKind::NoEquals => format!("{arg} cần giá trị viết liền sau dấu ="),
        ErrorKind::TooManyValues => format!("thừa giá trị '{value}' cho {arg}"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} không đủ giá trị")
        }
        ErrorKind::ArgumentConflict => {
            let prior = text(ContextKind::PriorArg);
            if prior.is_empty() || prior == arg {
                format!("{arg} chỉ được dùng một lần")
            } else {
                format!("không dùng {arg} cùng với {prior}")
            }
        }
        ErrorKind::MissingRequiredArgument => format!("thiếu {arg}"),
        ErrorKind::MissingSubcommand => "thiếu lệnh".to_string(),
        ErrorKind::InvalidUtf8 => "đối số có ký tự không phải UTF-8".to_string(),
        _ => "đối số không hợp lệ".to_string(),
    };
    let suggested = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .map(text)
        .find(|s| !s.is_empty())
        .map_or(String::new(), |s| format!(" (có phải ý bạn là '{s}'?)"));
    let usage = text(ContextKind::Usage).replacen("Usage:", "Cách dùng:", 1);
    let usage = if usage.is_empty() {
        String::new()
    } else {
        format!("\n\n{}", usage.trim())
    };
    format!(
        "qcdc: lỗi: {what}{suggested}{usage}\n\nGõ 'qcdc --help' hoặc 'qcdc LỆNH --help' để xem hướng dẫn.\n"
    )
}
