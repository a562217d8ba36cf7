//! The items' histories for publications: one row per item holding its [`Fact`]s — a compact
//! copy of its stream with positions and effective instants — from which [`ItemAsOf::at`]
//! rebuilds how the item stood at any cut-off as of any log position. So figures can be
//! computed for any period as of any instant (time travel), and each figure can name the
//! items and positions behind it (drill-down), without replaying streams from the log.

mod as_of;
mod fact;
mod wire;

use rectiflow_domain::item::ItemEvent;
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

pub use as_of::{Closure, Happened, Happening, ItemAsOf};
pub use fact::{Fact, FactKind};

/// One item's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemHistoryRow {
    pub code: String,
    /// The campaign and task force the item belongs to now (a carry-over moves it): only to
    /// narrow a read; the figures take them from the facts as of the cut-off.
    pub campaign: String,
    pub task_force: String,
    #[serde(with = "crate::json_text")]
    pub facts: Vec<Fact>,
    /// The log position of the last event folded in.
    pub position: i64,
}

impl ItemHistoryRow {
    /// The item as it stood at `cut_off`, as of log position `position`.
    pub fn as_of(&self, position: u64, cut_off: chrono::DateTime<chrono::Utc>) -> Option<ItemAsOf> {
        ItemAsOf::at(&self.code, &self.facts, position, cut_off)
    }
}

/// The histories' fold and table.
pub struct ItemHistory;

impl RowProjection for ItemHistory {
    const NAME: &'static str = "item-history";
    const STREAM_TYPE: &'static str = "item";
    const TABLE: TableSpec = TableSpec {
        name: "item_history",
        key: "code",
        columns: &[
            Column::required("code", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::required("task_force", ColumnKind::Text),
            Column::required("facts", ColumnKind::Json),
            Column::required("position", ColumnKind::Integer),
        ],
    };
    type Event = ItemEvent;
    type Row = ItemHistoryRow;

    fn fold(
        row: Option<ItemHistoryRow>,
        stream_id: &str,
        event: ItemEvent,
        logged: &LoggedEvent,
    ) -> Option<ItemHistoryRow> {
        let position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        let fact = Fact::of(&event, logged.position);
        let mut row = match (row, &event) {
            (_, ItemEvent::ItemRegistered { .. }) => ItemHistoryRow {
                code: stream_id.to_owned(),
                campaign: String::new(),
                task_force: String::new(),
                facts: Vec::new(),
                position,
            },
            // Every other event follows a registration.
            (None, _) => return None,
            (Some(row), _) => row,
        };
        if let Some(fact) = fact {
            match &fact.kind {
                FactKind::Registered {
                    campaign,
                    task_force,
                    ..
                }
                | FactKind::CarriedOver {
                    campaign,
                    task_force,
                } => {
                    row.campaign.clone_from(campaign);
                    row.task_force.clone_from(task_force);
                }
                _ => {}
            }
            row.facts.push(fact);
        }
        row.position = position;
        Some(row)
    }
}

#[cfg(test)]
pub(crate) mod tests;
