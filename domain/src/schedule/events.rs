//! What happened to a schedule. Every event records who acted (`by`) and when (`at`).

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
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

impl DomainEvent for ScheduleEvent {
    fn event_type(&self) -> String {
        match self {
            ScheduleEvent::Created { .. } => "rectiflow.schedule.created",
            ScheduleEvent::Changed { .. } => "rectiflow.schedule.changed",
            ScheduleEvent::Paused { .. } => "rectiflow.schedule.paused",
            ScheduleEvent::Resumed { .. } => "rectiflow.schedule.resumed",
            ScheduleEvent::Triggered { .. } => "rectiflow.schedule.triggered",
            ScheduleEvent::Backfilled { .. } => "rectiflow.schedule.backfilled",
            ScheduleEvent::Deleted { .. } => "rectiflow.schedule.deleted",
            ScheduleEvent::OccurrenceFired { .. } => "rectiflow.schedule.occurrence_fired",
            ScheduleEvent::OccurrenceSkipped { .. } => "rectiflow.schedule.occurrence_skipped",
            ScheduleEvent::ActionCompleted { .. } => "rectiflow.schedule.action_completed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        crate::event::FIRST_SCHEMA_VERSION.to_owned()
    }
}

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
