//! # Admonishment (约谈提醒)
//!
//! One stream per admonishment. An admonishment is triggered — by the policy at a published
//! bulletin or assessment, or manually by the secretariat — then scheduled, held with the unit
//! head and followed up; each step is an event.
//!
//! - **One per publication and unit**: the policy's admonishment is keyed by
//!   [`admonishment_id`] (`publication~unit`) and lists every rule that fired, so a retried
//!   policy cannot admonish twice. The secretariat's own admonishments take a free id and may
//!   name a publication or not.
//! - **Resting on a publication**: the trigger names the publication (stream id, kind, scope,
//!   cut-off) and, per rule, the evidence a reader needs to check it: the overdue counts (in
//!   full, mitigated, exempted) and the mitigation factor; the ranking positions in each of
//!   the consecutive bulletins; the score and grade of a fail. The ≥ N overdue and
//!   bottom-of-ranking rules fire only at county-wide monthly bulletins, "fail" only at
//!   assessments. Which units the rules pick is the policy's to compute; this aggregate
//!   checks the evidence holds under the rules in force, and records them.
//! - **Withdrawal (撤销)**: a secretariat may withdraw an admonishment with reasons — typically
//!   one resting on a publication since corrected, which DOMAIN.md says stands unless the
//!   secretariat withdraws it; the event then names the correction. Only before the talk is
//!   held: once held, the talk happened and is followed up, not undone (refused as an invalid
//!   transition from `held` / `followed_up`); and only once. A withdrawn admonishment counts
//!   for nothing: [`Admonishment::window_instant`] is `None`, so it is neither a first nor a
//!   second admonishment within 182 days, nor an assessment deduction.
//! - **Accountability (问责) is not here**: a unit's second admonishment within 182 days,
//!   measured between the instants of [`Admonishment::window_instant`], proposes
//!   accountability of persons in the accountability aggregate.

mod admission;
mod aggregate;
mod commands;
mod decide;
mod errors;
mod events;
mod evidence;
mod id;
mod trigger;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{Admonishment, AdmonishmentStatus, Meeting, Withdrawal};
pub use commands::AdmonishmentCommand;
pub use errors::AdmonishmentError;
pub use events::AdmonishmentEvent;
pub use evidence::{AdmonishmentRule, Basis, Finding, PublicationRef, RankingPosition};
pub use id::admonishment_id;
