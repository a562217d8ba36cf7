//! Given/when/then tests of the item aggregate: every command, its happy path and each refusal,
//! the derived colour, and the deadline arithmetic across weekends and holidays.
//!
//! Shared fixtures in `fixtures`; one file per group of commands.

mod boundaries;
mod carry_over;
mod carry_over_target;
mod clock_stops;
mod colour;
mod deadline_facts;
mod extensions;
mod fault_tolerance;
mod fixtures;
mod outcome;
mod oversight;
mod progress;
mod reassignment;
mod registration;
mod reinspection;
mod roles;
mod settings_used;
mod sign_off;
mod skipped_midnight;
mod task_force;
mod timeline;
mod unknown_year;
mod wire;
mod working_days;
