//! A progress bar on stderr while files are read, only when stderr is a
//! terminal and stdout is not reserved for JSON.

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use std::io::IsTerminal;

/// A bar over `total` files, hidden when it would only be noise.
pub fn bar(total: usize, json: bool) -> ProgressBar {
    if json || !std::io::stderr().is_terminal() || total < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    let style = ProgressStyle::with_template(
        "{spinner} Đang đọc {pos}/{len} tệp [{bar:30}] {rate} tệp/giây, còn {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .with_key(
        "rate",
        |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}", state.per_sec());
        },
    )
    .progress_chars("=> ");
    bar.set_style(style);
    bar
}
