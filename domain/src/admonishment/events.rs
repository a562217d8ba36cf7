//! What happened to an admonishment.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use crate::values::{AdmonishmentId, CampaignId, PersonId, Text, UnitId, Uri};

use super::commands::{AdmonishmentEvidence, AdmonishmentRule};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AdmonishmentEvent {
    Triggered {
        admonishment: AdmonishmentId,
        campaign: CampaignId,
        unit: UnitId,
        rule: AdmonishmentRule,
        reasons: Vec<Text>,
        evidence: AdmonishmentEvidence,
        triggered_by: PersonId,
        triggered_at: DateTime<Utc>,
    },
    Scheduled {
        when: DateTime<Utc>,
        place: Text,
        conducted_by: Vec<PersonId>,
        scheduled_by: PersonId,
        scheduled_at: DateTime<Utc>,
    },
    Held {
        attendees: Vec<PersonId>,
        minutes: Uri,
        /// The instant the talk had been scheduled for.
        scheduled_for: DateTime<Utc>,
        recorded_by: PersonId,
        recorded_at: DateTime<Utc>,
    },
    FollowedUp {
        outcome: Text,
        recorded_by: PersonId,
        recorded_at: DateTime<Utc>,
    },
    /// 问责: the unit is referred for accountability; `unit` is copied for readers' convenience.
    ReferredForAccountability {
        unit: UnitId,
        earlier: AdmonishmentId,
        reason: Text,
        referred_by: PersonId,
        referred_at: DateTime<Utc>,
    },
}

impl DomainEvent for AdmonishmentEvent {
    fn event_type(&self) -> String {
        match self {
            AdmonishmentEvent::Triggered { .. } => "Triggered",
            AdmonishmentEvent::Scheduled { .. } => "Scheduled",
            AdmonishmentEvent::Held { .. } => "Held",
            AdmonishmentEvent::FollowedUp { .. } => "FollowedUp",
            AdmonishmentEvent::ReferredForAccountability { .. } => "ReferredForAccountability",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0".to_owned()
    }
}
