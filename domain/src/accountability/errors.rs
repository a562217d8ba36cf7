//! Why an accountability command was refused.

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::values::{AccountabilityId, AdmonishmentId, CampaignId};

use super::aggregate::AccountabilityStatus;
use super::commands::{AccountabilityCommand, Outcome};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AccountabilityError {
    #[error("整治行动 {campaign} 不存在")]
    UnknownCampaign { campaign: CampaignId },
    #[error(
        "问责案件处于“{}”状态，不能{}",
        AccountabilityStatus::label_of(state),
        AccountabilityCommand::label_of(request)
    )]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("问责建议须至少列明一项问责事由")]
    NoGrounds,
    #[error("一项问责建议只能列明一次“单位再次被约谈提醒”事由")]
    RepeatedGroundTwice,
    #[error("以责任人身份问责的，须列明至少一项其负责的逾期事项")]
    NoItemsForRole,
    #[error("{admonishment} 不能既是前一次又是后一次约谈提醒")]
    SameAdmonishment { admonishment: AdmonishmentId },
    #[error("两次约谈提醒的时点为 {earlier}、{later}：后一次须晚于前一次，且相隔不超过 {window_days} 天")]
    OutsideReferralWindow {
        earlier: DateTime<Utc>,
        later: DateTime<Utc>,
        window_days: u32,
    },
    /// One case per person and occasion: the stream id is made of them.
    #[error("因单位再次被约谈提醒提出的问责案件，编号应为 {expected}，而非 {named}")]
    WrongCaseId {
        named: AccountabilityId,
        expected: AccountabilityId,
    },
    #[error("须至少说明一条理由")]
    NoReasons,
    #[error("该问责案件已作出决定")]
    AlreadyDecided,
    /// 主观过错 is never exempted or mitigated.
    #[error("属主观过错的，一律不予免责或减轻责任")]
    NotExcusable,
    /// A 免责 ruling says the person is not liable; only 不予问责 says the same.
    #[error("已认定容错免责的，问责方式只能为不予问责，不能为“{}”", outcome.label())]
    ExemptionContradictsOutcome { outcome: Outcome },
    #[error("人员 {0} 不存在")]
    UnknownPerson(crate::values::PersonId),
    #[error("单位 {0} 不存在")]
    UnknownUnit(crate::values::UnitId),
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory (or another port) did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl AccountabilityError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownPerson(_) => "accountability.unknown_person",
            Self::UnknownUnit(_) => "accountability.unknown_unit",
            Self::Forbidden(_) => "accountability.forbidden",
            Self::Unavailable(_) => "accountability.unavailable",
            AccountabilityError::UnknownCampaign { .. } => "accountability.unknown_campaign",
            AccountabilityError::InvalidTransition { .. } => "accountability.invalid_transition",
            AccountabilityError::NoGrounds => "accountability.no_grounds",
            AccountabilityError::RepeatedGroundTwice => "accountability.repeated_ground_twice",
            AccountabilityError::NoItemsForRole => "accountability.no_items_for_role",
            AccountabilityError::SameAdmonishment { .. } => "accountability.same_admonishment",
            AccountabilityError::OutsideReferralWindow { .. } => {
                "accountability.outside_referral_window"
            }
            AccountabilityError::WrongCaseId { .. } => "accountability.wrong_case_id",
            AccountabilityError::NoReasons => "accountability.no_reasons",
            AccountabilityError::AlreadyDecided => "accountability.already_decided",
            AccountabilityError::NotExcusable => "accountability.not_excusable",
            AccountabilityError::ExemptionContradictsOutcome { .. } => {
                "accountability.exemption_contradicts_outcome"
            }
        }
    }
}

/// Every AccountabilityError is a refusal by the rules: the aggregate needs no port that can
/// fail.
impl DomainError for AccountabilityError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        AccountabilityError::code(self)
    }
}

impl From<crate::permission::Refused> for AccountabilityError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
