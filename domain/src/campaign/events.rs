//! What happened to a campaign. Every event records who caused it and when (from the stamp).

use chrono::{DateTime, Utc};

use crate::event::PublicView;
use serde::{Deserialize, Serialize};

use super::commands::ItemPrefix;
use crate::settings::{CampaignSettings, Field};
use crate::values::{CampaignId, PersonId, TaskForceId, Text, UnitId, Uri};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
        categories: Vec<Text>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    CategoryAdded {
        task_force: TaskForceId,
        category: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    TaskForceMemberAdded {
        task_force: TaskForceId,
        unit: UnitId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 收官: closed with its final report (where it is kept, and a summary). The campaign's
    /// settings, task forces and members are final from `at` on.
    CampaignClosed {
        report: Uri,
        summary: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(CampaignEvent {
    CampaignCreated => "rectiflow.campaign.created",
    SettingsChanged => "rectiflow.campaign.settings_changed",
    TaskForceAdded => "rectiflow.campaign.task_force_added",
    TaskForceMemberAdded => "rectiflow.campaign.task_force_member_added",
    CategoryAdded => "rectiflow.campaign.category_added",
    CampaignClosed => "rectiflow.campaign.closed",
});

crate::event::attributed!(CampaignEvent {
    CampaignCreated,
    SettingsChanged,
    TaskForceAdded,
    TaskForceMemberAdded,
    CategoryAdded,
    CampaignClosed
});

/// Nothing in these events is sealed: the whole event is public.
impl PublicView for CampaignEvent {}
