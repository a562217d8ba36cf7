//! # Care home (养老机构): star rating, rectification, revocation, blacklist
//!
//! DOMAIN.md "Elderly care: stars and supervision" (星级评定+动态监管):
//! - An inspection scores three dimensions — facilities (硬件设施), services (服务内容), staff
//!   qualifications (人员资质) — weighted by the campaign's settings into a total of 0–100,
//!   which gives 1–5 stars by the campaign's bands ([`rate`]). The event keeps the weights and
//!   bands it used.
//! - A violation becomes an item with a deadline (限期整改): the rectification order names the
//!   item of the issue list that tracks it.
//! - A failed rectification escalates **up to** revocation of the licence (直至取消运营资格):
//!   the failure is a fact; revocation is an explicit decision (by the civil-affairs
//!   authority), allowed once a rectification has failed, and final.
//! - Violating homes go on the care-home blacklist (黑名单): listed with grounds and a period,
//!   only with a violation on record, and removed with a reason.

mod admission;
mod aggregate;
mod commands;
mod decide;
mod errors;
mod events;
mod rating;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{CareHome, CareHomeStatus, Listing, Rectification};
pub use commands::{CareHomeCommand, DimensionScores, RectificationOutcome};
pub use errors::CareHomeError;
pub use events::CareHomeEvent;
pub use rating::rate;
