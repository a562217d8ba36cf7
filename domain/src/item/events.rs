//! What happened to an item. Every instant decided in `handle` (due instants, the instant a
//! deadline passed) is stored here, so a later change of the calendar or the settings never
//! rewrites the past. Every event records who acted (`by`) and when (`at`, the stamp), and
//! every event of a decision that read a campaign setting records the values it read
//! (`settings_used`): [`DeadlineSettings`], [`ExtensionSettings`] or a single field named after
//! the setting.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::event::PublicView;
use serde::{Deserialize, Serialize};

use super::commands::{
    Episode, FaultCause, FaultDecision, ItemSource, Milestone, Severity, WithdrawalGround,
};
use super::settings_used::{DeadlineSettings, ExtensionSettings};
use crate::values::{
    CampaignId, Deadline, EvidenceRef, ItemCode, OutcomeIndicators, OutcomeTotals, Percent,
    PersonId, TaskForceId, Text, UnitId,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ItemEvent {
    /// The item entered the issue list. Its time zone is fixed here, so every later decision
    /// on the item uses the same; its campaign changes only by a carry-over (结转).
    ItemRegistered {
        campaign: CampaignId,
        task_force: TaskForceId,
        code: ItemCode,
        title: Text,
        description: Text,
        category: Text,
        source: ItemSource,
        source_ref: Option<Text>,
        severity: Severity,
        /// An IANA time zone name, e.g. `Asia/Shanghai`.
        #[schemars(with = "String")]
        time_zone: Tz,
        /// The campaign's send-back threshold for yellow when the item was registered; the
        /// aggregate's [`colour`](super::Item::colour) uses it.
        yellow_after_send_backs: u32,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 交办. The deadline is the original deadline. `settings` are the [`DeadlineSettings`] in
    /// force at assignment, from which the 签收 and warning instants were counted.
    ItemAssigned {
        responsible_unit: UnitId,
        responsible_person: PersonId,
        supervising_unit: UnitId,
        deadline: Deadline,
        measures: Text,
        milestones: Vec<Milestone>,
        /// 签收 is due by this instant (24:00 local of the N-th working day after assignment).
        acknowledgement_due_at: DateTime<Utc>,
        /// The instant the deadline passes (24:00 local of the deadline date).
        deadline_passes_at: DateTime<Utc>,
        /// Start of the local day N working days before the deadline, or the assignment if
        /// later: the warning window opens.
        warning_at: DateTime<Utc>,
        /// Counting the 签收 or the warning window looked at a day of a year without a
        /// published holiday arrangement (Monday–Friday assumed): the instants may not match
        /// the arrangement once it is published.
        calendar_unknown: bool,
        settings: DeadlineSettings,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 签收. `late` when after the acknowledgement due instant.
    ItemAcknowledged {
        late: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
    ProgressReported {
        text: Text,
        percent: Percent,
        evidence: Vec<EvidenceRef>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 申请延期. `max_extensions` is the limit in force that the request was checked against
    /// (the item had approved fewer).
    ExtensionRequested {
        reason: Text,
        current_deadline: Deadline,
        requested_deadline: Deadline,
        max_extensions: u32,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The new deadline is in force from now on; the previous ones stay recorded. `settings`
    /// are the [`ExtensionSettings`] in force at approval: the limit it was within and the
    /// warning window counted for the new deadline.
    ExtensionApproved {
        previous_deadline: Deadline,
        new_deadline: Deadline,
        deadline_passes_at: DateTime<Utc>,
        warning_at: DateTime<Utc>,
        /// Counting the warning window looked at a day of a year without a published holiday
        /// arrangement (Monday–Friday assumed).
        calendar_unknown: bool,
        /// Approved extensions of the item including this one.
        extensions_approved: u32,
        settings: ExtensionSettings,
        note: Option<Text>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    ExtensionDenied {
        requested_deadline: Deadline,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 申请销号 with the four elements 问题—措施—成效—佐证.
    SignOffRequested {
        problem: Text,
        measures: Text,
        result: Text,
        /// The result's outcome indicators, if given; counted when the request is verified.
        /// Absent from requests recorded before indicators existed.
        #[serde(default)]
        indicators: Option<OutcomeIndicators>,
        evidence: Vec<EvidenceRef>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 退回补正. `send_backs` counts every send-back of the item including this one.
    SignOffRejected {
        reasons: Vec<Text>,
        send_backs: u32,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 销号. `on_time` = closed before the deadline in force passed; `after_original_deadline`
    /// = closed after the original deadline passed (bulletins count those too).
    ItemClosed {
        deadline_in_force: Deadline,
        original_deadline: Deadline,
        on_time: bool,
        after_original_deadline: bool,
        /// When the unit asked for the sign-off that is verified here.
        sign_off_requested_at: DateTime<Utc>,
        /// 回头看 is due at this instant: the sign-off + `reinspection_days`.
        reinspection_due_at: DateTime<Utc>,
        /// The campaign's re-inspection delay (days) in force at verification.
        reinspection_days: u32,
        note: Option<Text>,
        /// The outcome indicators of the verified request, added to the item's totals now.
        #[serde(default)]
        outcome: Option<OutcomeIndicators>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 回头看 found the rectification holding.
    ReinspectionPassed {
        findings: Option<Text>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 回头看 found a relapse: the item reopens with a new deadline in force, to be
    /// acknowledged again. Counts against the unit. `settings` are the [`DeadlineSettings`] in
    /// force at the relapse, from which the new 签收 and warning instants were counted.
    ItemReopened {
        findings: Text,
        new_deadline: Deadline,
        acknowledgement_due_at: DateTime<Utc>,
        deadline_passes_at: DateTime<Utc>,
        warning_at: DateTime<Utc>,
        /// As in [`ItemAssigned`](ItemEvent::ItemAssigned): a day of an unknown year was
        /// counted on the Monday–Friday fallback.
        calendar_unknown: bool,
        /// Relapses of the item including this one.
        relapses: u32,
        settings: DeadlineSettings,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 改派. The deadline in force is kept; `sign_off_cancelled` when a pending request was
    /// cancelled with it; the new unit's 签收 is due by `acknowledgement_due_at`, counted with
    /// the `acknowledgement_working_days` in force at reassignment.
    ItemReassigned {
        from_unit: UnitId,
        from_person: PersonId,
        responsible_unit: UnitId,
        responsible_person: PersonId,
        reason: Text,
        acknowledgement_due_at: DateTime<Utc>,
        acknowledgement_working_days: u32,
        /// Counting the 签收 window looked at a year without a published arrangement.
        calendar_unknown: bool,
        sign_off_cancelled: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
    ItemWithdrawn {
        ground: WithdrawalGround,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The unit did not acknowledge in time; `effective_at` is the due instant that passed.
    /// Recorded once: by the scheduler, or just before a late [`ItemAcknowledged`] or an
    /// [`ItemReassigned`] that came first (the new unit's window replaces the old one).
    ///
    /// [`ItemAcknowledged`]: ItemEvent::ItemAcknowledged
    /// [`ItemReassigned`]: ItemEvent::ItemReassigned
    AcknowledgementOverdueRecorded {
        effective_at: DateTime<Utc>,
        /// The due instant was computed on a guessed calendar (see `ItemAssigned`).
        calendar_unknown: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The item entered the warning window of `deadline` at `effective_at` (never before the
    /// deadline was set).
    DeadlineWarningRecorded {
        deadline: Deadline,
        effective_at: DateTime<Utc>,
        deadline_passes_at: DateTime<Utc>,
        /// The warning instant was computed on a guessed calendar (see `ItemAssigned`).
        calendar_unknown: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 回头看 fell due at `effective_at` (the closure's `reinspection_due_at`): the closed item
    /// is owed its re-inspection. Recorded at most once per closure, never after the
    /// re-inspection itself.
    ReinspectionDueRecorded {
        effective_at: DateTime<Utc>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 逾期: `deadline` passed at `effective_at` with the item not closed. Recorded at most once
    /// per deadline; `at` may be later than `effective_at` (the scheduler was down, say). Also
    /// recorded by a sign-off, extension approval, withdrawal or re-inspection handled after
    /// the deadline passed, just before that command's own event, when not recorded yet.
    ItemBecameOverdue {
        deadline: Deadline,
        effective_at: DateTime<Utc>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 容错纠错. A later ruling supersedes an earlier one. `by` is who ruled.
    FaultToleranceRuled {
        /// The one episode this ruling covers; it never carries over to a later one.
        episode: Episode,
        cause: FaultCause,
        decision: FaultDecision,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 批示 by `instructed_by`, entered by `by`.
    InstructionRecorded {
        text: Text,
        instructed_by: PersonId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 催办 addressed to `unit`.
    ItemUrged {
        unit: UnitId,
        text: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 结转: the open item belongs to campaign `to` (and its `task_force` there) from `at`
    /// on. Its code, its history and the deadline in force stay; from this event on the
    /// executor scopes the stream's events to `to`, so a projection of `from` learns that the
    /// item left it from this event's payload, not its metadata.
    ItemCarriedOver {
        from: CampaignId,
        to: CampaignId,
        task_force: TaskForceId,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 成效: outcome indicators recorded with their evidence, added to the totals; `totals`
    /// are the item's totals including this record.
    OutcomeRecorded {
        indicators: OutcomeIndicators,
        evidence: Vec<EvidenceRef>,
        totals: OutcomeTotals,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 更正: indicators recorded wrongly, deducted from the totals with a reason; `totals` are
    /// the totals after the deduction.
    OutcomeCorrected {
        deducted: OutcomeIndicators,
        reason: Text,
        totals: OutcomeTotals,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(ItemEvent {
    ItemRegistered => "rectiflow.item.registered",
    ItemAssigned => "rectiflow.item.assigned",
    ItemAcknowledged => "rectiflow.item.acknowledged",
    ProgressReported => "rectiflow.item.progress_reported",
    ExtensionRequested => "rectiflow.item.extension_requested",
    ExtensionApproved => "rectiflow.item.extension_approved",
    ExtensionDenied => "rectiflow.item.extension_denied",
    SignOffRequested => "rectiflow.item.sign_off_requested",
    SignOffRejected => "rectiflow.item.sign_off_rejected",
    ItemClosed => "rectiflow.item.closed",
    ReinspectionPassed => "rectiflow.item.reinspection_passed",
    ItemReopened => "rectiflow.item.reopened",
    ItemReassigned => "rectiflow.item.reassigned",
    ItemWithdrawn => "rectiflow.item.withdrawn",
    AcknowledgementOverdueRecorded => "rectiflow.item.acknowledgement_overdue_recorded",
    DeadlineWarningRecorded => "rectiflow.item.deadline_warning_recorded",
    ItemBecameOverdue => "rectiflow.item.became_overdue",
    ReinspectionDueRecorded => "rectiflow.item.reinspection_due_recorded",
    FaultToleranceRuled => "rectiflow.item.fault_tolerance_ruled",
    InstructionRecorded => "rectiflow.item.instruction_recorded",
    ItemUrged => "rectiflow.item.urged",
    ItemCarriedOver => "rectiflow.item.carried_over",
    OutcomeRecorded => "rectiflow.item.outcome_recorded",
    OutcomeCorrected => "rectiflow.item.outcome_corrected",
});

crate::event::attributed!(
    ItemEvent {
        ItemRegistered,
        ItemAssigned,
        ItemAcknowledged,
        ProgressReported,
        ExtensionRequested,
        ExtensionApproved,
        ExtensionDenied,
        SignOffRequested,
        SignOffRejected,
        ItemClosed,
        ReinspectionPassed,
        ItemReopened,
        ItemReassigned,
        ItemWithdrawn,
        AcknowledgementOverdueRecorded,
        DeadlineWarningRecorded,
        ItemBecameOverdue,
        ReinspectionDueRecorded,
        FaultToleranceRuled,
        InstructionRecorded,
        ItemUrged,
        ItemCarriedOver,
        OutcomeRecorded,
        OutcomeCorrected
    },
    effective_at = effective_at
);

/// Deadline facts take effect when the deadline or window passed, however late recorded.
fn effective_at(event: &ItemEvent) -> DateTime<Utc> {
    match event {
        ItemEvent::AcknowledgementOverdueRecorded { effective_at, .. }
        | ItemEvent::DeadlineWarningRecorded { effective_at, .. }
        | ItemEvent::ItemBecameOverdue { effective_at, .. }
        | ItemEvent::ReinspectionDueRecorded { effective_at, .. } => *effective_at,
        other => crate::event::Attributed::at(other),
    }
}

/// Nothing in these events is sealed: the whole event is public.
impl PublicView for ItemEvent {}
