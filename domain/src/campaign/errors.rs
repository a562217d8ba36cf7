//! Why a campaign command was refused. Each error has a stable dotted [code](CampaignError::code).

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::settings::Field;
use crate::values::{TaskForceId, UnitId, ValueError};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CampaignError {
    #[error("整治行动尚未创建")]
    NotFound,
    #[error("整治行动已存在")]
    AlreadyExists,
    #[error("整治行动年度 {0} 超出范围，应在 2000 至 2100 年之间")]
    InvalidYear(u16),
    #[error("设置有误：{0}")]
    InvalidSettings(ValueError),
    #[error("设置未作任何改动")]
    SettingsUnchanged,
    #[error("专班 {0} 已存在")]
    DuplicateTaskForce(TaskForceId),
    #[error("问题编号前缀 {prefix} 已由专班 {used_by} 使用")]
    DuplicatePrefix {
        prefix: String,
        used_by: TaskForceId,
    },
    /// One task force per field (DOMAIN.md, "Organisation").
    #[error(
        "“{}”领域已由专班 {covered_by} 负责，每个领域只设一个专班",
        field.label()
    )]
    FieldAlreadyCovered {
        field: Field,
        covered_by: TaskForceId,
    },
    /// A closed campaign's settings, task forces and members are final.
    #[error("整治行动已于 {closed_at} 收官并形成总结报告，不再接受任何变更")]
    Closed { closed_at: DateTime<Utc> },
    #[error("专班 {0} 不存在")]
    UnknownTaskForce(TaskForceId),
    #[error("单位 {unit} 已是专班 {task_force} 的成员单位")]
    AlreadyMember {
        task_force: TaskForceId,
        unit: UnitId,
    },
    #[error("单位 {0} 不存在")]
    UnknownUnit(UnitId),
    #[error("专班的问题类别目录至少须列明一项问题类别")]
    EmptyVocabulary,
    #[error("问题类别“{0}”已在专班的问题类别目录中")]
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
