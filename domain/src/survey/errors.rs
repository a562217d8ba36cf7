//! Why a survey command was refused.

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::settings::Field;
use crate::values::{CampaignId, SurveyId, ValueError};

use super::quarter::Quarter;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SurveyError {
    #[error("unknown campaign {campaign}")]
    UnknownCampaign { campaign: CampaignId },
    /// The campaign has no task force for the round's field: no secretariat could record its
    /// scores or close it, so it is not opened (set the task force up first).
    #[error("campaign {campaign} has no task force for {field:?}: nobody could run the round")]
    NoTaskForce { campaign: CampaignId, field: Field },
    #[error("cannot {request} a survey round that is {state}")]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("an aggregated score needs a sample of at least one respondent")]
    EmptySample,
    /// The body names a round id other than the one its campaign, quarter, field and unit make.
    #[error("the round of these campaign, quarter, field and unit is {expected}, not {named}")]
    WrongRoundId { named: SurveyId, expected: SurveyId },
    /// No round id can be made of the campaign, quarter, field and unit (too long).
    #[error("no round id can be made for this round: {reason}")]
    UnaddressableRound { reason: ValueError },
    /// A score is recorded within the round's quarter, not before it begins nor from its
    /// cut-off on.
    #[error("a score for {quarter} cannot be recorded at {at}, outside the quarter")]
    OutsideQuarter { quarter: Quarter, at: DateTime<Utc> },
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory (or another port) did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl SurveyError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forbidden(_) => "survey.forbidden",
            Self::Unavailable(_) => "survey.unavailable",
            SurveyError::UnknownCampaign { .. } => "survey.unknown_campaign",
            SurveyError::NoTaskForce { .. } => "survey.no_task_force",
            SurveyError::InvalidTransition { .. } => "survey.invalid_transition",
            SurveyError::EmptySample => "survey.empty_sample",
            SurveyError::WrongRoundId { .. } => "survey.wrong_round_id",
            SurveyError::UnaddressableRound { .. } => "survey.unaddressable_round",
            SurveyError::OutsideQuarter { .. } => "survey.outside_quarter",
        }
    }
}

/// Every SurveyError is a refusal by the rules, never a port's failure: the ports this aggregate
/// consults (settings, calendar, directory) answer from memory and cannot fail.
impl DomainError for SurveyError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        SurveyError::code(self)
    }
}

impl From<crate::permission::Refused> for SurveyError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
