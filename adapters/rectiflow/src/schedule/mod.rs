//! The campaign's rhythm in the service: the scheduler and the deadline watcher `serve` runs
//! ([`firing`], [`watching`]), and the
//! `rectiflow schedule` commands — `preview` (what the rhythm would fire between two dates)
//! and `list` (each campaign's schedules, their next fire times and last outcomes).

pub mod cli;
pub mod firing;
pub mod list;
mod preview;
pub mod watching;

pub use preview::{preview_campaign, preview_default, preview_on, table};
