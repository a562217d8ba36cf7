//! # Accountability (问责) of persons
//!
//! One stream per case against one cadre, keyed by an
//! [`AccountabilityId`](crate::values::AccountabilityId). See DOMAIN.md "Admonishment and
//! accountability" and "Fault tolerance (容错纠错)".
//!
//! - **Proposed** by a policy (`policy:<name>`) or by a secretariat, with at least one
//!   [`Ground`]: 推诿扯皮, 敷衍塞责, a false sign-off (naming the item), or a repeated
//!   admonishment of the person's unit — the two admonishments and the cut-offs they rest on,
//!   0 < gap ≤ `admonishment.referral_window_days` (182 by default, read from the settings in
//!   force and recorded in the event), and the person's [`Role`].
//! - **One case per person and occasion**: a case on a repeated admonishment lives on
//!   [`AccountabilityId::for_occasion`](crate::values::AccountabilityId::for_occasion)
//!   (`accountability~<person>~<later admonishment>`), so the store refuses a second. "None
//!   while that person already has one open" spans every case of the person: this stream
//!   cannot see the others, so the policy enforces it from a projection of open cases
//!   ([`Accountability::is_open`]).
//! - **Decided once** by discipline inspection with an [`Outcome`] and reasons, optionally with
//!   a 容错 ruling whose episode is the case itself. Subjective wrongdoing (主观过错) is never
//!   exempted or mitigated; an exemption (免责) comes only with 不予问责.
//! - **Withdrawn** before the decision with reasons (e.g. the proposal was mistaken).
//! - **Deductions**: a decided case whose outcome is not 不予问责 deducts points
//!   ([`Accountability::deducts`]) in the quarter of [`Accountability::decided_at`], from
//!   [`Accountability::charged_unit`] — the unit the person belonged to when the grounds arose.
//!
//! No role check here yet: the organisation-and-roles port adds them; `decide` keeps the actor
//! at hand for it.

mod admission;
mod aggregate;
mod commands;
mod decide;
mod errors;
mod events;
mod window;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{Accountability, AccountabilityStatus, CaseFile, Decision};
pub use commands::{
    AccountabilityCommand, AdmonishmentBasis, FaultToleranceRuling, Ground, Outcome, Proposal, Role,
};
pub use errors::AccountabilityError;
pub use events::{AccountabilityEpisode, AccountabilityEvent, RecordedRuling};
pub use window::check_window;

use crate::values::{AccountabilityId, AdmonishmentId, PersonId};

/// The stream of the case the policy proposes against `person` on the occasion of `later`
/// (see [`AccountabilityId::for_occasion`]).
pub fn occasion_id(person: &PersonId, later: &AdmonishmentId) -> AccountabilityId {
    AccountabilityId::for_occasion(person, later)
}
