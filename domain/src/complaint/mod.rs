//! # Complaint (群众举报/投诉) and public supervision (群众监督)
//!
//! One stream per complaint, keyed by its [`ComplaintId`](crate::values::ComplaintId).
//!
//! - **First-receiver responsibility (首接负责制)**: the unit that receives a complaint stays
//!   accountable for it until it is closed, even when the complaint is transferred; the state
//!   keeps `first_receiver` apart from the unit currently handling it, and nothing changes it.
//! - **Response deadline**: computed once, when the complaint is received, from the campaign's
//!   settings, and stored in the [`ComplaintEvent::Received`] event — so a later change of
//!   settings or calendar never rewrites the past. See [`response_due`]. A working-day window
//!   counted over a year without a published holiday arrangement says so (`calendar_unknown`).
//! - **A missed response is a fact**: the scheduler issues
//!   [`ComplaintCommand::RecordResponseMissed`] at the due instant; it is recorded at most once
//!   and only if no response came in time.
//! - **Protection of complainants (保护举报人)**: the complainant's identity, their own words and
//!   their attachments never enter an event in clear — anonymous or not, since the words alone
//!   can name someone. They are sealed together by the
//!   [`IdentityVault`](crate::identity::IdentityVault) with the complaint's one key, held outside
//!   the log; events carry only the [`Sealed`](crate::identity::Sealed) part (key reference +
//!   ciphertext) and the receiver's redacted summary. Erasing the key
//!   ([`ComplaintCommand::EraseIdentity`]) forgets them for good while the log stays intact and
//!   verifiable (crypto-shredding).
//! - **Each reveal is a fact (查阅)**: only the secretariat of the field's task force and the
//!   handling unit's designated handler may read the sealed part. They ask with
//!   [`ComplaintCommand::Reveal`], which records [`ComplaintEvent::Revealed`] and decrypts
//!   nothing: the domain never holds a key. **Contract with the adapter**: it opens the vault
//!   for the requester only after the `Revealed` event has committed to the log, once per
//!   event, and never when the command was refused or its commit failed (a conflict, a store
//!   that did not answer). An opening that fails after the commit was still a reveal on
//!   record; nothing is opened without one.
//! - **Scope**: the receipt records the field's task force (if the campaign has one), so every
//!   event of the complaint names it in its metadata.

mod admission;
mod aggregate;
mod commands;
mod deadline;
mod decide;
mod errors;
mod events;
mod handler;
mod reveal;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{Complaint, ComplaintStatus, Receipt, ResponseRecord, SecretState};
pub use commands::{Channel, ComplaintCommand, FollowUp, Resolution};
pub use deadline::response_due;
pub use errors::ComplaintError;
pub use events::ComplaintEvent;
