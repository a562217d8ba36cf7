//! 问题清单 — the issue list as a register: one row per item, with its state, its unit, the
//! deadline in force and whether it passed. The first read model, and the pattern for the
//! ledgers, rankings and bulletins that follow: a pure fold per item, kept by a [`Projector`]
//! in a table both backends hold alike.
//!
//! [`Projector`]: crate::Projector

use chrono::{DateTime, Utc};
use rectiflow_domain::item::{ItemEvent, ItemState, Severity};
use rectiflow_domain::values::Deadline;
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

/// One item of the issue list as the register shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemEntry {
    /// The item's code (its stream id), e.g. `YB-2026-0001`.
    pub code: String,
    pub campaign: String,
    pub task_force: String,
    pub title: String,
    pub severity: Severity,
    pub state: ItemState,
    /// 责任单位, once assigned.
    pub responsible_unit: Option<String>,
    /// The deadline in force (after approved extensions and relapses).
    pub deadline: Option<Deadline>,
    /// The instant the deadline in force passes (24:00 local of its date).
    pub deadline_passes_at: Option<DateTime<Utc>>,
    /// 逾期: the deadline in force passed with the item open (recorded by the scheduler or by
    /// the late command itself).
    pub overdue: bool,
    /// Closed (销号) before the deadline in force passed; `None` until closed.
    pub closed_on_time: Option<bool>,
    pub extensions: i64,
    pub send_backs: i64,
    pub relapses: i64,
    /// The log position of the last event folded in.
    pub position: i64,
}

/// The register's fold and table.
pub struct ItemRegister;

impl RowProjection for ItemRegister {
    const NAME: &'static str = "item-register";
    const STREAM_TYPE: &'static str = "item";
    const TABLE: TableSpec = TableSpec {
        name: "item_register",
        key: "code",
        columns: &[
            Column::required("code", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::required("task_force", ColumnKind::Text),
            Column::required("title", ColumnKind::Text),
            Column::required("severity", ColumnKind::Text),
            Column::required("state", ColumnKind::Text),
            Column::optional("responsible_unit", ColumnKind::Text),
            Column::optional("deadline", ColumnKind::Text),
            Column::optional("deadline_passes_at", ColumnKind::Timestamp),
            Column::required("overdue", ColumnKind::Boolean),
            Column::optional("closed_on_time", ColumnKind::Boolean),
            Column::required("extensions", ColumnKind::Integer),
            Column::required("send_backs", ColumnKind::Integer),
            Column::required("relapses", ColumnKind::Integer),
            Column::required("position", ColumnKind::Integer),
        ],
    };
    type Event = ItemEvent;
    type Row = ItemEntry;

    fn fold(
        row: Option<ItemEntry>,
        stream_id: &str,
        event: ItemEvent,
        logged: &LoggedEvent,
    ) -> Option<ItemEntry> {
        let position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        let mut entry = match (row, event) {
            (
                _,
                ItemEvent::ItemRegistered {
                    campaign,
                    task_force,
                    title,
                    severity,
                    ..
                },
            ) => ItemEntry {
                code: stream_id.to_owned(),
                campaign: campaign.as_str().to_owned(),
                task_force: task_force.as_str().to_owned(),
                title: title.as_str().to_owned(),
                severity,
                state: ItemState::Registered,
                responsible_unit: None,
                deadline: None,
                deadline_passes_at: None,
                overdue: false,
                closed_on_time: None,
                extensions: 0,
                send_backs: 0,
                relapses: 0,
                position,
            },
            // Every other event follows a registration; without one there is nothing to show.
            (None, _) => return None,
            (Some(entry), event) => apply(entry, event),
        };
        entry.position = position;
        Some(entry)
    }
}

/// What one event after the registration changes. The states follow the aggregate's own.
fn apply(mut entry: ItemEntry, event: ItemEvent) -> ItemEntry {
    match event {
        ItemEvent::ItemAssigned {
            responsible_unit,
            deadline,
            deadline_passes_at,
            ..
        } => {
            entry.state = ItemState::Assigned;
            entry.responsible_unit = Some(responsible_unit.as_str().to_owned());
            entry.deadline = Some(deadline);
            entry.deadline_passes_at = Some(deadline_passes_at);
        }
        ItemEvent::ItemAcknowledged { .. } => entry.state = ItemState::InProgress,
        ItemEvent::ExtensionApproved {
            new_deadline,
            deadline_passes_at,
            extensions_approved,
            ..
        } => {
            // A new deadline is in force: the item is overdue again only when it passes.
            entry.deadline = Some(new_deadline);
            entry.deadline_passes_at = Some(deadline_passes_at);
            entry.extensions = i64::from(extensions_approved);
            entry.overdue = false;
        }
        ItemEvent::SignOffRequested { .. } => entry.state = ItemState::PendingSignOff,
        ItemEvent::SignOffRejected { send_backs, .. } => {
            entry.state = ItemState::InProgress;
            entry.send_backs = i64::from(send_backs);
        }
        ItemEvent::ItemClosed { on_time, .. } => {
            entry.state = ItemState::Closed;
            entry.closed_on_time = Some(on_time);
        }
        ItemEvent::ItemReopened {
            new_deadline,
            deadline_passes_at,
            relapses,
            ..
        } => {
            entry.state = ItemState::Reopened;
            entry.deadline = Some(new_deadline);
            entry.deadline_passes_at = Some(deadline_passes_at);
            entry.relapses = i64::from(relapses);
            entry.overdue = false;
            entry.closed_on_time = None;
        }
        ItemEvent::ItemReassigned {
            responsible_unit, ..
        } => {
            // 改派: the deadline stays; the new unit must acknowledge.
            entry.state = ItemState::Assigned;
            entry.responsible_unit = Some(responsible_unit.as_str().to_owned());
        }
        ItemEvent::ItemWithdrawn { .. } => entry.state = ItemState::Withdrawn,
        ItemEvent::ItemCarriedOver { to, task_force, .. } => {
            // 结转: the same row (the code stays), now in the later campaign.
            entry.campaign = to.as_str().to_owned();
            entry.task_force = task_force.as_str().to_owned();
        }
        ItemEvent::ItemBecameOverdue { deadline, .. } => {
            // Only the deadline in force makes the item overdue now (a fact recorded late for
            // an earlier deadline stays history).
            if entry.deadline == Some(deadline) {
                entry.overdue = true;
            }
        }
        // Handled by the fold itself (a registration starts a row afresh).
        ItemEvent::ItemRegistered { .. }
        | ItemEvent::ProgressReported { .. }
        | ItemEvent::ExtensionRequested { .. }
        | ItemEvent::ExtensionDenied { .. }
        | ItemEvent::ReinspectionPassed { .. }
        | ItemEvent::AcknowledgementOverdueRecorded { .. }
        | ItemEvent::DeadlineWarningRecorded { .. }
        | ItemEvent::FaultToleranceRuled { .. }
        | ItemEvent::InstructionRecorded { .. }
        | ItemEvent::ItemUrged { .. }
        | ItemEvent::OutcomeRecorded { .. }
        | ItemEvent::OutcomeCorrected { .. } => {}
    }
    entry
}

#[cfg(test)]
mod tests;
