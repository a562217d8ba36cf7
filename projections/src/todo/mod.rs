//! 待办 — each person's to-do list (issue #10): what the person has to acknowledge, verify or
//! answer, the rulings and decisions pending on them, the talks they hold or attend, each with
//! its due instant and whether it is overdue at the instant asked about, sorted by due instant.
//!
//! **A read-time query, no table of its own.** The tasks are read from the registers and
//! boards — the item register, the complaints board, the alert board, the accountability
//! register and the admonishment register — and the organisation: who belongs to which unit,
//! who heads it, who holds which role. The caller passes the organisation it read through the
//! [`Directory`](rectiflow_domain::directory::Directory) port (`Directory::organisation()`,
//! at its latest version, as every role check reads it), so the query stays free of executor
//! code; and, because the alert board does not record the task force that triages an alert,
//! the medical-insurance task force of each campaign ([`AlertTriage`]). Who gets which task is
//! [`select`]'s, a pure function of rows, organisation and instant (tested without a store).
//!
//! The rules, one per [`ToDoKind`], follow DOMAIN.md's role matrix and the aggregates'
//! admissions; a person sees a task only when the aggregate would admit them to do it.

mod select;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rectiflow_domain::organisation::Organisation;
use rectiflow_domain::values::{PersonId, TaskForceId};
use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_engine::StoreError;
use serde::{Deserialize, Serialize};

use crate::accountability_register::{AccountabilityEntry, AccountabilityRegister};
use crate::admonishment_register::{AdmonishmentEntry, AdmonishmentRegister};
use crate::alert_board::{AlertBoard, AlertEntry};
use crate::complaint_board::{ComplaintBoard, ComplaintEntry};
use crate::item_register::{ItemEntry, ItemRegister};
use crate::RowProjection;

pub use select::select;

/// What a task asks of the person. The rule each implements is on [`select`]'s helpers and
/// summarised here.
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
pub enum ToDoKind {
    /// 签收 an item assigned (or reassigned, or reopened) to the person's unit: every member
    /// of the responsible unit may; due at the 签收 window's end.
    Acknowledge,
    /// Ask for sign-off (申请销号) of an item in progress: the responsible person (while in
    /// the responsible unit) or the unit's head; due when the deadline in force passes.
    RequestSignOff,
    /// 销号审核: verify or send back a pending sign-off request — the secretariat of the item's
    /// task force, outside the responsible unit; due when the deadline in force passes.
    VerifySignOff,
    /// 延期审批: approve or deny a unit's pending extension request — the secretariat of the
    /// item's task force, outside the responsible unit; due when the deadline in force passes
    /// (the unit asked before it; undecided by then, the item falls overdue).
    DecideExtension,
    /// 容错纠错: rule on the overdue episode of the deadline in force, not ruled yet — the
    /// secretariat of the item's task force, outside the responsible unit. No due instant.
    RuleFaultTolerance,
    /// 答复: answer a complaint not yet answered — its designated handler (承办人), or, while
    /// none is designated, the head of the handling unit; due at the response instant.
    AnswerComplaint,
    /// 研判: triage a data alert — the secretariat of the campaign's medical-insurance task
    /// force; due at the triage instant.
    TriageAlert,
    /// 问责: decide a proposed accountability case — discipline inspection. No due instant.
    DecideAccountability,
    /// 约谈: conduct a scheduled admonishment talk — the persons named to conduct it; due at
    /// the talk's instant.
    HoldTalk,
    /// 约谈: attend a scheduled admonishment talk — the admonished unit's head (一把手); due
    /// at the talk's instant.
    AttendTalk,
}

/// One task of a person's to-do list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ToDo {
    pub kind: ToDoKind,
    /// The stream to act on: the item code, complaint, alert, accountability case or
    /// admonishment id.
    pub stream: String,
    /// A short title: the item's title, the complaint's or alert's redacted summary, the
    /// person and unit of a case, the unit and place of a talk.
    pub title: String,
    /// The instant the task falls due, from the stored facts; `None` when nothing recorded
    /// sets one (a 容错 ruling, an accountability decision: DOMAIN.md gives them no
    /// deadline).
    pub due_at: Option<DateTime<Utc>>,
    /// Overdue at the instant asked about (see each kind's rule in [`select`]).
    pub overdue: bool,
}

/// The medical-insurance task force of each campaign (campaign id → task force), whose
/// secretariat triages the campaign's data alerts. The caller reads it from the campaign
/// (`Campaign::task_force_for(&Field::MedicalInsurance)`): the alert board does not record it.
pub type AlertTriage = BTreeMap<String, TaskForceId>;

/// Every row the to-do lists are selected from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    pub items: Vec<ItemEntry>,
    pub complaints: Vec<ComplaintEntry>,
    pub alerts: Vec<AlertEntry>,
    pub accountability: Vec<AccountabilityEntry>,
    pub admonishments: Vec<AdmonishmentEntry>,
}

impl Rows {
    /// Reads every row of the five tables (in pages, by key).
    pub async fn read<S: ReadModelStore>(store: &S) -> Result<Self, StoreError> {
        Ok(Self {
            items: ItemRegister::TABLE.read_all(store).await?,
            complaints: ComplaintBoard::TABLE.read_all(store).await?,
            alerts: AlertBoard::TABLE.read_all(store).await?,
            accountability: AccountabilityRegister::TABLE.read_all(store).await?,
            admonishments: AdmonishmentRegister::TABLE.read_all(store).await?,
        })
    }
}

/// `person`'s to-do list at `now`, read from `store`'s registers and boards with the
/// `organisation` the caller read through the directory port: see [`select`].
///
/// It reads every row of the five tables: enough for a county's campaign (thousands of rows);
/// narrowing by SQL (open states only) is the next step if it is not.
pub async fn to_do<S: ReadModelStore>(
    store: &S,
    organisation: &Organisation,
    alert_triage: &AlertTriage,
    person: &PersonId,
    now: DateTime<Utc>,
) -> Result<Vec<ToDo>, StoreError> {
    let rows = Rows::read(store).await?;
    Ok(select(&rows, organisation, alert_triage, person, now))
}

#[cfg(test)]
mod tests;
