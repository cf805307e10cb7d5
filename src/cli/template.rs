//! `qcdc template`: the form each unit fills in, one file per unit with a
//! registry, or one blank form.

use super::args::TemplateArgs;
use super::exit::Exit;
use anyhow::Context as _;
use qcdc::registry::Registry;
use qcdc::schema::Schema;
use qcdc::template::{self, Prefill};
use qcdc::write::atomic;
use std::path::PathBuf;

pub fn run(args: TemplateArgs) -> anyhow::Result<Exit> {
    let schema = match &args.schema {
        Some(path) => Schema::load(path)?,
        None => Schema::builtin(),
    };
    match &args.units {
        Some(units) => {
            let registry = Registry::load(units, &schema)?;
            let dir = args
                .out_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from("bieu-mau"));
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("không tạo được thư mục {}", dir.display()))?;
            let units: Vec<_> = match args.period {
                Some(p) => registry.expected(p).collect(),
                None => registry.units().iter().collect(),
            };
            let filled: Vec<PathBuf> = units
                .iter()
                .map(|unit| dir.join(template::file_name(unit)))
                .filter(|path| template::holds_figures(path, &schema))
                .collect();
            if let Some(first) = filled.first() {
                anyhow::bail!(
                    "{} tệp trong {} đã có số liệu (ví dụ {}), có thể là báo cáo đơn vị đã gửi về; không ghi đè bằng biểu mẫu trống, hãy chọn thư mục khác (--out-dir)",
                    filled.len(),
                    dir.display(),
                    first.display()
                );
            }
            for unit in &units {
                let prefill = Prefill {
                    period: args.period,
                    unit: Some(unit),
                    ..Prefill::default()
                };
                let bytes = template::form(&schema, &prefill).context("không tạo được biểu mẫu")?;
                atomic::write(&dir.join(template::file_name(unit)), &bytes)?;
            }
            eprintln!(
                "Đã tạo {} biểu mẫu trong thư mục {}.",
                units.len(),
                dir.display()
            );
        }
        None => {
            let out = args.out.clone().unwrap_or_else(|| match args.period {
                Some(p) => PathBuf::from(format!("bieu-mau-{p}.xlsx")),
                None => PathBuf::from("bieu-mau-qcdc.xlsx"),
            });
            atomic::ensure_not_input(&out, &args.schema.iter().cloned().collect::<Vec<_>>())?;
            let prefill = Prefill {
                period: args.period,
                ..Prefill::default()
            };
            atomic::write(
                &out,
                &template::form(&schema, &prefill).context("không tạo được biểu mẫu")?,
            )?;
            eprintln!("Đã tạo biểu mẫu {}.", out.display());
        }
    }
    Ok(Exit::Success)
}
