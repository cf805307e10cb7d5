//! Ctrl-C and SIGTERM: an interrupted run removes the temporary files of the
//! outputs it had not yet put in place, says so, and ends with the shell's
//! usual status (130 for SIGINT, 143 for SIGTERM). Without this the process
//! would die with a hidden `.qcdc-XXXX.tmp` left in the output folder.

use signal_hook::consts::{SIGINT, SIGTERM};

/// Watches for the signals on a thread of its own, for the rest of the run.
pub fn clean_up_on_interrupt() {
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        // Without the handler the run still works; only an interrupt is untidy.
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Held until exit: no output is renamed into place after this.
            let _pending = qcdc::write::atomic::remove_pending();
            eprintln!(
                "qcdc: đã dừng theo yêu cầu ({}); các tệp kết quả chưa ghi xong đã được xóa, tệp cũ (nếu có) giữ nguyên.",
                if signal == SIGINT {
                    "Ctrl-C"
                } else {
                    "SIGTERM"
                }
            );
            std::process::exit(128 + signal);
        }
    });
}
