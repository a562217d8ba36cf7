//! Why an alert command was refused.

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::values::{AlertId, AlertRef, CampaignId};

use super::aggregate::AlertStatus;
use super::commands::AlertCommand;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AlertError {
    #[error("整治行动 {campaign} 不存在")]
    UnknownCampaign { campaign: CampaignId },
    /// The platform pushed the same alert again: it is already here, once.
    #[error("预警 {reference} 已接收，不再重复接收")]
    Duplicate { reference: AlertRef },
    #[error("预警 {reference} 的编号应为 {expected}，而非 {named}")]
    WrongAlertId {
        reference: AlertRef,
        named: AlertId,
        expected: AlertId,
    },
    #[error(
        "预警处于“{}”状态，不能{}",
        AlertStatus::label_of(state),
        AlertCommand::label_of(request)
    )]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("该预警已研判处置")]
    AlreadyTriaged,
    #[error("排除预警须至少说明一条理由")]
    NoReasons,
    #[error("预警不能并入其自身")]
    MergeIntoItself,
    #[error("研判期限至 {triage_due} 届满，届满前不能记录超期未研判")]
    TriageNotYetDue { triage_due: DateTime<Utc> },
    #[error("超期未研判已记录")]
    TriageAlreadyMissed,
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory (or another port) did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl AlertError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forbidden(_) => "alert.forbidden",
            Self::Unavailable(_) => "alert.unavailable",
            AlertError::UnknownCampaign { .. } => "alert.unknown_campaign",
            AlertError::Duplicate { .. } => "alert.duplicate",
            AlertError::WrongAlertId { .. } => "alert.wrong_alert_id",
            AlertError::InvalidTransition { .. } => "alert.invalid_transition",
            AlertError::AlreadyTriaged => "alert.already_triaged",
            AlertError::NoReasons => "alert.no_reasons",
            AlertError::MergeIntoItself => "alert.merge_into_itself",
            AlertError::TriageNotYetDue { .. } => "alert.triage_not_yet_due",
            AlertError::TriageAlreadyMissed => "alert.triage_already_missed",
        }
    }
}

/// Every AlertError is a refusal by the rules: the aggregate needs no port that can fail.
impl DomainError for AlertError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        AlertError::code(self)
    }
}

impl From<crate::permission::Refused> for AlertError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
