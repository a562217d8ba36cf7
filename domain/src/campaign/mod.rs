//! # Campaign (整治行动)
//!
//! The organisation a rectification campaign runs on: its name, year and
//! [settings](crate::settings::CampaignSettings) (every number DOMAIN.md marks *configurable*),
//! its task forces (专班, one per field) with their lead officials, member units and item-code
//! prefixes, the units (单位) that own items, and the responsible persons (责任人) in them.
//! It ends with a final report (收官, [`CampaignCommand::CloseCampaign`]); from then on it is
//! [closed](Campaign::is_closed) and what it owns no longer changes.
//!
//! Stream: aggregate type [`Campaign::TYPE`](cqrs_es::Aggregate::TYPE) = `"campaign"`, stream id =
//! the [`CampaignId`](crate::values::CampaignId).
//!
//! Why settings changes are events and never edits: items record the instants computed from
//! the settings in force when they were decided, and bulletins must be reproducible, so the
//! history of settings is kept and a change only affects decisions taken after it.
//!
//! Adapters keep two caches current from this stream: the
//! [`SettingsSource`](crate::services::SettingsSource) (from [`CampaignEvent::CampaignCreated`]
//! and [`CampaignEvent::SettingsChanged`]) and the [`Directory`](crate::directory::Directory)
//! (from [`CampaignEvent::PersonRegistered`] and [`CampaignEvent::PersonMoved`]).

mod aggregate;
mod closing;
mod commands;
mod errors;
mod events;
mod task_force;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{Campaign, Person, TaskForce, Unit};
pub use closing::CampaignClosure;
pub use commands::{CampaignCommand, ItemPrefix, UnitKind};
pub use errors::CampaignError;
pub use events::CampaignEvent;
