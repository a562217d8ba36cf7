//! Why a complaint command was refused.

use chrono::{DateTime, Utc};

use crate::failure::{DomainError, PortUnavailable};
use crate::permission::Party;
use crate::values::{CampaignId, PersonId, UnitId};

use super::aggregate::ComplaintStatus;
use super::commands::ComplaintCommand;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ComplaintError {
    #[error("整治行动 {campaign} 不存在")]
    UnknownCampaign { campaign: CampaignId },
    #[error("整治行动 {campaign} 未指定负责答复校园餐投诉的教育部门")]
    NoSchoolMealResponder { campaign: CampaignId },
    #[error(
        "投诉处于“{}”状态，不能{}",
        ComplaintStatus::label_of(state),
        ComplaintCommand::label_of(request)
    )]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    /// Use no identity at all for an anonymous complaint.
    #[error("投诉人身份信息须填写姓名或联系方式；匿名投诉请不填身份信息")]
    BlankIdentity,
    #[error("该投诉已答复")]
    AlreadyResponded,
    #[error("该投诉尚未答复，须先答复再办结")]
    NotResponded,
    #[error("答复期限至 {response_due} 届满，届满前不能记录超期未答复")]
    ResponseNotYetDue { response_due: DateTime<Utc> },
    #[error("超期未答复已记录")]
    ResponseAlreadyMissed,
    #[error("该投诉已由单位 {unit} 承办，无需转办")]
    AlreadyWithUnit { unit: UnitId },
    #[error("群众评价已记录")]
    FeedbackAlreadyRecorded,
    /// Erasure and reveal alike: once the key is gone there is nothing to erase or read.
    #[error("投诉人身份信息已销毁")]
    IdentityAlreadyErased,
    /// A reveal of a complaint under which nothing is sealed: every receipt seals the
    /// complaint's words, so this is a complaint that was never received.
    #[error("该投诉没有封存信息")]
    NothingSealed,
    #[error("{person} 不是承办单位 {unit} 的工作人员")]
    HandlerNotInUnit { person: PersonId, unit: UnitId },
    #[error("{0} 已是指定承办人")]
    AlreadyHandler(PersonId),
    #[error(
        "{actor} 无权对该投诉{}，须由{needs}办理",
        ComplaintCommand::label_of(request)
    )]
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
