//! 数据预警 — the alert board: one row per data alert of the medical-insurance monitoring
//! platform (DOMAIN.md "Data alerts": each is triaged within 3 working days *(configurable)* —
//! dismissed with reasons, merged into another, or escalated to a clue or an item; none is
//! lost).
//!
//! The row stores facts only: the triage due instant the receipt recorded (never recomputed
//! here), the triage as decided, and the missed-triage fact. Whether an untriaged alert is
//! overdue *as of an instant* is derived at read time ([`AlertEntry::triage_overdue_at`]).

use chrono::{DateTime, Utc};
use rectiflow_domain::alert::{AlertEvent, AlertStatus, Triage};
use rectiflow_domain::values::Yuan;
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

/// One alert as the board shows it. Every field is a fact of the alert's events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AlertEntry {
    /// The alert's stream id (`alert~<reference>`).
    pub alert: String,
    /// The platform's own reference of the alert.
    pub reference: String,
    pub campaign: String,
    /// The institution or unit the alert is about.
    pub subject: String,
    /// What the platform saw, with no patient's personal data (the integrator redacts it).
    pub summary: String,
    /// 涉及金额, exact (`"38650.50"`).
    pub amount_involved: Yuan,
    /// When the platform raised it, by its own clock.
    pub raised_at: DateTime<Utc>,
    /// When it was received: the triage window counts from here.
    pub received_at: DateTime<Utc>,
    /// The window in force at receipt, and the instant the triage is due strictly before.
    pub triage_working_days: i64,
    pub triage_due_at: DateTime<Utc>,
    /// The due instant was counted on a guessed calendar.
    pub calendar_unknown: bool,
    /// `open` until triaged.
    pub state: AlertStatus,
    /// 研判: `dismissed`, `merged`, `escalated_to_clue` or `escalated_to_item`.
    pub triage: Option<String>,
    /// A dismissal's reasons (empty otherwise).
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Vec<String>")]
    pub dismissal_reasons: Vec<String>,
    /// The alert it was merged into.
    pub merged_into: Option<String>,
    /// The clue it was escalated to, and the case stream the clue is registered on.
    pub escalated_clue: Option<String>,
    pub escalated_case: Option<String>,
    /// The item it was escalated to.
    pub escalated_item: Option<String>,
    pub triaged_at: Option<DateTime<Utc>>,
    /// Triaged at or after the due instant; `None` until triaged.
    pub triaged_late: Option<bool>,
    /// The fact that the window passed untriaged was recorded (at most once).
    pub triage_missed: bool,
    /// The log position of the last event folded in.
    pub position: i64,
}

/// The alert board's fold and table.
pub struct AlertBoard;

impl RowProjection for AlertBoard {
    const NAME: &'static str = "alert-board";
    const STREAM_TYPE: &'static str = "alert";
    const TABLE: TableSpec = TableSpec {
        name: "alert_board",
        key: "alert",
        columns: &[
            Column::required("alert", ColumnKind::Text),
            Column::required("reference", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::required("subject", ColumnKind::Text),
            Column::required("summary", ColumnKind::Text),
            Column::required("amount_involved", ColumnKind::Text),
            Column::required("raised_at", ColumnKind::Timestamp),
            Column::required("received_at", ColumnKind::Timestamp),
            Column::required("triage_working_days", ColumnKind::Integer),
            Column::required("triage_due_at", ColumnKind::Timestamp),
            Column::required("calendar_unknown", ColumnKind::Boolean),
            Column::required("state", ColumnKind::Text),
            Column::optional("triage", ColumnKind::Text),
            Column::required("dismissal_reasons", ColumnKind::Json),
            Column::optional("merged_into", ColumnKind::Text),
            Column::optional("escalated_clue", ColumnKind::Text),
            Column::optional("escalated_case", ColumnKind::Text),
            Column::optional("escalated_item", ColumnKind::Text),
            Column::optional("triaged_at", ColumnKind::Timestamp),
            Column::optional("triaged_late", ColumnKind::Boolean),
            Column::required("triage_missed", ColumnKind::Boolean),
            Column::required("position", ColumnKind::Integer),
        ],
    };
    type Event = AlertEvent;
    type Row = AlertEntry;

    fn fold(
        row: Option<AlertEntry>,
        stream_id: &str,
        event: AlertEvent,
        logged: &LoggedEvent,
    ) -> Option<AlertEntry> {
        let position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        let mut entry = match (row, event) {
            (
                _,
                AlertEvent::Received {
                    reference,
                    campaign,
                    subject,
                    summary,
                    amount_involved,
                    raised_at,
                    at,
                    triage_working_days,
                    triage_due,
                    calendar_unknown,
                    ..
                },
            ) => AlertEntry {
                alert: stream_id.to_owned(),
                reference: reference.as_str().to_owned(),
                campaign: campaign.as_str().to_owned(),
                subject: subject.as_str().to_owned(),
                summary: summary.as_str().to_owned(),
                amount_involved,
                raised_at,
                received_at: at,
                triage_working_days: i64::from(triage_working_days),
                triage_due_at: triage_due,
                calendar_unknown,
                state: AlertStatus::Open,
                triage: None,
                dismissal_reasons: Vec::new(),
                merged_into: None,
                escalated_clue: None,
                escalated_case: None,
                escalated_item: None,
                triaged_at: None,
                triaged_late: None,
                triage_missed: false,
                position,
            },
            // Every other event follows a receipt; without one there is nothing to show.
            (None, _) => return None,
            (
                Some(mut entry),
                AlertEvent::Triaged {
                    triage, late, at, ..
                },
            ) => {
                entry.state = AlertStatus::Triaged;
                entry.triage = Some(triage.as_str().to_owned());
                entry.triaged_at = Some(at);
                entry.triaged_late = Some(late);
                match triage {
                    Triage::Dismissed { reasons } => {
                        entry.dismissal_reasons =
                            reasons.iter().map(|r| r.as_str().to_owned()).collect();
                    }
                    Triage::Merged { into } => entry.merged_into = Some(into.as_str().to_owned()),
                    Triage::EscalatedToClue { clue, case } => {
                        entry.escalated_clue = Some(clue.as_str().to_owned());
                        entry.escalated_case = Some(case.as_str().to_owned());
                    }
                    Triage::EscalatedToItem { code } => {
                        entry.escalated_item = Some(code.as_str().to_owned());
                    }
                }
                entry
            }
            (Some(mut entry), AlertEvent::TriageMissed { .. }) => {
                entry.triage_missed = true;
                entry
            }
        };
        entry.position = position;
        Some(entry)
    }
}

impl AlertEntry {
    /// Overdue at `now` (at or after the row's last event): still untriaged, and the due
    /// instant has passed — the triage window ends at that instant, so from it on (DOMAIN.md:
    /// an act at or after the instant is late), whether or not the schedule has recorded the
    /// missed triage yet.
    pub fn triage_overdue_at(&self, now: DateTime<Utc>) -> bool {
        self.state == AlertStatus::Open && (self.triage_missed || now >= self.triage_due_at)
    }

    /// The triage window was breached as of `now`: triaged late, or overdue untriaged.
    pub fn triage_breached_at(&self, now: DateTime<Utc>) -> bool {
        self.triaged_late == Some(true) || self.triage_overdue_at(now)
    }
}

#[cfg(test)]
mod tests;
