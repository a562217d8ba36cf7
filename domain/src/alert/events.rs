//! What happened to a data alert.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::PublicView;
use crate::values::{AlertId, AlertRef, CampaignId, PersonId, Text, UnitId, Yuan};

use super::commands::Triage;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum AlertEvent {
    Received {
        alert: AlertId,
        reference: AlertRef,
        campaign: CampaignId,
        subject: UnitId,
        summary: Text,
        amount_involved: Yuan,
        raised_at: DateTime<Utc>,
        by: PersonId,
        at: DateTime<Utc>,
        /// The window in force at receipt, and the due instant computed from it.
        triage_working_days: u32,
        triage_due: DateTime<Utc>,
        /// Counting the window looked at a day of a year without a published holiday
        /// arrangement (Monday–Friday assumed).
        calendar_unknown: bool,
    },
    Triaged {
        triage: Triage,
        /// Triaged at or after `triage_due`.
        late: bool,
        triage_due: DateTime<Utc>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The triage window passed without a triage. Recorded at most once, effective at the due
    /// instant.
    TriageMissed {
        triage_due: DateTime<Utc>,
        /// `triage_due` was computed on a guessed calendar (see `Received`).
        calendar_unknown: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(AlertEvent {
    Received => "rectiflow.alert.received",
    Triaged => "rectiflow.alert.triaged",
    TriageMissed => "rectiflow.alert.triage_missed",
});

crate::event::attributed!(
    AlertEvent {
        Received,
        Triaged,
        TriageMissed
    },
    effective_at = effective_at
);

/// A missed triage takes effect when the window closed, not when it was noticed.
fn effective_at(event: &AlertEvent) -> DateTime<Utc> {
    match event {
        AlertEvent::TriageMissed { triage_due, .. } => *triage_due,
        other => crate::event::Attributed::at(other),
    }
}

/// Nothing is sealed: an alert is about an institution, and the platform's summary carries no
/// patient's personal data (the integrator redacts it before pushing).
impl PublicView for AlertEvent {}
