//! What happened to a complaint. No event ever holds the complainant's identity in clear:
//! only the [`SealedIdentity`] the vault returned.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use crate::identity::SealedIdentity;
use crate::settings::{Field, ResponseWindow};
use crate::values::{CampaignId, ComplaintId, EvidenceRef, PersonId, Rating, Text, UnitId};

use super::commands::{Channel, Resolution};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ComplaintEvent {
    Received {
        complaint: ComplaintId,
        campaign: CampaignId,
        channel: Channel,
        field: Field,
        content: Text,
        attachments: Vec<EvidenceRef>,
        /// The first receiver (首接负责制), accountable until the complaint is closed.
        receiving_unit: UnitId,
        /// `None` for an anonymous complaint.
        complainant: Option<SealedIdentity>,
        received_by: PersonId,
        received_at: DateTime<Utc>,
        /// The window in force at receipt, and the due instant computed from it.
        response_window: ResponseWindow,
        response_due: DateTime<Utc>,
        /// Counting a working-day window looked at a day of a year without a published
        /// holiday arrangement (Monday–Friday assumed).
        calendar_unknown: bool,
    },
    Responded {
        /// The unit handling the complaint when it responded.
        unit: UnitId,
        response: Text,
        responded_by: PersonId,
        responded_at: DateTime<Utc>,
        /// `responded_at < response_due`.
        within_deadline: bool,
    },
    /// The response deadline passed without a response. Recorded at most once.
    ResponseMissed {
        response_due: DateTime<Utc>,
        /// `response_due` was computed on a guessed calendar (see `Received`).
        calendar_unknown: bool,
        recorded_at: DateTime<Utc>,
    },
    Transferred {
        from: UnitId,
        to: UnitId,
        reason: Text,
        transferred_by: PersonId,
        transferred_at: DateTime<Utc>,
    },
    Resolved {
        resolution: Resolution,
        resolved_by: PersonId,
        resolved_at: DateTime<Utc>,
    },
    FeedbackRecorded {
        rating: Rating,
        recorded_at: DateTime<Utc>,
    },
    Closed {
        closed_by: PersonId,
        closed_at: DateTime<Utc>,
    },
    /// The key behind `key_ref` was destroyed: the sealed identity can never be read again.
    IdentityErased {
        key_ref: String,
        erased_by: PersonId,
        erased_at: DateTime<Utc>,
    },
}

impl DomainEvent for ComplaintEvent {
    fn event_type(&self) -> String {
        match self {
            ComplaintEvent::Received { .. } => "Received",
            ComplaintEvent::Responded { .. } => "Responded",
            ComplaintEvent::ResponseMissed { .. } => "ResponseMissed",
            ComplaintEvent::Transferred { .. } => "Transferred",
            ComplaintEvent::Resolved { .. } => "Resolved",
            ComplaintEvent::FeedbackRecorded { .. } => "FeedbackRecorded",
            ComplaintEvent::Closed { .. } => "Closed",
            ComplaintEvent::IdentityErased { .. } => "IdentityErased",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0".to_owned()
    }
}
