//! What may be asked of a schedule.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::publication::PublicationKind;
use crate::values::{CampaignId, PublicationId, ScheduleId, Text};

/// The rhythm a schedule fires.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleKind {
    /// 周调度 — per task force, every week.
    WeeklyDispatch,
    /// 月通报 — the month just ended, county-wide and per task force.
    MonthlyBulletin,
    /// 季考核 — the quarter just ended, county-wide.
    QuarterlyAssessment,
}

impl ScheduleKind {
    /// The name in its stream id and in a preview: `weekly-dispatch`, `monthly-bulletin`,
    /// `quarterly-assessment`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ScheduleKind::WeeklyDispatch => "weekly-dispatch",
            ScheduleKind::MonthlyBulletin => "monthly-bulletin",
            ScheduleKind::QuarterlyAssessment => "quarterly-assessment",
        }
    }

    /// The name users read (中文): 周调度, 月通报, 季考核.
    pub fn label(self) -> &'static str {
        self.publication().label()
    }

    /// What an occurrence of it publishes.
    pub const fn publication(self) -> PublicationKind {
        match self {
            ScheduleKind::WeeklyDispatch => PublicationKind::Dispatch,
            ScheduleKind::MonthlyBulletin => PublicationKind::Bulletin,
            ScheduleKind::QuarterlyAssessment => PublicationKind::Assessment,
        }
    }

    /// Every kind, in publishing order at one instant (DOMAIN.md: the bulletin before the
    /// assessment).
    pub const ALL: [ScheduleKind; 3] = [
        ScheduleKind::WeeklyDispatch,
        ScheduleKind::MonthlyBulletin,
        ScheduleKind::QuarterlyAssessment,
    ];

    /// Whether a missed occurrence may be skipped: only a dispatch past its catch-up window.
    /// Bulletins and assessments are never skipped (DOMAIN.md: a skipped month would break
    /// "two consecutive bulletins" for good); they fire late.
    pub fn may_skip(self) -> bool {
        self == ScheduleKind::WeeklyDispatch
    }
}

impl fmt::Display for ScheduleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an occurrence was not fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A dispatch missed (downtime, a pause) and older than the campaign's catch-up window
    /// when the scheduler came to it.
    PastCatchUpWindow,
}

/// The body of a schedule command; it travels as [`crate::Command<ScheduleCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ScheduleCommand {
    /// Creates `campaign`'s schedule of `kind` on the stream `schedule` (which must be
    /// [`schedule_id`](super::schedule_id)`(campaign, kind)`: one schedule per campaign and
    /// kind), running from the local date `starts` (its first occurrence is the first whose
    /// nominal day is on or after it).
    Create {
        schedule: ScheduleId,
        campaign: CampaignId,
        kind: ScheduleKind,
        starts: NaiveDate,
    },
    /// Changes the local dates it runs between (`ends` included; `None`: until deleted).
    Change {
        starts: NaiveDate,
        ends: Option<NaiveDate>,
        reason: Text,
    },
    /// Stops it firing until resumed; what falls due meanwhile fires (or is skipped) after.
    Pause {
        note: Text,
    },
    Resume,
    /// Asks the scheduler to look now rather than at its next tick (after a fix, say).
    TriggerNow {
        note: Text,
    },
    /// Opens a past range of nominal days before `starts` (a campaign set up late): the
    /// bulletins and assessments in it fire, late, as if the schedule had run then; its
    /// dispatches older than the catch-up window are recorded as skipped, as after downtime.
    Backfill {
        from: NaiveDate,
        to: NaiveDate,
        reason: Text,
    },
    /// Ends it for good: nothing fires after.
    Delete {
        reason: Text,
    },
    /// The schedule itself fires the occurrence standing for `nominal` (earliest first; the
    /// last identifies it). When it falls due, and whether it is late, the aggregate computes
    /// from the campaign's rhythm and calendar — no command names them.
    Fire {
        nominal: Vec<DateTime<Utc>>,
    },
    /// The schedule itself records the occurrence as skipped: a dispatch past its catch-up
    /// window.
    Skip {
        nominal: Vec<DateTime<Utc>>,
        reason: SkipReason,
    },
    /// The schedule itself records that the action of the occurrence identified by `nominal`
    /// (its last nominal instant), fired or skipped, is done: `publications` are the streams
    /// it published (or recorded as skipped). Until then the occurrence awaits its action, and
    /// whichever scheduler process comes next takes it up.
    Complete {
        nominal: DateTime<Utc>,
        publications: Vec<PublicationId>,
    },
}

impl ScheduleCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            ScheduleCommand::Create { .. } => "create",
            ScheduleCommand::Change { .. } => "change",
            ScheduleCommand::Pause { .. } => "pause",
            ScheduleCommand::Resume => "resume",
            ScheduleCommand::TriggerNow { .. } => "trigger",
            ScheduleCommand::Backfill { .. } => "backfill",
            ScheduleCommand::Delete { .. } => "delete",
            ScheduleCommand::Fire { .. } => "fire",
            ScheduleCommand::Skip { .. } => "skip",
            ScheduleCommand::Complete { .. } => "complete",
        }
    }

    /// The name users read (中文).
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` by [`name`](Self::name);
    /// `name` itself if no request is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "create" => "创建发布计划",
            "change" => "修改发布计划",
            "pause" => "暂停发布计划",
            "resume" => "恢复发布计划",
            "trigger" => "立即触发一期发布",
            "backfill" => "补发往期",
            "delete" => "删除发布计划",
            "fire" => "触发本期发布",
            "skip" => "将本期记为跳过",
            "complete" => "完成本期后续操作",
            other => other,
        }
    }
}
