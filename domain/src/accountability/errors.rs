//! Why an accountability command was refused.

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::values::{AccountabilityId, AdmonishmentId, CampaignId};

use super::commands::Outcome;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AccountabilityError {
    #[error("unknown campaign {campaign}")]
    UnknownCampaign { campaign: CampaignId },
    #[error("cannot {request} an accountability case that is {state}")]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("a proposal needs at least one ground")]
    NoGrounds,
    #[error("a proposal names the repeated-admonishment ground at most once")]
    RepeatedGroundTwice,
    #[error("a responsible person's role names at least one overdue item")]
    NoItemsForRole,
    #[error("{admonishment} cannot be both the earlier and the later admonishment")]
    SameAdmonishment { admonishment: AdmonishmentId },
    #[error(
        "the admonishments of {earlier} and {later} are not 0 < gap <= {window_days} days apart"
    )]
    OutsideReferralWindow {
        earlier: DateTime<Utc>,
        later: DateTime<Utc>,
        window_days: u32,
    },
    /// One case per person and occasion: the stream id is made of them.
    #[error("a case on a repeated admonishment must be {expected}, not {named}")]
    WrongCaseId {
        named: AccountabilityId,
        expected: AccountabilityId,
    },
    #[error("give at least one reason")]
    NoReasons,
    #[error("the case has already been decided")]
    AlreadyDecided,
    /// 主观过错 is never exempted or mitigated.
    #[error("subjective wrongdoing can never be exempted or mitigated")]
    NotExcusable,
    /// A 免责 ruling says the person is not liable; only 不予问责 says the same.
    #[error("an exempting 容错 ruling cannot come with the outcome {outcome:?}")]
    ExemptionContradictsOutcome { outcome: Outcome },
    #[error("{0} is not a person of the organisation")]
    UnknownPerson(crate::values::PersonId),
    #[error("{0} is not a unit of the organisation")]
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
