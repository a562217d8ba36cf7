//! 问责 — the accountability register: one row per accountability case against one person
//! (DOMAIN.md "Admonishment and accountability"): who, the unit charged (the unit the person
//! belonged to when the grounds arose — the one a deduction goes to), the grounds, who proposed
//! it (a policy or a secretariat), where it stands, and discipline inspection's decision with
//! any 容错 ruling it applied.
//!
//! An accountability case carries no sealed data (`PublicView` seals nothing: it is a record of
//! a cadre's conduct in office). Nothing here depends on the current time; the quarter a
//! decision deducts in is read from `decided_at`.

use chrono::{DateTime, Utc};
use rectiflow_domain::accountability::{
    AccountabilityEvent, AccountabilityStatus, Ground, Outcome,
};
use rectiflow_domain::fault::{FaultCause, FaultDecision};
use rectiflow_domain::organisation::SystemActor;
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

/// Who proposed a case: DOMAIN.md names only "a policy or a secretariat".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Proposer {
    /// A policy (`policy:<name>`), e.g. on a second admonishment within 182 days.
    Policy,
    /// A person — the secretariat, the only person the domain lets propose.
    Secretariat,
}

/// One accountability case as the register shows it: every field a fact of its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccountabilityEntry {
    /// The case's id (its stream id).
    pub case: String,
    pub campaign: String,
    /// The person held to account.
    pub person: String,
    /// The unit charged: the person's unit when the grounds arose (DOMAIN.md: deductions go to
    /// it, whatever unit the person is in now).
    pub unit: String,
    /// The grounds as proposed (推诿扯皮, 敷衍塞责, a false sign-off, a repeated
    /// admonishment…), with the facts they name.
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Vec<Ground>")]
    pub grounds: Vec<Ground>,
    /// The proposing actor (`policy:<name>` or the secretariat's person) and which of the two.
    pub proposed_by: String,
    pub proposer: Proposer,
    pub proposed_at: DateTime<Utc>,
    /// The referral window (days) a repeated-admonishment ground was checked against.
    pub referral_window_days: Option<i64>,
    /// `proposed` (open), `decided` or `withdrawn`.
    pub state: AccountabilityStatus,
    /// 问责方式, once decided.
    pub outcome: Option<Outcome>,
    /// The decision deducts points from `unit` (any outcome but 不予问责), as it recorded.
    pub deducts: bool,
    /// 容错纠错 as discipline inspection ruled it within its decision, if it did.
    pub fault_tolerance_cause: Option<FaultCause>,
    pub fault_tolerance_decision: Option<FaultDecision>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// The log position of the last event folded in.
    pub position: i64,
    /// The case's stream version after that event: what a read of this row is recorded at
    /// (查阅记录 — the register names the person held to account).
    pub version: i64,
}

/// The accountability register's fold and table.
pub struct AccountabilityRegister;

impl RowProjection for AccountabilityRegister {
    const NAME: &'static str = "accountability-register";
    const STREAM_TYPE: &'static str = "accountability";
    const TABLE: TableSpec = TableSpec {
        name: "accountability_register",
        key: "case",
        columns: &[
            Column::required("case", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::required("person", ColumnKind::Text),
            Column::required("unit", ColumnKind::Text),
            Column::required("grounds", ColumnKind::Json),
            Column::required("proposed_by", ColumnKind::Text),
            Column::required("proposer", ColumnKind::Text),
            Column::required("proposed_at", ColumnKind::Timestamp),
            Column::optional("referral_window_days", ColumnKind::Integer),
            Column::required("state", ColumnKind::Text),
            Column::optional("outcome", ColumnKind::Text),
            Column::required("deducts", ColumnKind::Boolean),
            Column::optional("fault_tolerance_cause", ColumnKind::Text),
            Column::optional("fault_tolerance_decision", ColumnKind::Text),
            Column::optional("decided_by", ColumnKind::Text),
            Column::optional("decided_at", ColumnKind::Timestamp),
            Column::optional("withdrawn_at", ColumnKind::Timestamp),
            Column::required("position", ColumnKind::Integer),
            Column::required("version", ColumnKind::Integer),
        ],
    };
    /// 2: the stream version of each row.
    const VERSION: u32 = 2;
    type Event = AccountabilityEvent;
    type Row = AccountabilityEntry;

    fn fold(
        row: Option<AccountabilityEntry>,
        stream_id: &str,
        event: AccountabilityEvent,
        logged: &LoggedEvent,
    ) -> Option<AccountabilityEntry> {
        let position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        let mut entry = match (row, event) {
            (
                _,
                AccountabilityEvent::Proposed {
                    campaign,
                    person,
                    unit,
                    grounds,
                    referral_window_days,
                    by,
                    at,
                    ..
                },
            ) => AccountabilityEntry {
                case: stream_id.to_owned(),
                campaign: campaign.as_str().to_owned(),
                person: person.as_str().to_owned(),
                unit: unit.as_str().to_owned(),
                grounds,
                proposer: if SystemActor::is_policy(&by) {
                    Proposer::Policy
                } else {
                    Proposer::Secretariat
                },
                proposed_by: by.as_str().to_owned(),
                proposed_at: at,
                referral_window_days: referral_window_days.map(i64::from),
                state: AccountabilityStatus::Proposed,
                outcome: None,
                deducts: false,
                fault_tolerance_cause: None,
                fault_tolerance_decision: None,
                decided_by: None,
                decided_at: None,
                withdrawn_at: None,
                position,
                version: 0,
            },
            // Every other event follows a proposal; without one there is nothing to show.
            (None, _) => return None,
            (
                Some(mut entry),
                AccountabilityEvent::Decided {
                    outcome,
                    fault_tolerance,
                    deducts,
                    by,
                    at,
                    ..
                },
            ) => {
                entry.state = AccountabilityStatus::Decided;
                entry.outcome = Some(outcome);
                entry.deducts = deducts;
                entry.fault_tolerance_cause = fault_tolerance.as_ref().map(|r| r.cause);
                entry.fault_tolerance_decision = fault_tolerance.as_ref().map(|r| r.decision);
                entry.decided_by = Some(by.as_str().to_owned());
                entry.decided_at = Some(at);
                entry
            }
            (Some(mut entry), AccountabilityEvent::Withdrawn { at, .. }) => {
                entry.state = AccountabilityStatus::Withdrawn;
                entry.withdrawn_at = Some(at);
                entry
            }
        };
        entry.position = position;
        entry.version = i64::try_from(logged.event.stream_version).unwrap_or(i64::MAX);
        Some(entry)
    }
}

#[cfg(test)]
mod tests;
