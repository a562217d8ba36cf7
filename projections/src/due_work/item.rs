//! The item watch: per item, when each deadline fact falls due (DOMAIN.md "The issue list":
//! 签收 within N working days, the warning window N working days before the deadline, 逾期 at
//! 24:00 local of the deadline date), and when a closed item's re-inspection (回头看) falls
//! due (the closure stores the instant: the sign-off plus `reinspection_days`).

use chrono::{DateTime, Utc};
use rectiflow_domain::item::ItemEvent;
use rectiflow_engine::{LoggedEvent, ReadModelStore, StoreError};
use serde::{Deserialize, Serialize};

use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

/// A deadline fact the item's watcher records when it falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchedFact {
    /// 签收 did not come in time (`RecordAcknowledgementOverdue`).
    AcknowledgementOverdue,
    /// The warning window of the deadline in force opened (`RecordDeadlineWarning`).
    DeadlineWarning,
    /// The deadline in force passed with the item open (`RecordOverdue`).
    Overdue,
    /// The closed item's re-inspection fell due (`RecordReinspectionDue`).
    ReinspectionDue,
}

/// One item's armed watches. Every instant is one its events stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemWatchRow {
    /// The item's stream id (its code).
    pub item: String,
    pub campaign: String,
    pub acknowledgement_due_at: Option<DateTime<Utc>>,
    pub warning_at: Option<DateTime<Utc>>,
    pub overdue_at: Option<DateTime<Utc>>,
    /// Armed by a closure, disarmed by the fact, the re-inspection, a reopening or withdrawal.
    pub reinspection_due_at: Option<DateTime<Utc>>,
    /// The earliest of the four: `None` when nothing is armed.
    pub next_due_at: Option<DateTime<Utc>>,
    /// The log position of the item's last event: a watcher refused on this row asks again
    /// only once the item has moved on.
    pub position: i64,
}

impl ItemWatchRow {
    /// The armed facts due by `now`, in the order the item would record them.
    pub fn due_by(&self, now: DateTime<Utc>) -> Vec<WatchedFact> {
        [
            (
                WatchedFact::AcknowledgementOverdue,
                self.acknowledgement_due_at,
            ),
            (WatchedFact::DeadlineWarning, self.warning_at),
            (WatchedFact::Overdue, self.overdue_at),
            (WatchedFact::ReinspectionDue, self.reinspection_due_at),
        ]
        .into_iter()
        .filter(|(_, at)| at.is_some_and(|at| at <= now))
        .map(|(fact, _)| fact)
        .collect()
    }

    fn disarm_all(&mut self) {
        self.acknowledgement_due_at = None;
        self.warning_at = None;
        self.overdue_at = None;
        self.reinspection_due_at = None;
    }
}

/// The item watch's fold and table.
pub struct ItemWatch;

impl RowProjection for ItemWatch {
    const NAME: &'static str = "item-watch";
    /// 2: the re-inspection column.
    const VERSION: u32 = 2;
    const STREAM_TYPE: &'static str = "item";
    const INDEXES: &'static [&'static str] = &["next_due_at"];
    const TABLE: TableSpec = TableSpec {
        name: "item_watch",
        key: "item",
        columns: &[
            Column::required("item", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::optional("acknowledgement_due_at", ColumnKind::Timestamp),
            Column::optional("warning_at", ColumnKind::Timestamp),
            Column::optional("overdue_at", ColumnKind::Timestamp),
            Column::optional("reinspection_due_at", ColumnKind::Timestamp),
            Column::optional("next_due_at", ColumnKind::Timestamp),
            Column::required("position", ColumnKind::Integer),
        ],
    };
    type Event = ItemEvent;
    type Row = ItemWatchRow;

    fn fold(
        row: Option<ItemWatchRow>,
        stream_id: &str,
        event: ItemEvent,
        logged: &LoggedEvent,
    ) -> Option<ItemWatchRow> {
        let mut row = match (row, event) {
            (_, ItemEvent::ItemRegistered { campaign, .. }) => ItemWatchRow {
                item: stream_id.to_owned(),
                campaign: campaign.as_str().to_owned(),
                acknowledgement_due_at: None,
                warning_at: None,
                overdue_at: None,
                reinspection_due_at: None,
                next_due_at: None,
                position: 0,
            },
            // Every other event follows the registration.
            (None, _) => return None,
            (Some(mut row), event) => {
                fold_into(&mut row, event);
                row
            }
        };
        row.next_due_at = [
            row.acknowledgement_due_at,
            row.warning_at,
            row.overdue_at,
            row.reinspection_due_at,
        ]
        .into_iter()
        .flatten()
        .min();
        row.position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        Some(row)
    }
}

fn fold_into(row: &mut ItemWatchRow, event: ItemEvent) {
    match event {
        ItemEvent::ItemAssigned {
            acknowledgement_due_at,
            deadline_passes_at,
            warning_at,
            at,
            ..
        }
        | ItemEvent::ItemReopened {
            acknowledgement_due_at,
            deadline_passes_at,
            warning_at,
            at,
            ..
        } => {
            row.acknowledgement_due_at = Some(acknowledgement_due_at);
            row.reinspection_due_at = None;
            // The window never opens before the deadline was set (as the aggregate clamps).
            row.warning_at = Some(warning_at.max(at));
            row.overdue_at = Some(deadline_passes_at);
        }
        ItemEvent::ExtensionApproved {
            deadline_passes_at,
            warning_at,
            at,
            ..
        } => {
            row.warning_at = Some(warning_at.max(at));
            row.overdue_at = Some(deadline_passes_at);
        }
        ItemEvent::ItemReassigned {
            acknowledgement_due_at,
            ..
        } => row.acknowledgement_due_at = Some(acknowledgement_due_at),
        ItemEvent::ItemAcknowledged { .. } | ItemEvent::AcknowledgementOverdueRecorded { .. } => {
            row.acknowledgement_due_at = None;
        }
        ItemEvent::DeadlineWarningRecorded { .. } => row.warning_at = None,
        // Overdue: the warning window of that deadline has closed with it.
        ItemEvent::ItemBecameOverdue { .. } => {
            row.warning_at = None;
            row.overdue_at = None;
        }
        ItemEvent::ItemClosed {
            reinspection_due_at,
            ..
        } => {
            row.disarm_all();
            row.reinspection_due_at = Some(reinspection_due_at);
        }
        ItemEvent::ItemWithdrawn { .. } => row.disarm_all(),
        ItemEvent::ReinspectionDueRecorded { .. } | ItemEvent::ReinspectionPassed { .. } => {
            row.reinspection_due_at = None;
        }
        ItemEvent::ItemCarriedOver { to, .. } => row.campaign = to.as_str().to_owned(),
        _ => {}
    }
}

/// Up to `limit` items with a fact due by `now`, earliest first (by `next_due_at`, then item),
/// after the row `after` (its `next_due_at` and item) when a watcher pages on: one range of
/// the `next_due_at` index.
pub async fn items_due<S: ReadModelStore>(
    store: &S,
    now: DateTime<Utc>,
    after: Option<(DateTime<Utc>, &str)>,
    limit: u32,
) -> Result<Vec<ItemWatchRow>, StoreError> {
    super::query::due::<S, ItemWatch>(store, now, after, limit).await
}
