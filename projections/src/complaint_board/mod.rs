//! 群众监督 — the complaints board: one row per complaint, with where it came in, who answers
//! for it (首接负责制: the first receiver, apart from the unit handling it now and its
//! designated handler 承办人), its response deadline and whether it was met, its outcome and
//! the complainant's rating. See DOMAIN.md "Complaints and public supervision".
//!
//! **Protection (DOMAIN.md "Protection")**: the board is read by leadership and integrators,
//! who may never read a complainant. A row holds the receiver's redacted summary and nothing
//! else of what the complainant said: no identity, contact, own words or attachments (they
//! are sealed in the event, and the fold never looks at the sealed part), not even whether the
//! complainant named themselves (that alone says someone did — see `PublicView`), nor the
//! free text of a response, a resolution or a reveal (they may quote the complaint).
//!
//! The row stores facts only: the due instant is the one the receipt recorded (the rule is
//! never recomputed here), the missed response is the fact the schedule recorded. Whether the
//! response is late *as of an instant* is derived at read time (in `deadline`).

mod deadline;

use chrono::{DateTime, Utc};
use rectiflow_domain::complaint::{Channel, ComplaintEvent, ComplaintStatus, FollowUp, Resolution};
use rectiflow_domain::settings::{Field, ResponseWindow};
use rectiflow_domain::values::Rating;
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

pub use deadline::ResponseStanding;

/// One complaint as the board shows it. Every field is a fact of the complaint's events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ComplaintEntry {
    /// The complaint's id (its stream id).
    pub complaint: String,
    pub campaign: String,
    /// The field (整治领域), e.g. `school_meals`.
    pub field: String,
    /// The field's task force at receipt, whose secretariat supervises the complaint.
    pub task_force: Option<String>,
    pub channel: Channel,
    /// 首接负责制: the unit that received the complaint, accountable until it is closed —
    /// never changed by a transfer.
    pub first_receiver: String,
    /// The unit that had to respond by the due instant, as the receipt named it (for school
    /// meals the education department, DOMAIN.md).
    pub responder: String,
    /// The unit handling the complaint now: the responder until a transfer.
    pub handling_unit: String,
    /// 承办人: the handling unit's designated handler; a transfer ends the designation.
    pub designated_handler: Option<String>,
    pub transfers: i64,
    pub state: ComplaintStatus,
    /// The receiver's redacted summary: the only words of the complaint the board shows.
    pub summary: String,
    pub received_at: DateTime<Utc>,
    /// The response window in force at receipt (24 hours for school meals, 3 working days
    /// elsewhere by default), as the receipt recorded it.
    #[serde(with = "crate::json_text")]
    #[schemars(with = "ResponseWindow")]
    pub response_window: ResponseWindow,
    /// The response is due strictly before this instant (recorded at receipt).
    pub response_due_at: DateTime<Utc>,
    /// The due instant was counted on a guessed calendar (a year without a published
    /// arrangement).
    pub calendar_unknown: bool,
    /// The first substantive reply (答复) and the unit that gave it.
    pub responded_at: Option<DateTime<Utc>>,
    pub responded_by_unit: Option<String>,
    /// The reply came strictly before the due instant; `None` until answered.
    pub responded_in_time: Option<bool>,
    /// The fact that the response window passed unanswered was recorded (at most once).
    pub response_missed: bool,
    /// 属实 / 不属实: `substantiated` or `unsubstantiated`, once resolved.
    pub resolution: Option<String>,
    /// What a substantiated complaint became (事事有回音、件件有着落): the clue and the case
    /// stream it is registered on, or the item.
    pub follow_up_clue: Option<String>,
    pub follow_up_case: Option<String>,
    pub follow_up_item: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The complainant's satisfaction, 1–5.
    pub rating: Option<Rating>,
    /// 办结.
    pub closed_at: Option<DateTime<Utc>>,
    /// The log position of the last event folded in.
    pub position: i64,
}

/// The complaints board's fold and table.
pub struct ComplaintBoard;

impl RowProjection for ComplaintBoard {
    const NAME: &'static str = "complaint-board";
    const STREAM_TYPE: &'static str = "complaint";
    const TABLE: TableSpec = TableSpec {
        name: "complaint_board",
        key: "complaint",
        columns: &[
            Column::required("complaint", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::required("field", ColumnKind::Text),
            Column::optional("task_force", ColumnKind::Text),
            Column::required("channel", ColumnKind::Text),
            Column::required("first_receiver", ColumnKind::Text),
            Column::required("responder", ColumnKind::Text),
            Column::required("handling_unit", ColumnKind::Text),
            Column::optional("designated_handler", ColumnKind::Text),
            Column::required("transfers", ColumnKind::Integer),
            Column::required("state", ColumnKind::Text),
            Column::required("summary", ColumnKind::Text),
            Column::required("received_at", ColumnKind::Timestamp),
            Column::required("response_window", ColumnKind::Json),
            Column::required("response_due_at", ColumnKind::Timestamp),
            Column::required("calendar_unknown", ColumnKind::Boolean),
            Column::optional("responded_at", ColumnKind::Timestamp),
            Column::optional("responded_by_unit", ColumnKind::Text),
            Column::optional("responded_in_time", ColumnKind::Boolean),
            Column::required("response_missed", ColumnKind::Boolean),
            Column::optional("resolution", ColumnKind::Text),
            Column::optional("follow_up_clue", ColumnKind::Text),
            Column::optional("follow_up_case", ColumnKind::Text),
            Column::optional("follow_up_item", ColumnKind::Text),
            Column::optional("resolved_at", ColumnKind::Timestamp),
            Column::optional("rating", ColumnKind::Integer),
            Column::optional("closed_at", ColumnKind::Timestamp),
            Column::required("position", ColumnKind::Integer),
        ],
    };
    /// 2: a campaign's own field named like a source's is written `other:<name>`.
    const VERSION: u32 = 2;
    type Event = ComplaintEvent;
    type Row = ComplaintEntry;

    fn fold(
        row: Option<ComplaintEntry>,
        stream_id: &str,
        event: ComplaintEvent,
        logged: &LoggedEvent,
    ) -> Option<ComplaintEntry> {
        let position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        let mut entry = match (row, event) {
            (
                _,
                ComplaintEvent::Received {
                    campaign,
                    channel,
                    field,
                    task_force,
                    summary,
                    receiving_unit,
                    responder,
                    at,
                    response_window,
                    response_due,
                    calendar_unknown,
                    // The sealed part and whether anyone named themselves never reach the
                    // board (DOMAIN.md "Protection").
                    sealed: _,
                    anonymous: _,
                    ..
                },
            ) => ComplaintEntry {
                complaint: stream_id.to_owned(),
                campaign: campaign.as_str().to_owned(),
                field: field_name(&field),
                task_force: task_force.map(|t| t.as_str().to_owned()),
                channel,
                first_receiver: receiving_unit.as_str().to_owned(),
                responder: responder.as_str().to_owned(),
                // The responder handles it from receipt (as the aggregate): for school meals
                // the education department, whoever received it.
                handling_unit: responder.as_str().to_owned(),
                designated_handler: None,
                transfers: 0,
                state: ComplaintStatus::Open,
                summary: summary.as_str().to_owned(),
                received_at: at,
                response_window,
                response_due_at: response_due,
                calendar_unknown,
                responded_at: None,
                responded_by_unit: None,
                responded_in_time: None,
                response_missed: false,
                resolution: None,
                follow_up_clue: None,
                follow_up_case: None,
                follow_up_item: None,
                resolved_at: None,
                rating: None,
                closed_at: None,
                position,
            },
            // Every other event follows a receipt; without one there is nothing to show.
            (None, _) => return None,
            (Some(entry), event) => apply(entry, event),
        };
        entry.position = position;
        Some(entry)
    }
}

/// What one event after the receipt changes. The states follow the aggregate's own.
fn apply(mut entry: ComplaintEntry, event: ComplaintEvent) -> ComplaintEntry {
    match event {
        ComplaintEvent::Responded {
            unit,
            at,
            within_deadline,
            // The reply's words may quote the complaint: not on the board.
            response: _,
            ..
        } => {
            // "Response" is the first substantive reply (DOMAIN.md): the aggregate records one.
            entry.responded_at = Some(at);
            entry.responded_by_unit = Some(unit.as_str().to_owned());
            entry.responded_in_time = Some(within_deadline);
        }
        ComplaintEvent::ResponseMissed { .. } => entry.response_missed = true,
        ComplaintEvent::HandlerDesignated { person, .. } => {
            // Always of the handling unit (the aggregate checks it); a later one replaces it.
            entry.designated_handler = Some(person.as_str().to_owned());
        }
        ComplaintEvent::Transferred { to, .. } => {
            // 转办: the first receiver stays accountable; the new unit names its own handler.
            entry.handling_unit = to.as_str().to_owned();
            entry.designated_handler = None;
            entry.transfers += 1;
        }
        ComplaintEvent::Resolved { resolution, at, .. } => {
            entry.state = ComplaintStatus::Resolved;
            entry.resolved_at = Some(at);
            // Only what the resolution decided and what it led to; its finding or reason is
            // free text and stays off the board.
            match resolution {
                Resolution::Substantiated { follow_up, .. } => {
                    entry.resolution = Some("substantiated".to_owned());
                    match follow_up {
                        FollowUp::Clue { clue, case } => {
                            entry.follow_up_clue = Some(clue.as_str().to_owned());
                            entry.follow_up_case = Some(case.as_str().to_owned());
                        }
                        FollowUp::Item { code } => {
                            entry.follow_up_item = Some(code.as_str().to_owned());
                        }
                    }
                }
                Resolution::Unsubstantiated { .. } => {
                    entry.resolution = Some("unsubstantiated".to_owned());
                }
            }
        }
        ComplaintEvent::FeedbackRecorded { rating, .. } => entry.rating = Some(rating),
        ComplaintEvent::Closed { at, .. } => {
            entry.state = ComplaintStatus::Closed;
            entry.closed_at = Some(at);
        }
        // A receipt starts a row afresh (handled by the fold); erasure and reveals concern
        // the sealed part only, which the board never shows.
        ComplaintEvent::Received { .. }
        | ComplaintEvent::IdentityErased { .. }
        | ComplaintEvent::Revealed { .. } => {}
    }
    entry
}

/// The names of the fields the source names, as [`field_name`] writes them.
const NAMED_FIELDS: [(&str, Field); 4] = [
    ("medical_insurance", Field::MedicalInsurance),
    ("school_meals", Field::SchoolMeals),
    ("elderly_care", Field::ElderlyCare),
    ("state_assets", Field::StateAssets),
];

/// What marks a campaign's own field whose name could be taken for another's.
const OTHER: &str = "other:";

/// A field as one text value: the snake-case name of a field the source names
/// (`school_meals`), or the name a campaign gave a further one — marked `other:` where it
/// could be taken for a named field's (a campaign's own `elderly_care` is not 养老服务), so
/// [`field_named`] reads back exactly the field written.
pub fn field_name(field: &Field) -> String {
    match field {
        Field::Other(name)
            if name.starts_with(OTHER) || NAMED_FIELDS.iter().any(|(n, _)| n == name) =>
        {
            format!("{OTHER}{name}")
        }
        Field::Other(name) => name.clone(),
        named => NAMED_FIELDS
            .iter()
            .find(|(_, f)| f == named)
            .map_or_else(String::new, |(n, _)| (*n).to_owned()),
    }
}

/// The field [`field_name`] wrote as `name`.
pub fn field_named(name: &str) -> Field {
    if let Some(other) = name.strip_prefix(OTHER) {
        return Field::Other(other.to_owned());
    }
    NAMED_FIELDS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or_else(|| Field::Other(name.to_owned()), |(_, f)| f.clone())
}

#[cfg(test)]
mod tests;
