//! Why a care-home command was refused.

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::values::{CampaignId, Deadline};

use super::aggregate::CareHomeStatus;
use super::commands::CareHomeCommand;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CareHomeError {
    #[error("整治行动 {campaign} 不存在")]
    UnknownCampaign { campaign: CampaignId },
    #[error(
        "养老机构处于“{}”状态，不能{}",
        CareHomeStatus::label_of(state),
        CareHomeCommand::label_of(request)
    )]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("期限 {} 已过", deadline.date())]
    DeadlinePassed { deadline: Deadline },
    /// The home has until the deadline: a failure is judged only after it.
    #[error("整改期限至 {due_at} 届满，届满后方可认定整改不合格")]
    RectificationStillRunning { due_at: DateTime<Utc> },
    /// Only a corrupt setting (weights that weigh nothing) can cause it.
    #[error("整治行动设置的养老机构评分权重无法计分，不能评定星级")]
    Unratable,
    /// Revocation is the end of an escalation: a rectification must have failed first.
    #[error("整改不合格后方可取消运营资格，该机构尚无不合格的整改")]
    NoFailedRectification,
    #[error("该机构无违规记录，不能列入黑名单")]
    NoViolation,
    #[error("该机构已列入黑名单，期限至 {}", until.date())]
    AlreadyBlacklisted { until: Deadline },
    #[error("该机构未列入黑名单")]
    NotBlacklisted,
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory (or another port) did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl CareHomeError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forbidden(_) => "care_home.forbidden",
            Self::Unavailable(_) => "care_home.unavailable",
            CareHomeError::UnknownCampaign { .. } => "care_home.unknown_campaign",
            CareHomeError::InvalidTransition { .. } => "care_home.invalid_transition",
            CareHomeError::DeadlinePassed { .. } => "care_home.deadline_passed",
            CareHomeError::RectificationStillRunning { .. } => {
                "care_home.rectification_still_running"
            }
            CareHomeError::Unratable => "care_home.unratable",
            CareHomeError::NoFailedRectification => "care_home.no_failed_rectification",
            CareHomeError::NoViolation => "care_home.no_violation",
            CareHomeError::AlreadyBlacklisted { .. } => "care_home.already_blacklisted",
            CareHomeError::NotBlacklisted => "care_home.not_blacklisted",
        }
    }
}

/// Every CareHomeError is a refusal by the rules, never a port's failure: the ports this aggregate
/// consults (settings) answer from memory and cannot fail.
impl DomainError for CareHomeError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        CareHomeError::code(self)
    }
}

impl From<crate::permission::Refused> for CareHomeError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
