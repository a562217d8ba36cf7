//! What happened to a case.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
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
        registered_by: PersonId,
        registered_at: DateTime<Utc>,
    },
    CaseOpened {
        subject_unit: UnitId,
        supervising_unit: UnitId,
        opened_by: PersonId,
        opened_at: DateTime<Utc>,
    },
    InvestigationStarted {
        track: InvestigationTrack,
        started_by: PersonId,
        started_at: DateTime<Utc>,
    },
    InvestigationConcluded {
        track: InvestigationTrack,
        findings: Text,
        disposition: Disposition,
        concluded_by: PersonId,
        concluded_at: DateTime<Utc>,
    },
    /// A system-repair item is to be registered with this code for `unit` (the supervising
    /// department). A policy reacts by registering and assigning the item.
    RepairItemSpawned {
        code: ItemCode,
        unit: UnitId,
        title: Text,
        spawned_at: DateTime<Utc>,
    },
    RepairItemClosed {
        code: ItemCode,
        recorded_at: DateTime<Utc>,
    },
    /// A repair item recorded closed was reopened by re-inspection (回头看): it holds the case
    /// open again.
    RepairItemReopened {
        code: ItemCode,
        recorded_at: DateTime<Utc>,
    },
    /// A repair item was withdrawn from the issue list; it no longer holds the case open.
    RepairItemWithdrawn {
        code: ItemCode,
        reason: Text,
        recorded_at: DateTime<Utc>,
    },
    CaseClosed {
        closed_by: PersonId,
        closed_at: DateTime<Utc>,
    },
    TypicalCasePublished {
        title: Text,
        summary: Text,
        published_by: PersonId,
        published_at: DateTime<Utc>,
    },
}

impl DomainEvent for CaseEvent {
    fn event_type(&self) -> String {
        match self {
            CaseEvent::ClueRegistered { .. } => "ClueRegistered",
            CaseEvent::CaseOpened { .. } => "CaseOpened",
            CaseEvent::InvestigationStarted { .. } => "InvestigationStarted",
            CaseEvent::InvestigationConcluded { .. } => "InvestigationConcluded",
            CaseEvent::RepairItemSpawned { .. } => "RepairItemSpawned",
            CaseEvent::RepairItemClosed { .. } => "RepairItemClosed",
            CaseEvent::RepairItemReopened { .. } => "RepairItemReopened",
            CaseEvent::RepairItemWithdrawn { .. } => "RepairItemWithdrawn",
            CaseEvent::CaseClosed { .. } => "CaseClosed",
            CaseEvent::TypicalCasePublished { .. } => "TypicalCasePublished",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0".to_owned()
    }
}
