//! Why a complaint command was refused.

use chrono::{DateTime, Utc};

use crate::failure::{DomainError, PortUnavailable};
use crate::permission::Party;
use crate::values::{CampaignId, PersonId, UnitId};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ComplaintError {
    #[error("unknown campaign {campaign}")]
    UnknownCampaign { campaign: CampaignId },
    #[error(
        "campaign {campaign} names no education department to respond to school-meal complaints"
    )]
    NoSchoolMealResponder { campaign: CampaignId },
    #[error("cannot {request} a complaint that is {state}")]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    /// Use no identity at all for an anonymous complaint.
    #[error(
        "a complainant identity needs a name or a contact; leave it out for an anonymous complaint"
    )]
    BlankIdentity,
    #[error("the complaint has already been responded to")]
    AlreadyResponded,
    #[error("the complaint has not been responded to: respond before closing it")]
    NotResponded,
    #[error("the response is not due before {response_due}")]
    ResponseNotYetDue { response_due: DateTime<Utc> },
    #[error("the missed response has already been recorded")]
    ResponseAlreadyMissed,
    #[error("the complaint is already handled by {unit}")]
    AlreadyWithUnit { unit: UnitId },
    #[error("the complainant's feedback has already been recorded")]
    FeedbackAlreadyRecorded,
    /// Erasure and reveal alike: once the key is gone there is nothing to erase or read.
    #[error("the complainant's identity has already been erased")]
    IdentityAlreadyErased,
    /// A reveal of a complaint under which nothing is sealed: every receipt seals the
    /// complaint's words, so this is a complaint that was never received.
    #[error("nothing is sealed under this complaint")]
    NothingSealed,
    #[error("{person} is not a member of the handling unit {unit}")]
    HandlerNotInUnit { person: PersonId, unit: UnitId },
    #[error("{0} is already the designated handler")]
    AlreadyHandler(PersonId),
    #[error("{actor} may not {request} this complaint: it needs {needs}")]
    Forbidden {
        actor: PersonId,
        request: &'static str,
        needs: Party,
    },
    /// A port (the identity vault, the directory) did not answer: the port failed, the command
    /// was not refused.
    #[error(transparent)]
    Unavailable(PortUnavailable),
}

impl ComplaintError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            ComplaintError::HandlerNotInUnit { .. } => "complaint.handler_not_in_unit",
            ComplaintError::AlreadyHandler(_) => "complaint.already_handler",
            ComplaintError::UnknownCampaign { .. } => "complaint.unknown_campaign",
            ComplaintError::NoSchoolMealResponder { .. } => "complaint.no_school_meal_responder",
            ComplaintError::InvalidTransition { .. } => "complaint.invalid_transition",
            ComplaintError::BlankIdentity => "complaint.blank_identity",
            ComplaintError::AlreadyResponded => "complaint.already_responded",
            ComplaintError::NotResponded => "complaint.not_responded",
            ComplaintError::ResponseNotYetDue { .. } => "complaint.response_not_yet_due",
            ComplaintError::ResponseAlreadyMissed => "complaint.response_already_missed",
            ComplaintError::AlreadyWithUnit { .. } => "complaint.already_with_unit",
            ComplaintError::FeedbackAlreadyRecorded => "complaint.feedback_already_recorded",
            ComplaintError::IdentityAlreadyErased => "complaint.identity_already_erased",
            ComplaintError::NothingSealed => "complaint.nothing_sealed",
            ComplaintError::Forbidden { .. } => "complaint.forbidden",
            ComplaintError::Unavailable(_) => "complaint.unavailable",
        }
    }
}

/// Every ComplaintError is a refusal by the rules but one: the identity vault, the one port a
/// complaint needs that can fail, did not answer ([`ComplaintError::VaultUnavailable`]).
impl DomainError for ComplaintError {
    fn code(&self) -> &'static str {
        ComplaintError::code(self)
    }

    fn unavailable(&self) -> Option<&PortUnavailable> {
        match self {
            ComplaintError::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }
}
