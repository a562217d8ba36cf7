//! # The organisation (组织): units, persons, heads and roles — outliving any campaign
//!
//! A county's departments, townships, schools, hospitals, care homes and enterprises, the
//! people in them, who heads each unit (一把手, the person an admonishment talk is held with)
//! and which roles each person holds (DOMAIN.md, "Roles and permissions"). One stream for the
//! county: aggregate type `"organisation"`, stream id [`ORGANISATION`].
//!
//! Roles are domain rules, not only HTTP rules: every aggregate checks the actor of a command
//! against the organisation *at its latest version*, served by the
//! [`Directory`](crate::directory::Directory) port — a role granted a moment ago is honoured on
//! every node, and a revoked one is refused at once.
//!
//! - The organisation is **bootstrapped** once, naming its first admin; from then on only an
//!   admin changes it. An admin passes no domain role check (DOMAIN.md: "infrastructure only").
//! - A person belongs to one unit at a time; a move is a fact, so "the unit the person
//!   belonged to when the grounds arose" stays answerable from the log.
//! - A unit's head is one of its persons; a head who moves away stops being its head.
//! - System actors (`policy:<name>`, `schedule:<id>`) are not persons of the organisation:
//!   they are recognised by their id ([`SystemActor`]) and may issue only the commands their
//!   rule names.

mod acting;
mod aggregate;
mod commands;
mod errors;
mod events;
mod roles;
mod state;

#[cfg(test)]
mod tests;

pub use acting::Acting;
pub use commands::{OrganisationCommand, UnitKind};
pub use errors::OrganisationError;
pub use events::OrganisationEvent;
pub use roles::{IntegratorKind, Role, SystemActor};
pub use state::{Organisation, Person, Unit};

/// The id of the county's organisation stream: there is one organisation per deployment.
pub const ORGANISATION: &str = "organisation";
