//! Why an alert command was refused.

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::values::{AlertId, AlertRef, CampaignId};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AlertError {
    #[error("unknown campaign {campaign}")]
    UnknownCampaign { campaign: CampaignId },
    /// The platform pushed the same alert again: it is already here, once.
    #[error("alert {reference} has already been received")]
    Duplicate { reference: AlertRef },
    #[error("alert {reference} belongs on stream {expected}, not {named}")]
    WrongAlertId {
        reference: AlertRef,
        named: AlertId,
        expected: AlertId,
    },
    #[error("cannot {request} an alert that is {state}")]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("the alert has already been triaged")]
    AlreadyTriaged,
    #[error("a dismissal gives at least one reason")]
    NoReasons,
    #[error("an alert cannot be merged into itself")]
    MergeIntoItself,
    #[error("triage is not due before {triage_due}")]
    TriageNotYetDue { triage_due: DateTime<Utc> },
    #[error("the missed triage has already been recorded")]
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
