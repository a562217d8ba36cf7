//! The alert watch: per data alert, when its triage falls due (DOMAIN.md "Data alerts": within
//! 3 working days *(configurable)*), armed at receipt and disarmed by the triage or the
//! missed-triage fact.

use chrono::{DateTime, Utc};
use rectiflow_domain::alert::AlertEvent;
use rectiflow_engine::{LoggedEvent, ReadModelStore, StoreError};
use serde::{Deserialize, Serialize};

use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

/// One alert's armed watch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertWatchRow {
    /// The alert's stream id.
    pub alert: String,
    pub campaign: String,
    /// When the triage is due; `None` once triaged or recorded missed.
    pub next_due_at: Option<DateTime<Utc>>,
    /// The log position of the alert's last event.
    pub position: i64,
}

/// The alert watch's fold and table.
pub struct AlertWatch;

impl RowProjection for AlertWatch {
    const NAME: &'static str = "alert-watch";
    const STREAM_TYPE: &'static str = "alert";
    const INDEXES: &'static [&'static str] = &["next_due_at"];
    const TABLE: TableSpec = TableSpec {
        name: "alert_watch",
        key: "alert",
        columns: &[
            Column::required("alert", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::optional("next_due_at", ColumnKind::Timestamp),
            Column::required("position", ColumnKind::Integer),
        ],
    };
    type Event = AlertEvent;
    type Row = AlertWatchRow;

    fn fold(
        row: Option<AlertWatchRow>,
        stream_id: &str,
        event: AlertEvent,
        logged: &LoggedEvent,
    ) -> Option<AlertWatchRow> {
        let mut row = match (row, event) {
            (
                _,
                AlertEvent::Received {
                    campaign,
                    triage_due,
                    ..
                },
            ) => AlertWatchRow {
                alert: stream_id.to_owned(),
                campaign: campaign.as_str().to_owned(),
                next_due_at: Some(triage_due),
                position: 0,
            },
            (None, _) => return None,
            (Some(mut row), AlertEvent::Triaged { .. } | AlertEvent::TriageMissed { .. }) => {
                row.next_due_at = None;
                row
            }
        };
        row.position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        Some(row)
    }
}

/// Up to `limit` alerts whose triage is due by `now`, earliest first, after `after`.
pub async fn alerts_due<S: ReadModelStore>(
    store: &S,
    now: DateTime<Utc>,
    after: Option<(DateTime<Utc>, &str)>,
    limit: u32,
) -> Result<Vec<AlertWatchRow>, StoreError> {
    super::query::due::<S, AlertWatch>(store, now, after, limit).await
}
