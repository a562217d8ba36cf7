//! The item aggregate: the folded state and its records here; every decision goes through
//! [`Item::decide`] (in `decide`), which dispatches each command to the function of its group;
//! state folding is in `apply`.

mod admission;
mod apply;
mod carry_over;
mod clock;
mod deadline_facts;
mod decide;
mod extensions;
mod outcome;
mod oversight;
mod progress;
mod read;
mod reassignment;
mod registration;
mod reinspection;
mod sign_off;
mod task_force;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::commands::{Episode, FaultCause, FaultDecision};
use super::state::ItemState;
use crate::values::{
    CampaignId, Deadline, ItemCode, OutcomeIndicators, OutcomeTotals, Percent, PersonId,
    TaskForceId, Text, UnitId,
};

/// An item of the issue list (问题清单) as folded from its events. `Default` is "not
/// registered yet". The accessors are what projections and the HTTP layer read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Item {
    state: ItemState,
    registration: Option<Registration>,
    assignment: Option<Assignment>,
    /// Every deadline the item had, the original first and the one in force last (every
    /// deadline change is kept).
    deadlines: Vec<DeadlineRecord>,
    acknowledged_at: Option<DateTime<Utc>>,
    acknowledgement_overdue_recorded: bool,
    last_progress: Option<Progress>,
    pending_extension: Option<PendingExtension>,
    extensions_approved: u32,
    sign_off_requested_at: Option<DateTime<Utc>>,
    send_backs: u32,
    closure: Option<Closure>,
    relapses: u32,
    overdue_count: u32,
    /// Every ruling, each on its own episode.
    rulings: Vec<Ruling>,
    /// The outcome indicators (成效指标) of the pending sign-off request, counted if it is
    /// verified.
    #[serde(default)]
    sign_off_indicators: Option<OutcomeIndicators>,
    /// Every outcome record and verified sign-off added, every correction deducted.
    #[serde(default)]
    outcome: OutcomeTotals,
    /// Every 结转, oldest first: the campaigns the item belonged to before its current one.
    #[serde(default)]
    carry_overs: Vec<CarryOver>,
}

/// What registration fixed for the item's whole life — except its campaign and task force,
/// which a carry-over (结转) moves on to a later campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Registration {
    pub campaign: CampaignId,
    pub task_force: TaskForceId,
    pub code: ItemCode,
    pub title: Text,
    /// An IANA time zone name, e.g. `Asia/Shanghai`.
    #[schemars(with = "String")]
    pub time_zone: Tz,
    pub yellow_after_send_backs: u32,
    pub registered_at: DateTime<Utc>,
}

/// Who answers for the item (责任单位, 责任人) and who supervises it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Assignment {
    pub responsible_unit: UnitId,
    pub responsible_person: PersonId,
    pub supervising_unit: UnitId,
    /// The 签收 due instant of the current assignment or reopening.
    pub acknowledgement_due_at: DateTime<Utc>,
    /// The event that set `acknowledgement_due_at` was computed on a guessed calendar (a day
    /// of a year without a published arrangement); the overdue 签收 fact says so too.
    pub calendar_unknown: bool,
    pub assigned_at: DateTime<Utc>,
}

/// How a deadline came to be in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineOrigin {
    Assigned,
    Extended,
    Reopened,
}

/// One deadline of the item with the instants computed when it was set, and which deadline
/// facts were recorded against it (each at most once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeadlineRecord {
    pub deadline: Deadline,
    pub passes_at: DateTime<Utc>,
    pub warning_at: DateTime<Utc>,
    /// The event that set this deadline was computed on a guessed calendar; the warning fact
    /// says so too.
    pub calendar_unknown: bool,
    pub origin: DeadlineOrigin,
    pub set_at: DateTime<Utc>,
    pub warning_recorded: bool,
    pub overdue_recorded: bool,
    /// The item was closed against this deadline after it passed (逾期销号).
    pub closed_late: bool,
}

impl DeadlineRecord {
    /// Whether this deadline was failed: overdue was recorded for it, or the item was closed
    /// late against it — either makes it an episode a 容错 ruling can rule on.
    pub fn failed(&self) -> bool {
        self.overdue_recorded || self.closed_late
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Progress {
    pub percent: Percent,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PendingExtension {
    pub requested_deadline: Deadline,
    pub reason: Text,
    pub requested_at: DateTime<Utc>,
}

/// The latest sign-off (销号).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Closure {
    pub at: DateTime<Utc>,
    pub on_time: bool,
    pub after_original_deadline: bool,
    pub reinspection_due_at: DateTime<Utc>,
    pub verified_by: PersonId,
    /// The schedule recorded that the re-inspection fell due.
    #[serde(default)]
    pub reinspection_due_recorded: bool,
    /// The re-inspection passed (a relapse reopens the item and ends this closure).
    #[serde(default)]
    pub reinspected: bool,
}

/// A carry-over (结转) of the open item from one campaign to a later one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CarryOver {
    pub from: CampaignId,
    pub to: CampaignId,
    /// The task force the item belonged to in `from`.
    pub from_task_force: TaskForceId,
    pub reason: Text,
    pub by: PersonId,
    pub at: DateTime<Utc>,
}

/// A fault-tolerance ruling (容错纠错) on one episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Ruling {
    pub episode: Episode,
    pub cause: FaultCause,
    pub decision: FaultDecision,
    pub reason: Text,
    pub ruled_by: PersonId,
    pub at: DateTime<Utc>,
}
