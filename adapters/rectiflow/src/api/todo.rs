//! 待办 over HTTP — `GET /api/v1/todo`: what the token's person has to do — acknowledge,
//! verify, decide, answer, triage, hold or attend — each with its due instant and whether it
//! is overdue at `as_of` (now by default, on the service's clock), soonest due first.
//!
//! The tasks follow from who the person is in the organisation (member, head, responsible
//! person, secretariat officer), as [`rectiflow_projections::todo`] selects them, kept to
//! those the token's role acts on: a unit's token shows what the unit asks of the person, a
//! secretariat's what the task force does, discipline inspection's its decisions.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use rectiflow_domain::organisation::Acting;
use rectiflow_domain::settings::Field;
use rectiflow_domain::values::CampaignId;
use rectiflow_projections::todo::{to_do, AlertTriage, ToDo, ToDoKind};
use rectiflow_store::Store;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::caller::Caller;
use super::problem::Problem;
use super::Api;

/// Where the list is.
pub const PATH: &str = "/api/v1/todo";

/// The list's parameters.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ToDoParams {
    /// The instant "overdue" is judged at (RFC 3339); now by default.
    pub as_of: Option<DateTime<Utc>>,
}

/// A person's to-do list.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ToDoList {
    pub person: String,
    pub as_of: DateTime<Utc>,
    /// Soonest due first; tasks without a due instant last.
    pub tasks: Vec<ToDo>,
}

pub async fn list<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    params: Result<Query<ToDoParams>, QueryRejection>,
) -> Result<Response, Problem> {
    let params = super::query(params)?;
    let as_of = super::instant(params.as_of, "as_of")?.unwrap_or_else(|| api.clock.now());
    let triage = alert_triage(&api).await?;
    let tasks = to_do(
        &api.store,
        &principal.organisation,
        &triage,
        &principal.person,
        as_of,
    )
    .await
    .map_err(|e| Problem::store(&e))?
    .into_iter()
    .filter(|task| done_acting_as(task.kind, &principal.acting))
    .collect();
    Ok(axum::Json(ToDoList {
        person: principal.person.as_str().to_owned(),
        as_of,
        tasks,
    })
    .into_response())
}

/// The medical-insurance task force of every campaign, whose secretariat triages its alerts.
async fn alert_triage<S: Store>(api: &Api<S>) -> Result<AlertTriage, Problem> {
    let ids = api
        .store
        .all_stream_ids("campaign")
        .await
        .map_err(|e| Problem::store(&e))?;
    let campaigns: Vec<CampaignId> = ids
        .iter()
        .filter_map(|id| CampaignId::parse(id.as_str()).ok())
        .collect();
    let view = api
        .services
        .settings
        .in_force(&campaigns)
        .await
        .map_err(|port| Problem::unavailable(port.to_string()))?;
    Ok(campaigns
        .iter()
        .filter_map(|campaign| {
            let task_force = view.task_force(campaign, &Field::MedicalInsurance)?;
            Some((campaign.as_str().to_owned(), task_force))
        })
        .collect())
}

/// Whether a task of `kind` is done in the role `acting`: the list a token shows is what it
/// can act on (a person who is both a unit's member and a secretariat officer sees the unit's
/// tasks with the unit's token and the secretariat's with the other).
fn done_acting_as(kind: ToDoKind, acting: &Acting) -> bool {
    use ToDoKind::*;
    match acting {
        Acting::Unit { .. } => matches!(
            kind,
            Acknowledge | RequestSignOff | AnswerComplaint | AttendTalk
        ),
        Acting::Secretariat { .. } => matches!(
            kind,
            VerifySignOff | DecideExtension | RuleFaultTolerance | TriageAlert | HoldTalk
        ),
        Acting::DisciplineInspection => matches!(kind, DecideAccountability | HoldTalk),
        Acting::Leadership => matches!(kind, HoldTalk),
        _ => false,
    }
}
