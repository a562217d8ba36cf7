//! What happened to a care home.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;

use crate::event::PublicView;
use serde::{Deserialize, Serialize};

use crate::values::{CampaignId, Deadline, PersonId, Score, Stars, Text};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CareHomeEvent {
    Inspected {
        campaign: CampaignId,
        score: Score,
        /// The rating the fixed bands give the score, decided when recorded.
        stars: Stars,
        findings: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    RectificationOrdered {
        campaign: CampaignId,
        violations: Text,
        deadline: Deadline,
        /// 24:00 of the deadline in the campaign's time zone.
        due_at: DateTime<Utc>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    RectificationPassed {
        notes: Text,
        /// Recorded before the due instant.
        on_time: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
    RectificationFailed {
        notes: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 取消运营资格 — follows a failed rectification in the same commit.
    LicenceRevoked {
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

impl DomainEvent for CareHomeEvent {
    fn event_type(&self) -> String {
        match self {
            CareHomeEvent::Inspected { .. } => "rectiflow.care_home.inspected",
            CareHomeEvent::RectificationOrdered { .. } => {
                "rectiflow.care_home.rectification_ordered"
            }
            CareHomeEvent::RectificationPassed { .. } => "rectiflow.care_home.rectification_passed",
            CareHomeEvent::RectificationFailed { .. } => "rectiflow.care_home.rectification_failed",
            CareHomeEvent::LicenceRevoked { .. } => "rectiflow.care_home.licence_revoked",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        crate::event::FIRST_SCHEMA_VERSION.to_owned()
    }
}

crate::event::attributed!(CareHomeEvent {
    Inspected,
    RectificationOrdered,
    RectificationPassed,
    RectificationFailed,
    LicenceRevoked
});

/// Nothing in these events is sealed: the whole event is public.
impl PublicView for CareHomeEvent {}
