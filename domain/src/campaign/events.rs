//! What happened to a campaign. Every event records who caused it and when (from the stamp).

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::commands::{ItemPrefix, UnitKind};
use crate::settings::{CampaignSettings, Field};
use crate::values::{CampaignId, PersonId, TaskForceId, Text, UnitId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CampaignEvent {
    CampaignCreated {
        campaign: CampaignId,
        name: Text,
        year: u16,
        settings: CampaignSettings,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The settings in force from `at` on. The previous settings stay in the log.
    SettingsChanged {
        settings: CampaignSettings,
        by: PersonId,
        at: DateTime<Utc>,
    },
    TaskForceAdded {
        task_force: TaskForceId,
        field: Field,
        name: Text,
        lead: PersonId,
        prefix: ItemPrefix,
        by: PersonId,
        at: DateTime<Utc>,
    },
    TaskForceMemberAdded {
        task_force: TaskForceId,
        unit: UnitId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    UnitRegistered {
        unit: UnitId,
        name: Text,
        kind: UnitKind,
        by: PersonId,
        at: DateTime<Utc>,
    },
    PersonRegistered {
        person: PersonId,
        name: Text,
        unit: UnitId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The person belongs to `to` from `at` on (and no longer to `from`).
    PersonMoved {
        person: PersonId,
        from: UnitId,
        to: UnitId,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

impl DomainEvent for CampaignEvent {
    fn event_type(&self) -> String {
        match self {
            Self::CampaignCreated { .. } => "CampaignCreated",
            Self::SettingsChanged { .. } => "SettingsChanged",
            Self::TaskForceAdded { .. } => "TaskForceAdded",
            Self::TaskForceMemberAdded { .. } => "TaskForceMemberAdded",
            Self::UnitRegistered { .. } => "UnitRegistered",
            Self::PersonRegistered { .. } => "PersonRegistered",
            Self::PersonMoved { .. } => "PersonMoved",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0".to_owned()
    }
}
