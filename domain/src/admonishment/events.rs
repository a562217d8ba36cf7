//! What happened to an admonishment.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;

use crate::event::PublicView;
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
        by: PersonId,
        at: DateTime<Utc>,
    },
    Scheduled {
        when: DateTime<Utc>,
        place: Text,
        conducted_by: Vec<PersonId>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Held {
        attendees: Vec<PersonId>,
        minutes: Uri,
        /// The instant the talk had been scheduled for.
        scheduled_for: DateTime<Utc>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    FollowedUp {
        outcome: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 问责: the unit is referred for accountability; `unit` is copied for readers' convenience.
    ReferredForAccountability {
        unit: UnitId,
        earlier: AdmonishmentId,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

impl DomainEvent for AdmonishmentEvent {
    fn event_type(&self) -> String {
        match self {
            AdmonishmentEvent::Triggered { .. } => "rectiflow.admonishment.triggered",
            AdmonishmentEvent::Scheduled { .. } => "rectiflow.admonishment.scheduled",
            AdmonishmentEvent::Held { .. } => "rectiflow.admonishment.held",
            AdmonishmentEvent::FollowedUp { .. } => "rectiflow.admonishment.followed_up",
            AdmonishmentEvent::ReferredForAccountability { .. } => {
                "rectiflow.admonishment.referred_for_accountability"
            }
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        crate::event::FIRST_SCHEMA_VERSION.to_owned()
    }
}

crate::event::attributed!(AdmonishmentEvent {
    Triggered,
    Scheduled,
    Held,
    FollowedUp,
    ReferredForAccountability
});

/// Nothing in these events is sealed: the whole event is public.
impl PublicView for AdmonishmentEvent {}
