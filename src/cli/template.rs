//! `qcdc template`: the form each unit fills in, one file per unit with a
//! registry, or one blank form.

use super::args::TemplateArgs;
use super::exit::Exit;
use anyhow::Context as _;
use qcdc::inputs::Identity;
use qcdc::registry::{Registry, Unit};
use qcdc::schema::Schema;
use qcdc::template::{self, Prefill};
use qcdc::write::atomic;
use std::path::{Path, PathBuf};

pub fn run(args: TemplateArgs) -> anyhow::Result<Exit> {
    let schema = match &args.schema {
        Some(path) => Schema::load(path)?,
        None => Schema::builtin(),
    };
    let registry = args
        .units
        .as_deref()
        .map(|p| Registry::load(p, &schema))
        .transpose()?;
    // What to write: (unit, path) per unit with a registry, else one blank form.
    let (targets, place): (Vec<(Option<&Unit>, PathBuf)>, PathBuf) = match &registry {
        Some(registry) => {
            let dir = args
                .out_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from("bieu-mau"));
            let units: Vec<&Unit> = match args.period {
                Some(p) => registry.expected(p).collect(),
                None => registry.units().iter().collect(),
            };
            let targets = units
                .into_iter()
                .map(|u| (Some(u), dir.join(template::file_name(u))))
                .collect();
            (targets, dir)
        }
        None => {
            let out = args.out.clone().unwrap_or_else(|| match args.period {
                Some(p) => PathBuf::from(format!("bieu-mau-{p}.xlsx")),
                None => PathBuf::from("bieu-mau-qcdc.xlsx"),
            });
            (vec![(None, out.clone())], out)
        }
    };
    let paths: Vec<&Path> = targets.iter().map(|(_, p)| p.as_path()).collect();
    let read: Vec<Identity> = args
        .schema
        .iter()
        .chain(&args.units)
        .filter_map(|p| Identity::of(p))
        .collect();
    atomic::ensure_not_input(&paths, &read)?;
    refuse_to_replace_forms(&paths, &schema)?;
    if let Some(dir) = targets.first().and_then(|(_, p)| p.parent()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("không tạo được thư mục {}", dir.display()))?;
    }
    for (unit, path) in &targets {
        let prefill = Prefill {
            period: args.period,
            unit: *unit,
            ..Prefill::default()
        };
        let bytes = template::form(&schema, &prefill).context("không tạo được biểu mẫu")?;
        atomic::write(path, &bytes)?;
    }
    match registry {
        _ if args.quiet => {}
        Some(_) => eprintln!(
            "Đã tạo {} biểu mẫu trong thư mục {}.",
            targets.len(),
            place.display()
        ),
        None => eprintln!("Đã tạo biểu mẫu {}.", place.display()),
    }
    Ok(Exit::Success)
}

/// Units send the form back under its own name, so a file already standing
/// where a form is to be written may be a unit's report: only a blank form
/// (one from an earlier run) is replaced. Checked for every target before any
/// is written.
fn refuse_to_replace_forms(paths: &[&Path], schema: &Schema) -> anyhow::Result<()> {
    let taken: Vec<&&Path> = paths
        .iter()
        .filter(|p| p.exists() && !template::is_blank_form(p, schema))
        .collect();
    if let Some(first) = taken.first() {
        anyhow::bail!(
            "{} tệp đã có sẵn và không phải biểu mẫu trống (đã có số liệu, hoặc không đọc được như một biểu), ví dụ {}: có thể là báo cáo đơn vị đã gửi về; không ghi đè, hãy chọn nơi ghi khác (--out-dir hoặc -o)",
            taken.len(),
            first.display()
        );
    }
    Ok(())
}
