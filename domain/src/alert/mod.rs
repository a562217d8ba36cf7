//! # Data alerts (数据预警) of the medical-insurance monitoring platform (医保智能监控)
//!
//! One stream per alert, keyed by [`AlertId::of_reference`](crate::values::AlertId::of_reference)
//! of the platform's own reference (`alert~<reference>`): a re-pushed alert lands on the stream
//! it already has and is refused as a duplicate ([`AlertError::Duplicate`]), so none is lost
//! (every push is recorded or answered "already here") and none is doubled. See DOMAIN.md
//! "Data alerts".
//!
//! - **Received** with the platform's reference, the institution it is about, a summary, the
//!   amount involved ([`Yuan`](crate::values::Yuan)), the platform's raised-at instant and the
//!   campaign. The triage deadline is computed then ([`triage_due`]) from the campaign's
//!   `alert_triage_working_days` (3 by default), time zone and working-day calendar, and stored
//!   in the event with the window and `calendar_unknown` — a later change of settings or
//!   calendar never rewrites it.
//! - **Triaged** (研判) once: dismissed with reasons, merged into another alert (never itself),
//!   or escalated to a clue or an item. Triage at or after the due instant is recorded late.
//! - **A missed triage is a fact** ([`AlertEvent::TriageMissed`]), effective at the due
//!   instant: recorded once, by the schedule from the due instant on while the alert is
//!   untriaged, or ahead of a late triage if the schedule has not run — whichever comes first.

mod admission;
mod aggregate;
mod commands;
mod deadline;
mod decide;
mod errors;
mod events;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{Alert, AlertReceipt, AlertStatus, TriageRecord};
pub use commands::{AlertCommand, AlertPush, Triage};
pub use deadline::triage_due;
pub use errors::AlertError;
pub use events::AlertEvent;

use crate::values::{AlertId, AlertRef};

/// The stream of the alert the platform calls `reference` (see [`AlertId::of_reference`]).
pub fn alert_id(reference: &AlertRef) -> AlertId {
    AlertId::of_reference(reference)
}
