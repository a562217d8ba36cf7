//! # Admonishment (约谈提醒) and referral for accountability (问责)
//!
//! One stream per admonishment, keyed by its [`AdmonishmentId`](crate::values::AdmonishmentId).
//! An admonishment is triggered — by the system's policy at a bulletin or assessment cut-off,
//! or manually by the secretariat — then scheduled, held and followed up; each step is an event.
//!
//! The rules that decide *when* to admonish (3+ overdue non-exempt items; bottom of the overdue
//! ranking in consecutive bulletins; a failed assessment) and when a second admonishment within
//! two quarters (182 days, configurable) refers the unit for accountability are evaluated by the
//! projections' policies. This aggregate only records their decisions, with the evidence: the
//! bulletin or assessment they were read from and the items involved. The referral is its own
//! event on the *new* admonishment's stream, naming the earlier admonishment.

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{Admonishment, AdmonishmentStatus, Meeting, Referral};
pub use commands::{AdmonishmentCommand, AdmonishmentEvidence, AdmonishmentRule, EvidenceBasis};
pub use errors::AdmonishmentError;
pub use events::AdmonishmentEvent;
