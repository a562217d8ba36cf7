//! # Care home (养老机构): star rating and rectification
//!
//! - A scored inspection (0–100) gives a star rating (星级) by fixed bands — see [`stars_for`].
//! - A violating home is ordered to rectify by a deadline (a local date, due by 24:00 in the
//!   campaign's time zone; the due instant is stored in the event).
//! - The result is recorded: passed (the home operates on), or failed — which revokes its
//!   licence to operate (取消运营资格). A failure can be recorded only once the deadline has
//!   passed (the home has until then), a pass at any time. A revoked home is rated no more.

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{stars_for, CareHome, CareHomeStatus, Rectification};
pub use commands::{CareHomeCommand, RectificationOutcome};
pub use errors::CareHomeError;
pub use events::CareHomeEvent;
