//! Stage 5, write: the consolidation to the JSON summary, the long CSV and the
//! workbook. Every file is written whole or not at all ([`atomic`]).

pub mod atomic;
pub mod json;
pub mod long;
pub mod reminders;
pub mod report;
