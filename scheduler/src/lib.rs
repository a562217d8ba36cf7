//! # rectiflow-scheduler
//!
//! The campaign's rhythm — weekly dispatch (周调度), monthly bulletins (月通报), quarterly
//! assessments (季考核) — and every deadline, fired exactly once even with several processes.
//! See the crate's README for what it holds and how it plugs in.
//!
//! It depends on the domain and the engine only: schedules are aggregates driven through
//! [`rectiflow_engine::Executor`], due occurrences are found by consumers of the log
//! ([`rectiflow_engine::consumer`]), and all time comes from the domain's `Clock` port — so
//! no database driver is named here and a test can walk a quarter in milliseconds.
//!
//! - [`calendar`]: when things fire — cron expressions and working-day rules evaluated in the
//!   campaign's time zone on its working-day calendar, and the rhythm's built-in rules. Pure
//!   logic, no I/O.
//! - [`preview`]: every publication the rhythm would fire between two dates, and why then —
//!   what `rectiflow schedule preview` prints.
//! - [`firing`]: the schedules of every campaign, each occurrence fired (or skipped) once and
//!   its publications made once, by any number of processes; the loop `serve` runs.
//! - [`listing`]: a schedule as `rectiflow schedule list` shows it — its next fire times and
//!   what became of its last occurrence.
//! - [`watching`]: every item's deadline facts (签收 overdue, the warning window, 逾期) sent
//!   to the item when they fall due, read from a read model indexed by due instant.

pub mod calendar;
pub mod firing;
pub mod listing;
pub mod preview;
pub mod watching;
