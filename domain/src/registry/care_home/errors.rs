//! Why a care-home command was refused.

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::values::{CampaignId, Deadline};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CareHomeError {
    #[error("unknown campaign {campaign}")]
    UnknownCampaign { campaign: CampaignId },
    #[error("cannot {request} a care home that is {state}")]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("the deadline {} has already passed", deadline.date())]
    DeadlinePassed { deadline: Deadline },
    /// The home has until the deadline: a failure is judged only after it.
    #[error("the rectification runs until {due_at}; a failure can only be recorded after it")]
    RectificationStillRunning { due_at: DateTime<Utc> },
    /// Only a corrupt setting (weights that weigh nothing) can cause it.
    #[error("the campaign's care-home weights leave nothing to weigh")]
    Unratable,
    /// Revocation is the end of an escalation: a rectification must have failed first.
    #[error("a licence is revoked only after a failed rectification; none has failed")]
    NoFailedRectification,
    #[error("the home can be blacklisted only with a violation on record")]
    NoViolation,
    #[error("the home is already on the blacklist until {}", until.date())]
    AlreadyBlacklisted { until: Deadline },
    #[error("the home is not on the blacklist")]
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
