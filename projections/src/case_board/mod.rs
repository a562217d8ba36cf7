//! 案件查办 — the case board: one row per case stream (问题线索-案件查办-制度修复, DOMAIN.md
//! "Cases"): where the clue came from, the stage the case is at, both investigations of
//! 一案双查 with their findings in counts and amounts, the joint team (专案组), and the
//! system-repair items (制度修复) the case spawned, each with its standing.
//!
//! Everything in a case's events is public (`PublicView` seals nothing), yet the board shows
//! the findings as counts and amounts, not their text or the persons they name: that is the
//! accountability register's business. Nothing here depends on the current time.

mod repair;

use chrono::{DateTime, Utc};
use rectiflow_domain::case::{CaseEvent, CaseStatus, ClueSource, Disposition, InvestigationTrack};
use rectiflow_domain::values::Yuan;
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

use crate::complaint_board::field_name;
use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

pub use repair::{RepairItemEntry, RepairState};

/// Where one investigation of 一案双查 stands.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum InvestigationState {
    #[default]
    NotStarted,
    Started,
    Concluded,
}

impl InvestigationState {
    /// The name users read (中文): 未启动, 调查中, 已办结.
    pub fn label(self) -> &'static str {
        match self {
            InvestigationState::NotStarted => "未启动",
            InvestigationState::Started => "调查中",
            InvestigationState::Concluded => "已办结",
        }
    }
}

/// One case as the board shows it: every field a fact of the case's events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CaseEntry {
    /// The case's id (its stream id, shared by the clue and the case opened on it).
    pub case: String,
    pub campaign: String,
    pub clue: String,
    pub field: String,
    pub task_force: Option<String>,
    /// Where the clue came from: `complaint`, `data_alert`, `inspection` or `audit`.
    pub clue_source: String,
    /// The complaint's id, or the monitoring platform's own reference of the alert.
    pub clue_source_ref: Option<String>,
    /// The monitoring system that raised a data alert.
    pub clue_source_system: Option<String>,
    /// The clue's summary.
    pub summary: String,
    /// `clue_registered`, `clue_dismissed`, `open`, `closed` or `published` (as the aggregate).
    pub stage: CaseStatus,
    pub registered_at: DateTime<Utc>,
    pub dismissed_at: Option<DateTime<Utc>>,
    /// 立案.
    pub opened_at: Option<DateTime<Utc>>,
    /// The unit investigated, and the supervising department whose duty the second
    /// investigation looks at.
    pub subject_unit: Option<String>,
    pub supervising_unit: Option<String>,
    /// 专案组: a joint team is on record (its units as last recorded, in `joint_team_units`).
    pub joint_team: bool,
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Vec<String>")]
    pub joint_team_units: Vec<String>,
    /// 直接责任: the wrongdoer's investigation.
    pub direct_state: InvestigationState,
    pub direct_started_at: Option<DateTime<Utc>>,
    pub direct_concluded_at: Option<DateTime<Utc>>,
    /// How many persons its findings name.
    pub direct_persons_named: i64,
    /// The amount involved, exact (`"386500.50"`); `None` until concluded.
    pub direct_amount_involved: Option<Yuan>,
    pub direct_disposition: Option<Disposition>,
    /// 监管责任: the supervising department's failure of duty.
    pub supervisory_state: InvestigationState,
    pub supervisory_started_at: Option<DateTime<Utc>>,
    pub supervisory_concluded_at: Option<DateTime<Utc>>,
    pub supervisory_persons_named: i64,
    pub supervisory_amount_involved: Option<Yuan>,
    pub supervisory_disposition: Option<Disposition>,
    /// 制度修复: the repair items in the order they were spawned, with their codes.
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Vec<RepairItemEntry>")]
    pub repair_items: Vec<RepairItemEntry>,
    /// Counts of `repair_items` by standing, and the relapses reported (回头看).
    pub repair_items_spawned: i64,
    pub repair_items_open: i64,
    pub repair_items_closed: i64,
    pub repair_items_withdrawn: i64,
    pub repair_items_reopened: i64,
    /// The secretariat recorded, with reasons, that no repair is needed.
    pub no_repair_needed: bool,
    /// 结案: the last closure; `None` while not closed (also after a relapse reopened it).
    pub closed_at: Option<DateTime<Utc>>,
    /// Times a relapsed repair item reopened the closed case.
    pub reopenings: i64,
    /// 典型案例: published.
    pub published_at: Option<DateTime<Utc>>,
    /// The log position of the last event folded in.
    pub position: i64,
    /// The case's stream version after that event: what a listing of this row is recorded at
    /// (查阅记录 — a case file's reads are on record).
    pub version: i64,
}

/// The case board's fold and table.
pub struct CaseBoard;

impl RowProjection for CaseBoard {
    const NAME: &'static str = "case-board";
    const STREAM_TYPE: &'static str = "case";
    const TABLE: TableSpec = TableSpec {
        name: "case_board",
        key: "case",
        columns: &[
            Column::required("case", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::required("clue", ColumnKind::Text),
            Column::required("field", ColumnKind::Text),
            Column::optional("task_force", ColumnKind::Text),
            Column::required("clue_source", ColumnKind::Text),
            Column::optional("clue_source_ref", ColumnKind::Text),
            Column::optional("clue_source_system", ColumnKind::Text),
            Column::required("summary", ColumnKind::Text),
            Column::required("stage", ColumnKind::Text),
            Column::required("registered_at", ColumnKind::Timestamp),
            Column::optional("dismissed_at", ColumnKind::Timestamp),
            Column::optional("opened_at", ColumnKind::Timestamp),
            Column::optional("subject_unit", ColumnKind::Text),
            Column::optional("supervising_unit", ColumnKind::Text),
            Column::required("joint_team", ColumnKind::Boolean),
            Column::required("joint_team_units", ColumnKind::Json),
            Column::required("direct_state", ColumnKind::Text),
            Column::optional("direct_started_at", ColumnKind::Timestamp),
            Column::optional("direct_concluded_at", ColumnKind::Timestamp),
            Column::required("direct_persons_named", ColumnKind::Integer),
            Column::optional("direct_amount_involved", ColumnKind::Text),
            Column::optional("direct_disposition", ColumnKind::Text),
            Column::required("supervisory_state", ColumnKind::Text),
            Column::optional("supervisory_started_at", ColumnKind::Timestamp),
            Column::optional("supervisory_concluded_at", ColumnKind::Timestamp),
            Column::required("supervisory_persons_named", ColumnKind::Integer),
            Column::optional("supervisory_amount_involved", ColumnKind::Text),
            Column::optional("supervisory_disposition", ColumnKind::Text),
            Column::required("repair_items", ColumnKind::Json),
            Column::required("repair_items_spawned", ColumnKind::Integer),
            Column::required("repair_items_open", ColumnKind::Integer),
            Column::required("repair_items_closed", ColumnKind::Integer),
            Column::required("repair_items_withdrawn", ColumnKind::Integer),
            Column::required("repair_items_reopened", ColumnKind::Integer),
            Column::required("no_repair_needed", ColumnKind::Boolean),
            Column::optional("closed_at", ColumnKind::Timestamp),
            Column::required("reopenings", ColumnKind::Integer),
            Column::optional("published_at", ColumnKind::Timestamp),
            Column::required("position", ColumnKind::Integer),
            Column::required("version", ColumnKind::Integer),
        ],
    };
    /// 2: the stream version of each row.
    const VERSION: u32 = 2;
    type Event = CaseEvent;
    type Row = CaseEntry;

    fn fold(
        row: Option<CaseEntry>,
        stream_id: &str,
        event: CaseEvent,
        logged: &LoggedEvent,
    ) -> Option<CaseEntry> {
        let position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        let mut entry = match (row, event) {
            (
                _,
                CaseEvent::ClueRegistered {
                    campaign,
                    clue,
                    source,
                    field,
                    task_force,
                    summary,
                    at,
                    ..
                },
            ) => {
                let (clue_source, clue_source_ref, clue_source_system) = match source {
                    ClueSource::Complaint { complaint } => {
                        ("complaint", Some(complaint.as_str().to_owned()), None)
                    }
                    ClueSource::DataAlert { system, alert_ref } => (
                        "data_alert",
                        Some(alert_ref.as_str().to_owned()),
                        Some(system.as_str().to_owned()),
                    ),
                    ClueSource::Inspection => ("inspection", None, None),
                    ClueSource::Audit => ("audit", None, None),
                };
                CaseEntry {
                    case: stream_id.to_owned(),
                    campaign: campaign.as_str().to_owned(),
                    clue: clue.as_str().to_owned(),
                    field: field_name(&field),
                    task_force: task_force.map(|t| t.as_str().to_owned()),
                    clue_source: clue_source.to_owned(),
                    clue_source_ref,
                    clue_source_system,
                    summary: summary.as_str().to_owned(),
                    stage: CaseStatus::ClueRegistered,
                    registered_at: at,
                    dismissed_at: None,
                    opened_at: None,
                    subject_unit: None,
                    supervising_unit: None,
                    joint_team: false,
                    joint_team_units: Vec::new(),
                    direct_state: InvestigationState::NotStarted,
                    direct_started_at: None,
                    direct_concluded_at: None,
                    direct_persons_named: 0,
                    direct_amount_involved: None,
                    direct_disposition: None,
                    supervisory_state: InvestigationState::NotStarted,
                    supervisory_started_at: None,
                    supervisory_concluded_at: None,
                    supervisory_persons_named: 0,
                    supervisory_amount_involved: None,
                    supervisory_disposition: None,
                    repair_items: Vec::new(),
                    repair_items_spawned: 0,
                    repair_items_open: 0,
                    repair_items_closed: 0,
                    repair_items_withdrawn: 0,
                    repair_items_reopened: 0,
                    no_repair_needed: false,
                    closed_at: None,
                    reopenings: 0,
                    published_at: None,
                    position,
                    version: 0,
                }
            }
            // Every other event follows the clue; without one there is nothing to show.
            (None, _) => return None,
            (Some(entry), event) => apply(entry, event),
        };
        entry.count_repair_items();
        entry.position = position;
        entry.version = i64::try_from(logged.event.stream_version).unwrap_or(i64::MAX);
        Some(entry)
    }
}

/// One investigation's columns of the row, whichever track.
struct Track<'a> {
    state: &'a mut InvestigationState,
    started_at: &'a mut Option<DateTime<Utc>>,
    concluded_at: &'a mut Option<DateTime<Utc>>,
    persons_named: &'a mut i64,
    amount_involved: &'a mut Option<Yuan>,
    disposition: &'a mut Option<Disposition>,
}

impl CaseEntry {
    fn track(&mut self, track: InvestigationTrack) -> Track<'_> {
        match track {
            InvestigationTrack::Direct => Track {
                state: &mut self.direct_state,
                started_at: &mut self.direct_started_at,
                concluded_at: &mut self.direct_concluded_at,
                persons_named: &mut self.direct_persons_named,
                amount_involved: &mut self.direct_amount_involved,
                disposition: &mut self.direct_disposition,
            },
            InvestigationTrack::Supervisory => Track {
                state: &mut self.supervisory_state,
                started_at: &mut self.supervisory_started_at,
                concluded_at: &mut self.supervisory_concluded_at,
                persons_named: &mut self.supervisory_persons_named,
                amount_involved: &mut self.supervisory_amount_involved,
                disposition: &mut self.supervisory_disposition,
            },
        }
    }
}

/// What one event after the clue changes. The stages follow the aggregate's own.
fn apply(mut entry: CaseEntry, event: CaseEvent) -> CaseEntry {
    match event {
        CaseEvent::ClueDismissed { at, .. } => {
            entry.stage = CaseStatus::ClueDismissed;
            entry.dismissed_at = Some(at);
        }
        CaseEvent::CaseOpened {
            subject_unit,
            supervising_unit,
            at,
            ..
        } => {
            entry.stage = CaseStatus::Open;
            entry.opened_at = Some(at);
            entry.subject_unit = Some(subject_unit.as_str().to_owned());
            entry.supervising_unit = Some(supervising_unit.as_str().to_owned());
        }
        CaseEvent::JointTeamRecorded { units, .. } => {
            // The team as last recorded replaces any earlier one.
            entry.joint_team_units = units.iter().map(|u| u.as_str().to_owned()).collect();
            entry.joint_team = !entry.joint_team_units.is_empty();
        }
        CaseEvent::InvestigationStarted { track, at, .. } => {
            let track = entry.track(track);
            *track.state = InvestigationState::Started;
            *track.started_at = Some(at);
        }
        CaseEvent::InvestigationConcluded {
            track,
            persons_named,
            amount_involved,
            disposition,
            at,
            ..
        } => {
            let track = entry.track(track);
            *track.state = InvestigationState::Concluded;
            *track.concluded_at = Some(at);
            *track.persons_named = i64::try_from(persons_named.len()).unwrap_or(i64::MAX);
            *track.amount_involved = Some(amount_involved);
            *track.disposition = Some(disposition);
        }
        CaseEvent::RepairItemSpawned {
            code, unit, title, ..
        } => repair::spawn(&mut entry.repair_items, &code, &unit, &title),
        CaseEvent::RepairItemClosed { code, .. } => {
            repair::set(&mut entry.repair_items, &code, RepairState::Closed);
        }
        CaseEvent::RepairItemReopened { code, .. } => {
            repair::reopen(&mut entry.repair_items, &code);
        }
        CaseEvent::RepairItemWithdrawn { code, .. } => {
            repair::set(&mut entry.repair_items, &code, RepairState::Withdrawn);
        }
        CaseEvent::NoRepairNeededRecorded { .. } => entry.no_repair_needed = true,
        CaseEvent::CaseClosed { at, .. } => {
            // Closed again after a relapse, a published case stays published (as the aggregate).
            entry.stage = if entry.published_at.is_some() {
                CaseStatus::Published
            } else {
                CaseStatus::Closed
            };
            entry.closed_at = Some(at);
        }
        CaseEvent::CaseReopened { .. } => {
            entry.stage = CaseStatus::Open;
            entry.closed_at = None;
            entry.reopenings += 1;
        }
        CaseEvent::TypicalCasePublished { at, .. } => {
            entry.stage = CaseStatus::Published;
            entry.published_at = Some(at);
        }
        // A clue starts a row afresh (handled by the fold); outcome indicators are not on this
        // board.
        CaseEvent::ClueRegistered { .. }
        | CaseEvent::OutcomeRecorded { .. }
        | CaseEvent::OutcomeCorrected { .. } => {}
    }
    entry
}

#[cfg(test)]
mod tests;
