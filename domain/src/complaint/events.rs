//! What happened to a complaint. No event ever holds the complainant's identity, words or
//! files in clear: only the [`Sealed`] part the vault returned, and the receiver's redacted
//! summary.

use chrono::{DateTime, Utc};

use crate::event::PublicView;
use serde::{Deserialize, Serialize};

use crate::identity::Sealed;
use crate::settings::{Field, ResponseWindow};
use crate::values::{CampaignId, ComplaintId, PersonId, Rating, TaskForceId, Text, UnitId};

use super::commands::{Channel, Resolution};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ComplaintEvent {
    Received {
        complaint: ComplaintId,
        campaign: CampaignId,
        channel: Channel,
        field: Field,
        /// The campaign's task force for `field` at receipt, whose secretariat supervises the
        /// complaint; `None` when the campaign had none for the field (a complaint is never
        /// turned away for that) and in receipts recorded before the field existed.
        #[serde(default)]
        task_force: Option<TaskForceId>,
        /// The receiver's redacted summary; readable, and kept after erasure.
        summary: Text,
        /// The first receiver (首接负责制), accountable until the complaint is closed.
        receiving_unit: UnitId,
        /// The unit that must respond by `response_due`: the first receiver, or for school
        /// meals the education department.
        responder: UnitId,
        /// No identity was given (匿名).
        anonymous: bool,
        /// The identity (if given), the complaint's own words and its attachments, sealed with
        /// the complaint's key: unreadable for good once the key is erased.
        sealed: Sealed,
        by: PersonId,
        at: DateTime<Utc>,
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
        by: PersonId,
        at: DateTime<Utc>,
        /// `responded_at < response_due`.
        within_deadline: bool,
    },
    /// The response deadline passed without a response. Recorded at most once.
    ResponseMissed {
        response_due: DateTime<Utc>,
        /// `response_due` was computed on a guessed calendar (see `Received`).
        calendar_unknown: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// `person`, of `unit` (the handling unit), is the complaint's designated handler.
    HandlerDesignated {
        unit: UnitId,
        person: PersonId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Transferred {
        from: UnitId,
        to: UnitId,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Resolved {
        resolution: Resolution,
        by: PersonId,
        at: DateTime<Utc>,
    },
    FeedbackRecorded {
        rating: Rating,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Closed {
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The key behind `key_ref` was destroyed: the sealed identity can never be read again.
    IdentityErased {
        key_ref: String,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 查阅: `by` was let read the part sealed under `key_ref`, for `purpose`. Recorded
    /// *before* anything is decrypted: the adapter opens the vault only once this event has
    /// committed, so no reveal goes unrecorded (an opening that then fails was still a reveal).
    Revealed {
        key_ref: String,
        /// Why the text is read, as the reader stated it.
        purpose: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(ComplaintEvent {
    Received => "rectiflow.complaint.received",
    Responded => "rectiflow.complaint.responded",
    HandlerDesignated => "rectiflow.complaint.handler_designated",
    ResponseMissed => "rectiflow.complaint.response_missed",
    Transferred => "rectiflow.complaint.transferred",
    Resolved => "rectiflow.complaint.resolved",
    FeedbackRecorded => "rectiflow.complaint.feedback_recorded",
    Closed => "rectiflow.complaint.closed",
    IdentityErased => "rectiflow.complaint.identity_erased",
    Revealed => "rectiflow.complaint.revealed",
});

crate::event::attributed!(
    ComplaintEvent {
        Received,
        Responded,
        ResponseMissed,
        Transferred,
        Resolved,
        FeedbackRecorded,
        Closed,
        IdentityErased,
        Revealed,
        HandlerDesignated
    },
    effective_at = effective_at
);

/// A missed response takes effect when the window closed, not when it was noticed.
fn effective_at(event: &ComplaintEvent) -> DateTime<Utc> {
    match event {
        ComplaintEvent::ResponseMissed { response_due, .. } => *response_due,
        other => crate::event::Attributed::at(other),
    }
}

impl PublicView for ComplaintEvent {
    /// The sealed part never leaves the system, not even as ciphertext; the rest of a receipt
    /// (channel, field, task force, summary, units, due instant) does. Of a reveal, who read
    /// and when leave it; the key reference and the reader's free-text purpose (which may
    /// well quote or name what it was read for) do not.
    const SEALED: &'static [(&'static str, &'static [&'static str])] = &[
        ("Received", &["sealed"]),
        ("IdentityErased", &["key_ref"]),
        ("Revealed", &["key_ref", "purpose"]),
    ];
}
