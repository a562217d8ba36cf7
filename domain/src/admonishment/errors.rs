//! Why an admonishment command was refused.

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::values::{AdmonishmentId, CampaignId};

use super::commands::AdmonishmentRule;

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
    #[error("the {} rule needs {needs} as evidence", rule.as_str())]
    EvidenceMismatch {
        rule: AdmonishmentRule,
        needs: &'static str,
    },
    #[error("the overdue-items rule needs at least {threshold} overdue items, got {items}")]
    BelowThreshold { items: usize, threshold: u32 },
    #[error("the talk must be scheduled in the future, not at {when}")]
    ScheduledInPast { when: DateTime<Utc> },
    #[error("the talk needs at least one official to conduct it")]
    MissingConductors,
    #[error("the talk is scheduled for {scheduled_for} and cannot have been held yet")]
    NotYetHeld { scheduled_for: DateTime<Utc> },
    #[error("a held talk needs at least one attendee")]
    MissingAttendees,
    #[error("the unit has already been referred for accountability by this admonishment")]
    AlreadyReferred,
    #[error("admonishment {earlier} cannot be its own earlier admonishment")]
    SelfReference { earlier: AdmonishmentId },
}

impl AdmonishmentError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            AdmonishmentError::UnknownCampaign { .. } => "admonishment.unknown_campaign",
            AdmonishmentError::InvalidTransition { .. } => "admonishment.invalid_transition",
            AdmonishmentError::MissingReasons => "admonishment.missing_reasons",
            AdmonishmentError::EvidenceMismatch { .. } => "admonishment.evidence_mismatch",
            AdmonishmentError::BelowThreshold { .. } => "admonishment.below_threshold",
            AdmonishmentError::ScheduledInPast { .. } => "admonishment.scheduled_in_past",
            AdmonishmentError::MissingConductors => "admonishment.missing_conductors",
            AdmonishmentError::NotYetHeld { .. } => "admonishment.not_yet_held",
            AdmonishmentError::MissingAttendees => "admonishment.missing_attendees",
            AdmonishmentError::AlreadyReferred => "admonishment.already_referred",
            AdmonishmentError::SelfReference { .. } => "admonishment.self_reference",
        }
    }
}

/// Every AdmonishmentError is a refusal by the rules, never a port's failure: the ports this aggregate
/// consults (settings, calendar, directory) answer from memory and cannot fail.
impl DomainError for AdmonishmentError {
    fn code(&self) -> &'static str {
        AdmonishmentError::code(self)
    }
}
