//! What happened to a care home.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
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
        inspected_by: PersonId,
        inspected_at: DateTime<Utc>,
    },
    RectificationOrdered {
        campaign: CampaignId,
        violations: Text,
        deadline: Deadline,
        /// 24:00 of the deadline in the campaign's time zone.
        due_at: DateTime<Utc>,
        ordered_by: PersonId,
        ordered_at: DateTime<Utc>,
    },
    RectificationPassed {
        notes: Text,
        /// Recorded before the due instant.
        on_time: bool,
        recorded_by: PersonId,
        recorded_at: DateTime<Utc>,
    },
    RectificationFailed {
        notes: Text,
        recorded_by: PersonId,
        recorded_at: DateTime<Utc>,
    },
    /// 取消运营资格 — follows a failed rectification in the same commit.
    LicenceRevoked {
        reason: Text,
        revoked_at: DateTime<Utc>,
    },
}

impl DomainEvent for CareHomeEvent {
    fn event_type(&self) -> String {
        match self {
            CareHomeEvent::Inspected { .. } => "Inspected",
            CareHomeEvent::RectificationOrdered { .. } => "RectificationOrdered",
            CareHomeEvent::RectificationPassed { .. } => "RectificationPassed",
            CareHomeEvent::RectificationFailed { .. } => "RectificationFailed",
            CareHomeEvent::LicenceRevoked { .. } => "LicenceRevoked",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0".to_owned()
    }
}
