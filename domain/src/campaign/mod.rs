//! # Campaign (整治行动)
//!
//! A rectification campaign: its name, year and
//! [settings](crate::settings::CampaignSettings) (every number DOMAIN.md marks *configurable*),
//! and its task forces (专班, one per field) with their lead officials, member units and
//! item-code prefixes. Units and persons are not the campaign's: they belong to the
//! [organisation](crate::organisation), which outlives every campaign. Campaigns are
//! configuration: an administrator creates, changes and closes them.
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
//! The [`SettingsSource`](crate::services::SettingsSource) is served from this stream (from
//! [`CampaignEvent::CampaignCreated`] and [`CampaignEvent::SettingsChanged`], and the task
//! forces for the field a complaint, case, survey or alert belongs to).

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

pub use aggregate::{Campaign, TaskForce};
pub use closing::CampaignClosure;
pub use commands::{CampaignCommand, ItemPrefix, UnitKind};
pub use errors::CampaignError;
pub use events::CampaignEvent;
