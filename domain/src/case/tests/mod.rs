//! Given/when/then tests of the case aggregate: every command, its happy path and refusals.
//!
//! Shared fixtures in `fixtures`; one file per group of commands.

mod closing;
mod fixtures;
mod follow_up;
mod investigations;
mod opening;
mod repairs;
mod wire;
