//! 约谈提醒 — the admonishment register: one row per admonishment (DOMAIN.md "Admonishment and
//! accountability"): the unit admonished, what it rests on (the policy at a publication with
//! its cut-off and every rule that fired, or the secretariat by hand, naming a publication or
//! not), the instant the 182-day window is measured from, the items it names, and each step —
//! triggered, scheduled (when, where, who conducts), held (when, who attended, the minutes),
//! followed up — or its withdrawal (撤销) before the talk.
//!
//! An admonishment carries no sealed data (`PublicView` seals nothing). Nothing here depends on
//! the current time: whether a scheduled talk is due is read at read time (the 待办 query).

use chrono::{DateTime, Utc};
use rectiflow_domain::admonishment::{
    AdmonishmentEvent, AdmonishmentRule, AdmonishmentStatus, Basis, Finding,
};
use rectiflow_domain::publication::PublicationKind;
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

/// Who triggered an admonishment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BasisKind {
    /// The policy, at a published bulletin or assessment, listing every rule that fired.
    Policy,
    /// The secretariat, by hand, outside the automatic rules.
    Manual,
}

/// One admonishment as the register shows it: every field a fact of its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdmonishmentEntry {
    /// The admonishment's id (its stream id): `publication~unit` for the policy's.
    pub admonishment: String,
    pub campaign: String,
    /// The unit admonished (its head is the one the talk is held with).
    pub unit: String,
    pub basis: BasisKind,
    /// The publication it rests on (always for the policy's; when named for a manual one),
    /// its kind, scope (`county` or `task_force:<id>`) and cut-off.
    pub publication: Option<String>,
    pub publication_kind: Option<PublicationKind>,
    pub publication_scope: Option<String>,
    pub cut_off: Option<DateTime<Utc>>,
    /// The rules that fired, in the order the trigger listed them (empty for a manual one).
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Vec<AdmonishmentRule>")]
    pub rules: Vec<AdmonishmentRule>,
    /// The instant the 182-day window of "a second admonishment" is measured from, as
    /// `Admonishment::window_instant`: the publication's cut-off for the policy's, the
    /// trigger instant for a manual one; `None` once withdrawn (it counts for nothing).
    pub window_instant: Option<DateTime<Utc>>,
    /// The items named (their responsible persons are the ones a second admonishment
    /// proposes for accountability).
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Vec<String>")]
    pub items: Vec<String>,
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Vec<String>")]
    pub reasons: Vec<String>,
    /// `policy:<name>` or the secretariat's person.
    pub triggered_by: String,
    pub triggered_at: DateTime<Utc>,
    /// triggered, scheduled, held, followed_up or withdrawn.
    pub state: AdmonishmentStatus,
    /// The talk as last scheduled: when, where, who conducts it.
    pub scheduled_for: Option<DateTime<Utc>>,
    pub place: Option<String>,
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Vec<String>")]
    pub conducted_by: Vec<String>,
    pub scheduled_at: Option<DateTime<Utc>>,
    /// When the talk was recorded as held, who attended (the unit head among them) and where
    /// the minutes are.
    pub held_at: Option<DateTime<Utc>>,
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Vec<String>")]
    pub attendees: Vec<String>,
    pub minutes: Option<String>,
    /// 整改跟踪: the follow-up's outcome and instant.
    pub follow_up: Option<String>,
    pub followed_up_at: Option<DateTime<Utc>>,
    /// 撤销: when, by whom, why, and the correcting publication if that is why.
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_by: Option<String>,
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Vec<String>")]
    pub withdrawal_reasons: Vec<String>,
    pub correction: Option<String>,
    /// The log position of the last event folded in.
    pub position: i64,
}

/// The admonishment register's fold and table.
pub struct AdmonishmentRegister;

impl RowProjection for AdmonishmentRegister {
    const NAME: &'static str = "admonishment-register";
    const STREAM_TYPE: &'static str = "admonishment";
    const TABLE: TableSpec = TableSpec {
        name: "admonishment_register",
        key: "admonishment",
        columns: &[
            Column::required("admonishment", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::required("unit", ColumnKind::Text),
            Column::required("basis", ColumnKind::Text),
            Column::optional("publication", ColumnKind::Text),
            Column::optional("publication_kind", ColumnKind::Text),
            Column::optional("publication_scope", ColumnKind::Text),
            Column::optional("cut_off", ColumnKind::Timestamp),
            Column::required("rules", ColumnKind::Json),
            Column::optional("window_instant", ColumnKind::Timestamp),
            Column::required("items", ColumnKind::Json),
            Column::required("reasons", ColumnKind::Json),
            Column::required("triggered_by", ColumnKind::Text),
            Column::required("triggered_at", ColumnKind::Timestamp),
            Column::required("state", ColumnKind::Text),
            Column::optional("scheduled_for", ColumnKind::Timestamp),
            Column::optional("place", ColumnKind::Text),
            Column::required("conducted_by", ColumnKind::Json),
            Column::optional("scheduled_at", ColumnKind::Timestamp),
            Column::optional("held_at", ColumnKind::Timestamp),
            Column::required("attendees", ColumnKind::Json),
            Column::optional("minutes", ColumnKind::Text),
            Column::optional("follow_up", ColumnKind::Text),
            Column::optional("followed_up_at", ColumnKind::Timestamp),
            Column::optional("withdrawn_at", ColumnKind::Timestamp),
            Column::optional("withdrawn_by", ColumnKind::Text),
            Column::required("withdrawal_reasons", ColumnKind::Json),
            Column::optional("correction", ColumnKind::Text),
            Column::required("position", ColumnKind::Integer),
        ],
    };
    type Event = AdmonishmentEvent;
    type Row = AdmonishmentEntry;

    fn fold(
        row: Option<AdmonishmentEntry>,
        stream_id: &str,
        event: AdmonishmentEvent,
        logged: &LoggedEvent,
    ) -> Option<AdmonishmentEntry> {
        let position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        let mut entry = match (row, event) {
            (
                _,
                AdmonishmentEvent::Triggered {
                    campaign,
                    unit,
                    basis,
                    items,
                    reasons,
                    by,
                    at,
                    ..
                },
            ) => {
                let (kind, rules) = match &basis {
                    Basis::Policy { findings, .. } => (
                        BasisKind::Policy,
                        findings.iter().map(Finding::rule).collect(),
                    ),
                    Basis::Manual { .. } => (BasisKind::Manual, Vec::new()),
                };
                let publication = basis.publication();
                AdmonishmentEntry {
                    admonishment: stream_id.to_owned(),
                    campaign: campaign.as_str().to_owned(),
                    unit: unit.as_str().to_owned(),
                    basis: kind,
                    publication: publication.map(|p| p.publication.as_str().to_owned()),
                    publication_kind: publication.map(|p| p.kind),
                    publication_scope: publication.map(|p| p.scope.stream_part()),
                    cut_off: publication.map(|p| p.cut_off),
                    rules,
                    // As `Admonishment::window_instant`: the cut-off the policy's rests on, a
                    // manual one's own instant (even when it names a publication).
                    window_instant: match kind {
                        BasisKind::Policy => publication.map(|p| p.cut_off),
                        BasisKind::Manual => Some(at),
                    },
                    items: items.iter().map(|c| c.as_str().to_owned()).collect(),
                    reasons: reasons.iter().map(|r| r.as_str().to_owned()).collect(),
                    triggered_by: by.as_str().to_owned(),
                    triggered_at: at,
                    state: AdmonishmentStatus::Triggered,
                    scheduled_for: None,
                    place: None,
                    conducted_by: Vec::new(),
                    scheduled_at: None,
                    held_at: None,
                    attendees: Vec::new(),
                    minutes: None,
                    follow_up: None,
                    followed_up_at: None,
                    withdrawn_at: None,
                    withdrawn_by: None,
                    withdrawal_reasons: Vec::new(),
                    correction: None,
                    position,
                }
            }
            // Every other event follows a trigger; without one there is nothing to show.
            (None, _) => return None,
            (Some(entry), event) => apply(entry, event),
        };
        entry.position = position;
        Some(entry)
    }
}

/// What one event after the trigger changes. The states follow the aggregate's own.
fn apply(mut entry: AdmonishmentEntry, event: AdmonishmentEvent) -> AdmonishmentEntry {
    match event {
        AdmonishmentEvent::Scheduled {
            when,
            place,
            conducted_by,
            at,
            ..
        } => {
            // A reschedule replaces the talk as scheduled.
            entry.state = AdmonishmentStatus::Scheduled;
            entry.scheduled_for = Some(when);
            entry.place = Some(place.as_str().to_owned());
            entry.conducted_by = conducted_by.iter().map(|p| p.as_str().to_owned()).collect();
            entry.scheduled_at = Some(at);
        }
        AdmonishmentEvent::Held {
            attendees,
            minutes,
            at,
            ..
        } => {
            entry.state = AdmonishmentStatus::Held;
            entry.held_at = Some(at);
            entry.attendees = attendees.iter().map(|p| p.as_str().to_owned()).collect();
            entry.minutes = Some(minutes.as_str().to_owned());
        }
        AdmonishmentEvent::FollowedUp { outcome, at, .. } => {
            entry.state = AdmonishmentStatus::FollowedUp;
            entry.follow_up = Some(outcome.as_str().to_owned());
            entry.followed_up_at = Some(at);
        }
        AdmonishmentEvent::Withdrawn {
            reasons,
            correction,
            by,
            at,
        } => {
            // A withdrawn admonishment counts for nothing: no window instant.
            entry.state = AdmonishmentStatus::Withdrawn;
            entry.window_instant = None;
            entry.withdrawn_at = Some(at);
            entry.withdrawn_by = Some(by.as_str().to_owned());
            entry.withdrawal_reasons = reasons.iter().map(|r| r.as_str().to_owned()).collect();
            entry.correction = correction.map(|c| c.as_str().to_owned());
        }
        // A trigger starts a row afresh (handled by the fold).
        AdmonishmentEvent::Triggered { .. } => {}
    }
    entry
}

#[cfg(test)]
mod tests;
