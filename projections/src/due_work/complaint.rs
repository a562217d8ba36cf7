//! The complaint watch: per complaint, when its response falls due (DOMAIN.md "Complaints":
//! a response within the window in force at receipt — 24 hours for school meals), armed at
//! receipt and disarmed by the response, the missed-response fact or the closing.

use chrono::{DateTime, Utc};
use rectiflow_domain::complaint::ComplaintEvent;
use rectiflow_engine::{LoggedEvent, ReadModelStore, StoreError};
use serde::{Deserialize, Serialize};

use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

/// One complaint's armed watch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintWatchRow {
    /// The complaint's stream id.
    pub complaint: String,
    pub campaign: String,
    /// When the response is due; `None` once answered, recorded missed, or closed.
    pub next_due_at: Option<DateTime<Utc>>,
    /// The log position of the complaint's last event.
    pub position: i64,
}

/// The complaint watch's fold and table.
pub struct ComplaintWatch;

impl RowProjection for ComplaintWatch {
    const NAME: &'static str = "complaint-watch";
    const STREAM_TYPE: &'static str = "complaint";
    const INDEXES: &'static [&'static str] = &["next_due_at"];
    const TABLE: TableSpec = TableSpec {
        name: "complaint_watch",
        key: "complaint",
        columns: &[
            Column::required("complaint", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::optional("next_due_at", ColumnKind::Timestamp),
            Column::required("position", ColumnKind::Integer),
        ],
    };
    type Event = ComplaintEvent;
    type Row = ComplaintWatchRow;

    fn fold(
        row: Option<ComplaintWatchRow>,
        stream_id: &str,
        event: ComplaintEvent,
        logged: &LoggedEvent,
    ) -> Option<ComplaintWatchRow> {
        let mut row = match (row, event) {
            (
                _,
                ComplaintEvent::Received {
                    campaign,
                    response_due,
                    ..
                },
            ) => ComplaintWatchRow {
                complaint: stream_id.to_owned(),
                campaign: campaign.as_str().to_owned(),
                next_due_at: Some(response_due),
                position: 0,
            },
            (None, _) => return None,
            (
                Some(mut row),
                ComplaintEvent::Responded { .. }
                | ComplaintEvent::ResponseMissed { .. }
                | ComplaintEvent::Closed { .. },
            ) => {
                row.next_due_at = None;
                row
            }
            (Some(row), _) => row,
        };
        row.position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        Some(row)
    }
}

/// Up to `limit` complaints whose response is due by `now`, earliest first, after `after`.
pub async fn complaints_due<S: ReadModelStore>(
    store: &S,
    now: DateTime<Utc>,
    after: Option<(DateTime<Utc>, &str)>,
    limit: u32,
) -> Result<Vec<ComplaintWatchRow>, StoreError> {
    super::query::due::<S, ComplaintWatch>(store, now, after, limit).await
}
