//! What happened to a schedule. Every event records who acted (`by`) and when (`at`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::commands::{ScheduleKind, SkipReason};
use crate::values::{CampaignId, PersonId, PublicationId, Text};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ScheduleEvent {
    Created {
        campaign: CampaignId,
        kind: ScheduleKind,
        starts: NaiveDate,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Changed {
        starts: NaiveDate,
        ends: Option<NaiveDate>,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Paused {
        note: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Resumed {
        by: PersonId,
        at: DateTime<Utc>,
    },
    Triggered {
        note: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Backfilled {
        from: NaiveDate,
        to: NaiveDate,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Deleted {
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The occurrence standing for `nominal` (its last identifies it) fired.
    OccurrenceFired {
        nominal: Vec<DateTime<Utc>>,
        due_at: DateTime<Utc>,
        late: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The occurrence standing for `nominal` was skipped, and never fires.
    OccurrenceSkipped {
        nominal: Vec<DateTime<Utc>>,
        due_at: DateTime<Utc>,
        reason: SkipReason,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The action of the occurrence identified by `nominal` (its last nominal instant) is
    /// done: the publications it made (or recorded as skipped), one per scope, by stream id.
    ActionCompleted {
        nominal: DateTime<Utc>,
        publications: Vec<PublicationId>,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(ScheduleEvent {
    Created => "rectiflow.schedule.created",
    Changed => "rectiflow.schedule.changed",
    Paused => "rectiflow.schedule.paused",
    Resumed => "rectiflow.schedule.resumed",
    Triggered => "rectiflow.schedule.triggered",
    Backfilled => "rectiflow.schedule.backfilled",
    Deleted => "rectiflow.schedule.deleted",
    OccurrenceFired => "rectiflow.schedule.occurrence_fired",
    OccurrenceSkipped => "rectiflow.schedule.occurrence_skipped",
    ActionCompleted => "rectiflow.schedule.action_completed",
});

crate::event::attributed!(ScheduleEvent {
    Created,
    Changed,
    Paused,
    Resumed,
    Triggered,
    Backfilled,
    Deleted,
    OccurrenceFired,
    OccurrenceSkipped,
    ActionCompleted
});

/// Nothing in these events is sealed: the whole event is public.
impl crate::event::PublicView for ScheduleEvent {}
