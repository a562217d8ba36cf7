//! What may be asked of an admonishment.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::values::{AdmonishmentId, CampaignId, ItemCode, PersonId, Text, UnitId, Uri};

/// Which rule triggered the admonishment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdmonishmentRule {
    /// The unit had at least the configured number of overdue, non-exempt items at a cut-off.
    OverdueItems,
    /// The unit was in the bottom of the overdue ranking in consecutive monthly bulletins.
    BottomOfRanking,
    /// The unit was graded "fail" in a quarterly assessment.
    FailedAssessment,
    /// Decided by the secretariat outside the automatic rules.
    Manual,
}

impl AdmonishmentRule {
    pub fn as_str(self) -> &'static str {
        match self {
            AdmonishmentRule::OverdueItems => "overdue_items",
            AdmonishmentRule::BottomOfRanking => "bottom_of_ranking",
            AdmonishmentRule::FailedAssessment => "failed_assessment",
            AdmonishmentRule::Manual => "manual",
        }
    }
}

/// The published document the rule was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EvidenceBasis {
    /// A monthly bulletin (月通报), by its reference.
    Bulletin { reference: Text },
    /// A quarterly assessment (季考核), by its reference.
    Assessment { reference: Text },
}

/// Why the unit is admonished, as facts another reader can check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdmonishmentEvidence {
    pub basis: Option<EvidenceBasis>,
    /// The items involved (e.g. the overdue ones).
    pub items: Vec<ItemCode>,
}

/// The body of an admonishment command; it travels as [`crate::Command<AdmonishmentCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AdmonishmentCommand {
    /// Triggers the admonishment. `admonishment` is this stream's id. The evidence must fit the
    /// rule: overdue items need a bulletin and at least one item, bottom of ranking a bulletin,
    /// a failed assessment an assessment; a manual admonishment may cite anything.
    Trigger {
        admonishment: AdmonishmentId,
        campaign: CampaignId,
        unit: UnitId,
        rule: AdmonishmentRule,
        reasons: Vec<Text>,
        evidence: AdmonishmentEvidence,
    },
    /// Schedules (or reschedules) the talk (约谈) for a future instant.
    Schedule {
        when: DateTime<Utc>,
        place: Text,
        conducted_by: Vec<PersonId>,
    },
    /// Records that the talk was held, who attended and where the minutes are.
    RecordHeld {
        attendees: Vec<PersonId>,
        minutes: Uri,
    },
    /// Records the follow-up (整改跟踪) of a held talk.
    RecordFollowUp { outcome: Text },
    /// Refers the unit for accountability (问责) because of this admonishment and `earlier`
    /// one (the policy decided they fall within the referral window).
    ReferForAccountability {
        earlier: AdmonishmentId,
        reason: Text,
    },
}

impl AdmonishmentCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            AdmonishmentCommand::Trigger { .. } => "trigger",
            AdmonishmentCommand::Schedule { .. } => "schedule",
            AdmonishmentCommand::RecordHeld { .. } => "record_held",
            AdmonishmentCommand::RecordFollowUp { .. } => "record_follow_up",
            AdmonishmentCommand::ReferForAccountability { .. } => "refer_for_accountability",
        }
    }
}
