//! Why an admonishment command was refused.

use chrono::{DateTime, Utc};

use crate::assessment::Grade;
use crate::failure::DomainError;
use crate::publication::PublicationKind;
use crate::values::{AdmonishmentId, CampaignId, PublicationId};

use super::evidence::AdmonishmentRule;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AdmonishmentError {
    #[error("unknown campaign {campaign}")]
    UnknownCampaign { campaign: CampaignId },
    #[error("cannot {request} an admonishment that is {state}")]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("an admonishment needs at least one reason")]
    MissingReasons,
    #[error("a policy admonishment at this publication of this unit is {expected}, not {named}")]
    WrongStream {
        named: AdmonishmentId,
        expected: String,
    },
    #[error("a policy admonishment lists at least one rule that fired")]
    MissingFindings,
    #[error("the {} rule is listed twice", rule.as_str())]
    RuleTwice { rule: AdmonishmentRule },
    #[error("{publication} is not a publication of the kind and scope named")]
    PublicationMismatch { publication: PublicationId },
    #[error("the {} rule is evaluated at {needs}, not at a {}", rule.as_str(), kind.as_str())]
    RuleNotAtPublication {
        rule: AdmonishmentRule,
        kind: PublicationKind,
        needs: &'static str,
    },
    #[error("the campaign does not admonish by the {} rule", rule.as_str())]
    RuleDisabled { rule: AdmonishmentRule },
    #[error("the overdue-items rule needs at least {threshold} overdue items, got {overdue}")]
    BelowThreshold { overdue: f64, threshold: u32 },
    #[error("the overdue count is not full + mitigated × a mitigation factor within 0–1")]
    InconsistentOverdue,
    #[error("{overdue} overdue items counted against the unit, but {items} items named")]
    MissingItems { items: usize, overdue: u64 },
    #[error("the bottom-of-ranking evidence needs {needs}")]
    RankingEvidence { needs: &'static str },
    #[error("a {grade:?} grade (or a score that does not make a fail) is no fail")]
    NotFailed { grade: Grade },
    #[error("the talk must be scheduled in the future, not at {when}")]
    ScheduledInPast { when: DateTime<Utc> },
    #[error("the talk needs at least one official to conduct it")]
    MissingConductors,
    #[error("the talk is scheduled for {scheduled_for} and cannot have been held yet")]
    NotYetHeld { scheduled_for: DateTime<Utc> },
    #[error("a held talk needs at least one attendee")]
    MissingAttendees,
    #[error("{correction} is not a correction of the publication the admonishment rests on ({})", rests_on.as_ref().map_or("none", |p| p.as_str()))]
    NotACorrection {
        correction: PublicationId,
        rests_on: Option<PublicationId>,
    },
    #[error("the talk with unit {unit} is held with its head ({head:?}), who is not among the attendees")]
    HeadNotAttending {
        unit: crate::values::UnitId,
        head: Option<crate::values::PersonId>,
    },
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory (or another port) did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl AdmonishmentError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::HeadNotAttending { .. } => "admonishment.head_not_attending",
            Self::Forbidden(_) => "admonishment.forbidden",
            Self::Unavailable(_) => "admonishment.unavailable",
            AdmonishmentError::UnknownCampaign { .. } => "admonishment.unknown_campaign",
            AdmonishmentError::InvalidTransition { .. } => "admonishment.invalid_transition",
            AdmonishmentError::MissingReasons => "admonishment.missing_reasons",
            AdmonishmentError::WrongStream { .. } => "admonishment.wrong_stream",
            AdmonishmentError::MissingFindings => "admonishment.missing_findings",
            AdmonishmentError::RuleTwice { .. } => "admonishment.rule_twice",
            AdmonishmentError::PublicationMismatch { .. } => "admonishment.publication_mismatch",
            AdmonishmentError::RuleNotAtPublication { .. } => {
                "admonishment.rule_not_at_publication"
            }
            AdmonishmentError::RuleDisabled { .. } => "admonishment.rule_disabled",
            AdmonishmentError::BelowThreshold { .. } => "admonishment.below_threshold",
            AdmonishmentError::InconsistentOverdue => "admonishment.inconsistent_overdue",
            AdmonishmentError::MissingItems { .. } => "admonishment.missing_items",
            AdmonishmentError::RankingEvidence { .. } => "admonishment.ranking_evidence",
            AdmonishmentError::NotFailed { .. } => "admonishment.not_failed",
            AdmonishmentError::ScheduledInPast { .. } => "admonishment.scheduled_in_past",
            AdmonishmentError::MissingConductors => "admonishment.missing_conductors",
            AdmonishmentError::NotYetHeld { .. } => "admonishment.not_yet_held",
            AdmonishmentError::MissingAttendees => "admonishment.missing_attendees",
            AdmonishmentError::NotACorrection { .. } => "admonishment.not_a_correction",
        }
    }
}

/// Every AdmonishmentError is a refusal by the rules, never a port's failure: the settings
/// this aggregate consults answer from memory and cannot fail.
impl DomainError for AdmonishmentError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        AdmonishmentError::code(self)
    }
}

impl From<crate::permission::Refused> for AdmonishmentError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
