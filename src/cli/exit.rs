//! Exit statuses, as scripts rely on them.

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: the job is done (warnings, late or missing units included).
    Success,
    /// 1: the job is done and found errors (`validate`; `aggregate --strict`).
    Findings,
    /// 2: the job could not be done (bad arguments, unreadable registry,
    /// output not writable).
    Failure,
}

impl Exit {
    /// `Findings` when there are errors, else `Success`.
    pub fn from_errors(errors: usize) -> Exit {
        if errors > 0 {
            Exit::Findings
        } else {
            Exit::Success
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(match e {
            Exit::Success => 0,
            Exit::Findings => 1,
            Exit::Failure => 2,
        })
    }
}
