//! What happened to a care home.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::commands::DimensionScores;
use crate::event::PublicView;
use crate::settings::CareHomeRating;
use crate::values::{CampaignId, Deadline, ItemCode, PersonId, Score, Stars, Text};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum CareHomeEvent {
    Inspected {
        campaign: CampaignId,
        scores: DimensionScores,
        /// The weights and star bands in force, as used for `total` and `stars`.
        rating: CareHomeRating,
        total: Score,
        stars: Stars,
        findings: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    RectificationOrdered {
        campaign: CampaignId,
        violations: Text,
        deadline: Deadline,
        /// 24:00 of the deadline in the campaign's time zone.
        due_at: DateTime<Utc>,
        /// The issue-list item that tracks the violation.
        item: ItemCode,
        by: PersonId,
        at: DateTime<Utc>,
    },
    RectificationPassed {
        notes: Text,
        /// Recorded before the due instant.
        on_time: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The home failed to rectify by the deadline. Not a revocation: it allows one.
    RectificationFailed {
        notes: Text,
        /// Failed rectifications on record, this one included.
        failures: u32,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 取消运营资格 — decided by the civil-affairs authority; final.
    LicenceRevoked {
        reason: Text,
        /// Failed rectifications the decision rests on.
        failures: u32,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 列入黑名单, until 24:00 local of `until`.
    Blacklisted {
        campaign: CampaignId,
        reason: Text,
        until: Deadline,
        /// 24:00 of `until` in the campaign's time zone: listed before this instant.
        listed_until: DateTime<Utc>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    RemovedFromBlacklist {
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(CareHomeEvent {
    Inspected => "rectiflow.care_home.inspected",
    RectificationOrdered => "rectiflow.care_home.rectification_ordered",
    RectificationPassed => "rectiflow.care_home.rectification_passed",
    RectificationFailed => "rectiflow.care_home.rectification_failed",
    LicenceRevoked => "rectiflow.care_home.licence_revoked",
    Blacklisted => "rectiflow.care_home.blacklisted",
    RemovedFromBlacklist => "rectiflow.care_home.removed_from_blacklist",
});

crate::event::attributed!(CareHomeEvent {
    Inspected,
    RectificationOrdered,
    RectificationPassed,
    RectificationFailed,
    LicenceRevoked,
    Blacklisted,
    RemovedFromBlacklist
});

/// Nothing in these events is sealed: the whole event is public.
impl PublicView for CareHomeEvent {}
