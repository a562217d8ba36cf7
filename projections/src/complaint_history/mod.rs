//! Complaints as publications count them (DOMAIN.md "Definitions", response rate; "Assessment",
//! complaint ratings): one row per complaint with its response due instant, the unit that had
//! to respond and every transfer of that duty, its answer and its ratings — each with the
//! instant it took effect and its log position, so the response rate can be taken for any
//! period as of any log position and name the complaints behind it. Never the complainant,
//! the words or the attachments: those are sealed and not read here.

mod due;

use chrono::{DateTime, Utc};
use rectiflow_domain::complaint::ComplaintEvent;
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

pub use due::ResponseDue;

/// A fact of a complaint's response duty, with its instant and log position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marked<T> {
    #[serde(rename = "p")]
    pub position: u64,
    #[serde(rename = "t")]
    pub at: DateTime<Utc>,
    #[serde(rename = "v")]
    pub value: T,
}

impl<T> Marked<T> {
    fn new(logged: &LoggedEvent, at: DateTime<Utc>, value: T) -> Self {
        Self {
            position: logged.position,
            at,
            value,
        }
    }
}

/// One complaint's response duty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintRow {
    pub complaint: String,
    pub campaign: String,
    /// The task force whose secretariat supervises it, if the campaign had one for its field.
    pub task_force: Option<String>,
    pub received_at: DateTime<Utc>,
    pub received_position: i64,
    pub response_due: DateTime<Utc>,
    /// The unit that had to respond at receipt (for school meals, the education department).
    pub responder: String,
    /// Each transfer of the duty to another unit.
    #[serde(with = "crate::json_text")]
    pub transfers: Vec<Marked<String>>,
    /// The first answer.
    #[serde(with = "crate::json_text")]
    pub answered: Option<Marked<()>>,
    /// Each rating (1–5) the complainant gave.
    #[serde(with = "crate::json_text")]
    pub ratings: Vec<Marked<u8>>,
    /// The log position of the last event folded in.
    pub position: i64,
}

/// The complaints' fold and table.
pub struct ComplaintHistory;

impl RowProjection for ComplaintHistory {
    const NAME: &'static str = "complaint-history";
    const STREAM_TYPE: &'static str = "complaint";
    const TABLE: TableSpec = TableSpec {
        name: "complaint_history",
        key: "complaint",
        columns: &[
            Column::required("complaint", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::optional("task_force", ColumnKind::Text),
            Column::required("received_at", ColumnKind::Timestamp),
            Column::required("received_position", ColumnKind::Integer),
            Column::required("response_due", ColumnKind::Timestamp),
            Column::required("responder", ColumnKind::Text),
            Column::required("transfers", ColumnKind::Json),
            Column::required("answered", ColumnKind::Json),
            Column::required("ratings", ColumnKind::Json),
            Column::required("position", ColumnKind::Integer),
        ],
    };
    type Event = ComplaintEvent;
    type Row = ComplaintRow;

    fn fold(
        row: Option<ComplaintRow>,
        stream_id: &str,
        event: ComplaintEvent,
        logged: &LoggedEvent,
    ) -> Option<ComplaintRow> {
        let position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        let mut row = match (row, event) {
            (
                _,
                ComplaintEvent::Received {
                    campaign,
                    task_force,
                    responder,
                    response_due,
                    at,
                    ..
                },
            ) => ComplaintRow {
                complaint: stream_id.to_owned(),
                campaign: campaign.as_str().to_owned(),
                task_force: task_force.map(|t| t.as_str().to_owned()),
                received_at: at,
                received_position: position,
                response_due,
                responder: responder.as_str().to_owned(),
                transfers: Vec::new(),
                answered: None,
                ratings: Vec::new(),
                position,
            },
            (None, _) => return None,
            (Some(mut row), event) => {
                match event {
                    ComplaintEvent::Transferred { to, at, .. } => {
                        row.transfers
                            .push(Marked::new(logged, at, to.as_str().to_owned()));
                    }
                    ComplaintEvent::Responded { at, .. } if row.answered.is_none() => {
                        row.answered = Some(Marked::new(logged, at, ()));
                    }
                    ComplaintEvent::FeedbackRecorded { rating, at, .. } => {
                        row.ratings.push(Marked::new(logged, at, rating.get()));
                    }
                    _ => {}
                }
                row
            }
        };
        row.position = position;
        Some(row)
    }
}
