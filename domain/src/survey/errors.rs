//! Why a survey command was refused.

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::settings::Field;
use crate::values::{CampaignId, SurveyId, ValueError};

use super::aggregate::SurveyStatus;
use super::commands::SurveyCommand;
use super::quarter::Quarter;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SurveyError {
    #[error("整治行动 {campaign} 不存在")]
    UnknownCampaign { campaign: CampaignId },
    /// The campaign has no task force for the round's field: no secretariat could record its
    /// scores or close it, so it is not opened (set the task force up first).
    #[error(
        "整治行动 {campaign} 未设{}专班，本轮测评无人组织，请先设立专班",
        field.label()
    )]
    NoTaskForce { campaign: CampaignId, field: Field },
    #[error(
        "满意度测评处于“{}”状态，不能{}",
        SurveyStatus::label_of(state),
        SurveyCommand::label_of(request)
    )]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("汇总得分的样本量至少应为 1 人")]
    EmptySample,
    /// The body names a round id other than the one its campaign, quarter, field and unit make.
    #[error("按该整治行动、季度、领域和单位，测评编号应为 {expected}，而非 {named}")]
    WrongRoundId { named: SurveyId, expected: SurveyId },
    /// No round id can be made of the campaign, quarter, field and unit (too long).
    #[error("无法为本轮测评生成编号：{reason}")]
    UnaddressableRound { reason: ValueError },
    /// A score is recorded within the round's quarter, not before it begins nor from its
    /// cut-off on.
    #[error("{quarter} 的得分须在该季度内录入，不能于 {at} 录入")]
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
