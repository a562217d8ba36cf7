//! 演练 — the rehearsal clock over HTTP, served only in rehearsal mode
//! ([`crate::rehearsal`]): where it stands (any token), a move forward by an admin as a job
//! (`202 Accepted`, `Location` of the job), and the job's progress.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use rectiflow_domain::organisation::Acting;
use rectiflow_store::Store;
use schemars::JsonSchema;
use serde::Serialize;

use super::caller::Caller;
use super::conditional::{self, IDEMPOTENT_REPLAYED};
use super::problem::Problem;
use super::{body, valid_id, Api};
use crate::rehearsal::job::MAX_DAYS;
use crate::rehearsal::{Asked, ClockJob, ClockMove, MoveError, MoveRefused, Rehearsal, Started};

/// Where the clock's endpoints are.
pub const CLOCK_PATH: &str = "/api/v1/rehearsal/clock";
pub const JOB_PATH: &str = "/api/v1/rehearsal/jobs/{id}";

/// The rehearsal clock: where it stands, and the last move asked of it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RehearsalClock {
    /// The simulated instant every stamp is taken from.
    pub now: DateTime<Utc>,
    pub last_job: Option<ClockJob>,
}

pub fn routes<S: Store>(router: Router<Arc<Api<S>>>) -> Router<Arc<Api<S>>> {
    router
        .route(CLOCK_PATH, get(clock::<S>).post(advance::<S>))
        .route(JOB_PATH, get(job::<S>))
}

fn rehearsal<S: Store>(api: &Api<S>) -> Result<&Arc<Rehearsal<S>>, Problem> {
    api.rehearsal
        .as_ref()
        .ok_or_else(|| Problem::not_found("request.unknown_path", "本服务不在演练模式"))
}

pub async fn clock<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(_): Caller,
) -> Result<Response, Problem> {
    let rehearsal = rehearsal(&api)?;
    Ok(axum::Json(RehearsalClock {
        now: rehearsal.now(),
        last_job: rehearsal.last_job(),
    })
    .into_response())
}

pub async fn advance<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    headers: HeaderMap,
    request: Body,
) -> Result<Response, Problem> {
    let rehearsal = rehearsal(&api)?;
    if principal.acting != Acting::Admin {
        return Err(Problem::forbidden(
            "rehearsal.not_admin",
            "只有系统管理员可以推进演练时钟",
        ));
    }
    let key = conditional::idempotency_key(&headers)?;
    let value = body::json(&headers, request, api.body_limit).await?;
    let asked: ClockMove = body::decode(&value, 0)?;
    let asked_with = key.map(|key| Asked {
        token: principal.token_id.clone(),
        key: key.as_str().to_owned(),
        body: value.to_string(),
    });
    let (job, replayed) = match rehearsal.start_move(&asked, asked_with) {
        Ok(Started::New(job)) => (job, false),
        Ok(Started::Repeated(job)) => (job, true),
        Err(error) => return Err(refused(error)),
    };
    let location = JOB_PATH.replace("{id}", &job.id);
    let mut response = (StatusCode::ACCEPTED, axum::Json(job)).into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&location) {
        headers.insert(header::LOCATION, location);
    }
    if replayed {
        headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(response)
}

pub async fn job<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(_): Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let rehearsal = rehearsal(&api)?;
    let id = super::path(id)?;
    valid_id(&id)?;
    let job = rehearsal.job(&id).ok_or_else(|| {
        Problem::not_found(
            "rehearsal.job_not_found",
            "没有这次时钟推进（本进程只保留最近 100 次）",
        )
    })?;
    let mut response = axum::Json(job).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A refused move as a problem, its detail written here in Chinese (the error's own
/// `Display` is English).
fn refused(error: MoveError) -> Problem {
    match error {
        MoveError::Busy(job) => Problem::new(
            StatusCode::CONFLICT,
            "rehearsal.clock_busy",
            "演练时钟正在推进",
            format!("演练时钟正在推进（作业 {job}），请待其结束"),
        ),
        MoveError::KeyReused(job) => Problem::invalid(
            "request.idempotency_key_reused",
            format!("此 Idempotency-Key 已用于另一次推进（作业 {job}）"),
        )
        .field("Idempotency-Key"),
        MoveError::Refused(MoveRefused::Backwards { now, to }) => Problem::invalid(
            "rehearsal.clock_backwards",
            format!("演练时钟现为 {now}，不能回拨（请求的是 {to}）"),
        )
        .field("to"),
        MoveError::Refused(MoveRefused::Nothing { now }) => Problem::invalid(
            "rehearsal.no_move",
            format!("未指定推进量：请给出 days、hours 或 minutes，或晚于 {now} 的时刻"),
        ),
        MoveError::Refused(MoveRefused::TooFar) => Problem::invalid(
            "rehearsal.too_far",
            format!("一次最多推进 {MAX_DAYS} 天，更长的演练请分步推进"),
        ),
    }
}
