//! Why a campaign command was refused. Each error has a stable dotted [code](CampaignError::code).

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::settings::Field;
use crate::values::{TaskForceId, UnitId, ValueError};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CampaignError {
    #[error("the campaign does not exist yet")]
    NotFound,
    #[error("the campaign already exists")]
    AlreadyExists,
    #[error("campaign year {0} is out of range 2000..=2100")]
    InvalidYear(u16),
    #[error("invalid settings: {0}")]
    InvalidSettings(ValueError),
    #[error("the settings are unchanged")]
    SettingsUnchanged,
    #[error("task force {0} already exists")]
    DuplicateTaskForce(TaskForceId),
    #[error("item-code prefix {prefix} is already used by task force {used_by}")]
    DuplicatePrefix {
        prefix: String,
        used_by: TaskForceId,
    },
    /// One task force per field (DOMAIN.md, "Organisation").
    #[error(
        "field {field:?} is already covered by task force {covered_by}: one task force per field"
    )]
    FieldAlreadyCovered {
        field: Field,
        covered_by: TaskForceId,
    },
    /// A closed campaign's settings, task forces and members are final.
    #[error("the campaign was closed at {closed_at} with its final report; it accepts no further changes")]
    Closed { closed_at: DateTime<Utc> },
    #[error("unknown task force {0}")]
    UnknownTaskForce(TaskForceId),
    #[error("unit {unit} is already a member of task force {task_force}")]
    AlreadyMember {
        task_force: TaskForceId,
        unit: UnitId,
    },
    #[error("unknown unit {0}")]
    UnknownUnit(UnitId),
    #[error("a task force's vocabulary names at least one problem category")]
    EmptyVocabulary,
    #[error("category {0} is already in the vocabulary")]
    DuplicateCategory(crate::values::Text),
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl CampaignError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptyVocabulary => "campaign.empty_vocabulary",
            Self::DuplicateCategory(_) => "campaign.duplicate_category",
            Self::Forbidden(_) => "campaign.forbidden",
            Self::Unavailable(_) => "campaign.unavailable",
            Self::NotFound => "campaign.not_found",
            Self::AlreadyExists => "campaign.already_exists",
            Self::InvalidYear(_) => "campaign.invalid_year",
            Self::InvalidSettings(_) => "campaign.invalid_settings",
            Self::SettingsUnchanged => "campaign.settings_unchanged",
            Self::DuplicateTaskForce(_) => "campaign.duplicate_task_force",
            Self::DuplicatePrefix { .. } => "campaign.duplicate_prefix",
            Self::FieldAlreadyCovered { .. } => "campaign.field_already_covered",
            Self::Closed { .. } => "campaign.closed",
            Self::UnknownTaskForce(_) => "campaign.unknown_task_force",
            Self::AlreadyMember { .. } => "campaign.already_member",
            Self::UnknownUnit(_) => "campaign.unknown_unit",
        }
    }
}

/// Every CampaignError is a refusal by the rules, never a port's failure: the ports this aggregate
/// consults (settings, calendar, directory) answer from memory and cannot fail.
impl DomainError for CampaignError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        CampaignError::code(self)
    }
}
