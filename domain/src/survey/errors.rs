//! Why a survey command was refused.

use crate::failure::DomainError;
use crate::values::CampaignId;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SurveyError {
    #[error("unknown campaign {campaign}")]
    UnknownCampaign { campaign: CampaignId },
    #[error("cannot {request} a survey round that is {state}")]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("an aggregated score needs a sample of at least one respondent")]
    EmptySample,
}

impl SurveyError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            SurveyError::UnknownCampaign { .. } => "survey.unknown_campaign",
            SurveyError::InvalidTransition { .. } => "survey.invalid_transition",
            SurveyError::EmptySample => "survey.empty_sample",
        }
    }
}

/// Every SurveyError is a refusal by the rules, never a port's failure: the ports this aggregate
/// consults (settings, calendar, directory) answer from memory and cannot fail.
impl DomainError for SurveyError {
    fn code(&self) -> &'static str {
        SurveyError::code(self)
    }
}
