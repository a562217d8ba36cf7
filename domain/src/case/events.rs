//! What happened to a case.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;

use crate::event::PublicView;
use serde::{Deserialize, Serialize};

use crate::settings::Field;
use crate::values::{CampaignId, CaseId, ClueId, ItemCode, PersonId, Text, UnitId};

use super::commands::{ClueSource, Disposition, InvestigationTrack};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CaseEvent {
    ClueRegistered {
        campaign: CampaignId,
        case: CaseId,
        clue: ClueId,
        source: ClueSource,
        field: Field,
        summary: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    CaseOpened {
        subject_unit: UnitId,
        supervising_unit: UnitId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    InvestigationStarted {
        track: InvestigationTrack,
        by: PersonId,
        at: DateTime<Utc>,
    },
    InvestigationConcluded {
        track: InvestigationTrack,
        findings: Text,
        disposition: Disposition,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// A system-repair item is to be registered with this code for `unit` (the supervising
    /// department). A policy reacts by registering and assigning the item.
    RepairItemSpawned {
        code: ItemCode,
        unit: UnitId,
        title: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    RepairItemClosed {
        code: ItemCode,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// A repair item recorded closed was reopened by re-inspection (回头看): it holds the case
    /// open again.
    RepairItemReopened {
        code: ItemCode,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// A repair item was withdrawn from the issue list; it no longer holds the case open.
    RepairItemWithdrawn {
        code: ItemCode,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    CaseClosed {
        by: PersonId,
        at: DateTime<Utc>,
    },
    TypicalCasePublished {
        title: Text,
        summary: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

impl DomainEvent for CaseEvent {
    fn event_type(&self) -> String {
        match self {
            CaseEvent::ClueRegistered { .. } => "rectiflow.case.clue_registered",
            CaseEvent::CaseOpened { .. } => "rectiflow.case.opened",
            CaseEvent::InvestigationStarted { .. } => "rectiflow.case.investigation_started",
            CaseEvent::InvestigationConcluded { .. } => "rectiflow.case.investigation_concluded",
            CaseEvent::RepairItemSpawned { .. } => "rectiflow.case.repair_item_spawned",
            CaseEvent::RepairItemClosed { .. } => "rectiflow.case.repair_item_closed",
            CaseEvent::RepairItemReopened { .. } => "rectiflow.case.repair_item_reopened",
            CaseEvent::RepairItemWithdrawn { .. } => "rectiflow.case.repair_item_withdrawn",
            CaseEvent::CaseClosed { .. } => "rectiflow.case.closed",
            CaseEvent::TypicalCasePublished { .. } => "rectiflow.case.typical_case_published",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        crate::event::FIRST_SCHEMA_VERSION.to_owned()
    }
}

crate::event::attributed!(CaseEvent {
    ClueRegistered,
    CaseOpened,
    InvestigationStarted,
    InvestigationConcluded,
    RepairItemSpawned,
    RepairItemClosed,
    RepairItemReopened,
    RepairItemWithdrawn,
    CaseClosed,
    TypicalCasePublished
});

/// Nothing in these events is sealed: the whole event is public.
impl PublicView for CaseEvent {}
