//! Given/when/then tests of the case aggregate: every command, its happy path and refusals.
//!
//! Shared fixtures in `fixtures`; one file per group of commands.

mod closing;
mod dismissal;
mod findings;
mod fixtures;
mod follow_up;
mod investigations;
mod joint_team;
mod opening;
mod outcome;
mod relapse;
mod repairs;
mod roles;
mod system_repair;
mod task_force;
mod wire;
