//! 问题清单 — the issue list as a register, and the row of its ledger (台账): one row per item,
//! with its state, its unit and person, every deadline fact the ledger shows, its rulings per
//! episode, its last progress and its outcome totals. The first read model, and the pattern for
//! the ledgers, rankings and bulletins that follow: a pure fold per item, kept by a
//! [`Projector`] in a table both backends hold alike.
//!
//! The row stores facts only. What depends on the instant asked about — the colour, whether
//! the item is overdue, the days overdue — is derived at read time by [`ItemEntry::colour_at`],
//! [`ItemEntry::overdue_at`] and [`ItemEntry::days_overdue_at`] (in `ledger`), so a rebuilt
//! table equals the live one row by row.
//!
//! [`Projector`]: crate::Projector

mod export;
mod fold;
mod ledger;
mod query;
mod rulings;

use chrono::{DateTime, Utc};
use rectiflow_domain::item::{ItemEvent, ItemState, Severity};
use rectiflow_domain::values::{Deadline, Percent, Yuan};
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

pub use export::{colour_label, state_label, to_csv, to_xlsx};
pub use query::{
    query_ledger, Cursor, LedgerError, LedgerPage, LedgerQuery, LedgerQueryError, LedgerSort,
    SortKey, MAX_LIMIT,
};
pub use rulings::EpisodeRuling;

/// One item of the issue list as the register and the ledger show it. Every field is a fact
/// of the item's events; nothing here depends on the current time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ItemEntry {
    /// The item's code (its stream id), e.g. `YB-2026-0001`.
    pub code: String,
    /// The campaign the item belongs to now (a carry-over moves it on).
    pub campaign: String,
    pub task_force: String,
    pub title: String,
    /// From the task force's vocabulary.
    pub category: String,
    pub severity: Severity,
    pub state: ItemState,
    pub registered_at: DateTime<Utc>,
    /// The send-back threshold for yellow, fixed at registration.
    pub yellow_after_send_backs: i64,
    /// 责任单位, once assigned.
    pub responsible_unit: Option<String>,
    /// 责任人, once assigned.
    pub responsible_person: Option<String>,
    /// 监督单位, once assigned.
    pub supervising_unit: Option<String>,
    /// The deadline set at assignment ("closed after the original deadline" refers to it).
    pub original_deadline: Option<Deadline>,
    /// The deadline in force (after approved extensions and relapses).
    pub deadline: Option<Deadline>,
    /// Which deadline of the item is in force: 1 = the original, each extension or reopening
    /// the next — the number of its `Episode::Deadline`; 0 before assignment.
    pub deadline_number: i64,
    /// The instant the deadline in force passes (24:00 local of its date).
    pub deadline_passes_at: Option<DateTime<Utc>>,
    /// The instant the warning window of the deadline in force opens.
    pub warning_at: Option<DateTime<Utc>>,
    /// 签收 of the current assignment or reopening is due by this instant.
    pub acknowledgement_due_at: Option<DateTime<Utc>>,
    /// 签收 of the current assignment or reopening; `None` until acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The current 签收 came (or is still missing) past its due instant: the fact was recorded.
    pub acknowledgement_late: bool,
    /// 逾期: the deadline in force passed with the item open (recorded by the scheduler or by
    /// the late command itself). See [`ItemEntry::overdue_at`] for the flag as of an instant.
    pub overdue: bool,
    /// The last progress report's percent and instant.
    pub last_progress_percent: Option<Percent>,
    pub last_progress_at: Option<DateTime<Utc>>,
    /// The pending sign-off request's instant; `None` unless the item is pending sign-off.
    pub sign_off_requested_at: Option<DateTime<Utc>>,
    /// 销号: the latest closure's instant; `None` while open (a relapse reopens it).
    pub closed_at: Option<DateTime<Utc>>,
    /// Closed (销号) before the deadline in force passed; `None` until closed.
    pub closed_on_time: Option<bool>,
    /// Closed after the original deadline passed (bulletins count those too); `None` until
    /// closed.
    pub closed_after_original_deadline: Option<bool>,
    /// 回头看 of the latest closure is due at this instant.
    pub reinspection_due_at: Option<DateTime<Utc>>,
    /// 撤销: when the item left the list.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// 结转: the campaign the item was last carried over from.
    pub carried_over_from: Option<String>,
    pub extensions: i64,
    /// 延期申请 awaiting the secretariat's decision: when the unit asked, and for which date;
    /// `None` once approved or denied (or when none was asked).
    pub extension_requested_at: Option<DateTime<Utc>>,
    pub extension_requested_to: Option<Deadline>,
    pub send_backs: i64,
    pub relapses: i64,
    /// 容错纠错: one ruling per episode, in the order they were made.
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Vec<EpisodeRuling>")]
    pub rulings: Vec<EpisodeRuling>,
    /// 成效指标 totals: every outcome record and verified sign-off, less corrections. Amounts
    /// are exact decimal strings (`"360000.00"`).
    pub funds_recovered: Yuan,
    pub people_affected: i64,
    pub subsidies_returned: Yuan,
    /// The log position of the last event folded in.
    pub position: i64,
}

/// The register's fold and table.
pub struct ItemRegister;

impl RowProjection for ItemRegister {
    const NAME: &'static str = "item-register";
    const STREAM_TYPE: &'static str = "item";
    /// 2: the pending extension request.
    const VERSION: u32 = 2;
    /// The ledger's filters ([`LedgerQuery`]).
    const INDEXES: &'static [&'static str] = &[
        "campaign",
        "task_force",
        "responsible_unit",
        "state",
        "category",
        "deadline_passes_at",
    ];
    const TABLE: TableSpec = TableSpec {
        name: "item_register",
        key: "code",
        columns: &[
            Column::required("code", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::required("task_force", ColumnKind::Text),
            Column::required("title", ColumnKind::Text),
            Column::required("category", ColumnKind::Text),
            Column::required("severity", ColumnKind::Text),
            Column::required("state", ColumnKind::Text),
            Column::required("registered_at", ColumnKind::Timestamp),
            Column::required("yellow_after_send_backs", ColumnKind::Integer),
            Column::optional("responsible_unit", ColumnKind::Text),
            Column::optional("responsible_person", ColumnKind::Text),
            Column::optional("supervising_unit", ColumnKind::Text),
            Column::optional("original_deadline", ColumnKind::Text),
            Column::optional("deadline", ColumnKind::Text),
            Column::required("deadline_number", ColumnKind::Integer),
            Column::optional("deadline_passes_at", ColumnKind::Timestamp),
            Column::optional("warning_at", ColumnKind::Timestamp),
            Column::optional("acknowledgement_due_at", ColumnKind::Timestamp),
            Column::optional("acknowledged_at", ColumnKind::Timestamp),
            Column::required("acknowledgement_late", ColumnKind::Boolean),
            Column::required("overdue", ColumnKind::Boolean),
            Column::optional("last_progress_percent", ColumnKind::Integer),
            Column::optional("last_progress_at", ColumnKind::Timestamp),
            Column::optional("sign_off_requested_at", ColumnKind::Timestamp),
            Column::optional("closed_at", ColumnKind::Timestamp),
            Column::optional("closed_on_time", ColumnKind::Boolean),
            Column::optional("closed_after_original_deadline", ColumnKind::Boolean),
            Column::optional("reinspection_due_at", ColumnKind::Timestamp),
            Column::optional("withdrawn_at", ColumnKind::Timestamp),
            Column::optional("carried_over_from", ColumnKind::Text),
            Column::required("extensions", ColumnKind::Integer),
            Column::optional("extension_requested_at", ColumnKind::Timestamp),
            Column::optional("extension_requested_to", ColumnKind::Text),
            Column::required("send_backs", ColumnKind::Integer),
            Column::required("relapses", ColumnKind::Integer),
            Column::required("rulings", ColumnKind::Json),
            Column::required("funds_recovered", ColumnKind::Text),
            Column::required("people_affected", ColumnKind::Integer),
            Column::required("subsidies_returned", ColumnKind::Text),
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
                    category,
                    severity,
                    yellow_after_send_backs,
                    at,
                    ..
                },
            ) => ItemEntry {
                code: stream_id.to_owned(),
                campaign: campaign.as_str().to_owned(),
                task_force: task_force.as_str().to_owned(),
                title: title.as_str().to_owned(),
                category: category.as_str().to_owned(),
                severity,
                state: ItemState::Registered,
                registered_at: at,
                yellow_after_send_backs: i64::from(yellow_after_send_backs),
                responsible_unit: None,
                responsible_person: None,
                supervising_unit: None,
                original_deadline: None,
                deadline: None,
                deadline_number: 0,
                deadline_passes_at: None,
                warning_at: None,
                acknowledgement_due_at: None,
                acknowledged_at: None,
                acknowledgement_late: false,
                overdue: false,
                last_progress_percent: None,
                last_progress_at: None,
                sign_off_requested_at: None,
                closed_at: None,
                closed_on_time: None,
                closed_after_original_deadline: None,
                reinspection_due_at: None,
                withdrawn_at: None,
                carried_over_from: None,
                extensions: 0,
                extension_requested_at: None,
                extension_requested_to: None,
                send_backs: 0,
                relapses: 0,
                rulings: Vec::new(),
                funds_recovered: Yuan::ZERO,
                people_affected: 0,
                subsidies_returned: Yuan::ZERO,
                position,
            },
            // Every other event follows a registration; without one there is nothing to show.
            (None, _) => return None,
            (Some(entry), event) => fold::apply(entry, event),
        };
        // A sign-off request is shown only while it is pending: every way out of
        // `pending_sign_off` (verified, sent back, cancelled by a reassignment, withdrawn)
        // ends it. An extension request is pending only while the item is open.
        if entry.state != ItemState::PendingSignOff {
            entry.sign_off_requested_at = None;
        }
        if !entry.state.is_open() {
            entry.extension_requested_at = None;
            entry.extension_requested_to = None;
        }
        entry.position = position;
        Some(entry)
    }
}

#[cfg(test)]
mod tests;
