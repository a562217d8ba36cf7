//! # rectiflow-domain
//!
//! The rules of a rectification campaign (群腐整治), written as [cqrs-es](cqrs_es) aggregates.
//!
//! This crate is pure: it performs no I/O, reads no wall clock and names no database or web
//! framework. Everything that would need the outside world comes in through a port:
//! - the instant and the actor of a command are stamped by the executor ([`Command`], [`Stamp`]);
//! - working days come from a [`calendar::WorkingCalendar`] — in a campaign, a
//!   [`calendar::CountyCalendar`]: China's statutory arrangement, vendored per year, with the
//!   county's own declarations (the [`calendar::overrides`] aggregate) on top;
//! - unit membership comes from a [`directory::Directory`];
//! - complainants' identities are sealed by an [`identity::IdentityVault`];
//! - campaign settings come from a [`services::SettingsSource`].
//!
//! So a test can walk a whole quarter of a campaign in virtual time, and a later change of the
//! calendar never rewrites the past: due instants are computed in `handle` and stored in events,
//! with a flag when they were counted over a year China has not published an arrangement for.
//!
//! Every aggregate's error implements [`DomainError`]: a stable code, and whether the command
//! was refused by the rules (the sender's to fix) or a port it needed failed
//! ([`PortUnavailable`], the operator's).

mod addressing;
pub mod assessment;
pub mod calendar;
pub mod clock;
pub mod command;
pub mod directory;
pub mod event;
pub mod failure;
pub mod fault;
pub mod fold;
pub mod handling;
pub mod identity;
pub mod permission;
pub mod services;
pub mod settings;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod values;

// Aggregates.
pub mod accountability;
pub mod admonishment;
pub mod alert;
pub mod campaign;
pub mod case;
pub mod complaint;
pub mod item;
pub mod organisation;
pub mod publication;
pub mod reading;
pub mod registry;
pub mod schedule;
pub mod survey;

pub use command::{Addressed, Command, Stamp};
pub use event::Attributed;
pub use failure::{DomainError, PortUnavailable};
pub use fold::FoldVersion;
