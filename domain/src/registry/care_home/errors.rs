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
    #[error("the rectification deadline {} has already passed", deadline.date())]
    DeadlinePassed { deadline: Deadline },
    /// The home has until the deadline: a failure is judged only after it.
    #[error("the rectification runs until {due_at}; a failure can only be recorded after it")]
    RectificationStillRunning { due_at: DateTime<Utc> },
    /// Cannot happen with the fixed bands; kept so rating never panics.
    #[error("score {score} cannot be rated")]
    UnratableScore { score: f64 },
}

impl CareHomeError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            CareHomeError::UnknownCampaign { .. } => "care_home.unknown_campaign",
            CareHomeError::InvalidTransition { .. } => "care_home.invalid_transition",
            CareHomeError::DeadlinePassed { .. } => "care_home.deadline_passed",
            CareHomeError::RectificationStillRunning { .. } => {
                "care_home.rectification_still_running"
            }
            CareHomeError::UnratableScore { .. } => "care_home.unratable_score",
        }
    }
}

/// Every CareHomeError is a refusal by the rules, never a port's failure: the ports this aggregate
/// consults (settings, calendar, directory) answer from memory and cannot fail.
impl DomainError for CareHomeError {
    fn code(&self) -> &'static str {
        CareHomeError::code(self)
    }
}
