//! What may be asked of an admonishment.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::values::{
    AdmonishmentId, CampaignId, ItemCode, PersonId, PublicationId, Text, UnitId, Uri,
};

use super::evidence::{Finding, PublicationRef};

/// The body of an admonishment command; it travels as [`crate::Command<AdmonishmentCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AdmonishmentCommand {
    /// The policy admonishes `unit` at `publication`, listing every rule that fired with its
    /// evidence. `admonishment` must be [`admonishment_id`](super::admonishment_id) of the
    /// publication and the unit. The overdue and bottom-of-ranking rules fire at county-wide
    /// monthly bulletins, "fail" at assessments.
    Trigger {
        admonishment: AdmonishmentId,
        campaign: CampaignId,
        unit: UnitId,
        publication: PublicationRef,
        findings: Vec<Finding>,
        /// The items involved (the overdue ones): their responsible persons are the ones a
        /// second admonishment within 182 days proposes for accountability.
        items: Vec<ItemCode>,
        reasons: Vec<Text>,
    },
    /// The secretariat admonishes `unit` outside the automatic rules, under a free id, naming
    /// a publication or not.
    TriggerManually {
        admonishment: AdmonishmentId,
        campaign: CampaignId,
        unit: UnitId,
        publication: Option<PublicationRef>,
        items: Vec<ItemCode>,
        reasons: Vec<Text>,
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
    /// Withdraws (撤销) the admonishment before its talk is held, with reasons — e.g. the
    /// publication it rests on was corrected (`correction` names the correcting publication,
    /// a later correction of the one it rests on) and the secretariat no longer upholds it. A
    /// withdrawn admonishment counts for nothing: neither for the 182-day window nor for
    /// assessment deductions.
    Withdraw {
        reasons: Vec<Text>,
        correction: Option<PublicationId>,
    },
}

impl AdmonishmentCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            AdmonishmentCommand::Trigger { .. } => "trigger",
            AdmonishmentCommand::TriggerManually { .. } => "trigger_manually",
            AdmonishmentCommand::Schedule { .. } => "schedule",
            AdmonishmentCommand::RecordHeld { .. } => "record_held",
            AdmonishmentCommand::RecordFollowUp { .. } => "record_follow_up",
            AdmonishmentCommand::Withdraw { .. } => "withdraw",
        }
    }

    /// The name users read (中文).
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` (as
    /// [`AdmonishmentCommand::name`] names it, e.g. in a refused transition); a name it does
    /// not know is returned as it is.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "trigger" => "按规则启动约谈提醒",
            "trigger_manually" => "直接启动约谈提醒",
            "schedule" => "安排约谈",
            "record_held" => "登记约谈情况",
            "record_follow_up" => "登记整改跟踪情况",
            "withdraw" => "撤销约谈提醒",
            other => other,
        }
    }
}
