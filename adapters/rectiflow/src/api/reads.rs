//! Reading a resource: its state at its latest version (with its `ETag`; `If-None-Match`
//! answers 304) and its history — every event, who recorded it and when — each within the
//! reader's scope. Reads of case files and accountability records are recorded first
//! ([`super::recorded`]).
//!
//! **`?as_of=`** (time travel): the state as it stood at an instant — the stream's events
//! stamped at or before it, folded afresh — and the history up to it; held to the scope the
//! resource has now (a reader outside it learns nothing, not even when it came to be). Such an answer carries no `ETag` (the version it names is in the body,
//! and `If-Match` takes the current one).

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use rectiflow_domain::event::{PublicView, Scoped};
use rectiflow_domain::reading::ReadPart;
use rectiflow_engine::StreamRef;
use rectiflow_store::Store;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::caller::Caller;
use super::conditional::{etag, not_modified};
use super::problem::Problem;
use super::recorded::record_read;
use super::resource::Resource;
use super::{valid_id, Api};
use crate::access::Principal;

/// A resource as it stands.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ResourceView<A> {
    pub id: String,
    /// The stream's version: the `ETag`, and what `If-Match` names to change it.
    pub version: u64,
    pub state: A,
}

/// One event of a resource's history.
#[derive(Debug, Serialize, JsonSchema)]
pub struct HistoryEntry {
    pub version: u64,
    pub event_id: Uuid,
    /// The qualified event type (`rectiflow.item.acknowledged`).
    pub event_type: String,
    pub schema_version: String,
    /// Who caused it: a person, or a system actor (`policy:<name>`, `schedule:<id>`).
    pub actor: Option<String>,
    pub recorded_at: DateTime<Utc>,
    /// The event's public view: sealed fields never leave (`null` for an event this version
    /// of the service cannot read).
    pub payload: Value,
}

/// A read's parameters: the instant to read the resource as of (now by default).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AsOfParams {
    /// Read it as it stood at this instant (RFC 3339): its events stamped at or before it.
    pub as_of: Option<DateTime<Utc>>,
}

type AsOf = Result<Query<AsOfParams>, QueryRejection>;

pub async fn get<S: Store, R: Resource>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    method: Method,
    id: Result<Path<String>, PathRejection>,
    as_of: AsOf,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    not_head_if_recorded::<R>(&method)?;
    let id = super::path(id)?;
    valid_id(&id)?;
    let as_of = super::instant(super::query(as_of)?.as_of, "as_of")?;
    show::<S, R>(&api, &principal, id, as_of, &headers).await
}

pub async fn get_singleton<S: Store, R: Resource>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    as_of: AsOf,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = R::SINGLETON.unwrap_or_default().to_owned();
    let as_of = super::instant(super::query(as_of)?.as_of, "as_of")?;
    show::<S, R>(&api, &principal, id, as_of, &headers).await
}

pub async fn history<S: Store, R: Resource>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    method: Method,
    id: Result<Path<String>, PathRejection>,
    as_of: AsOf,
) -> Result<Response, Problem> {
    not_head_if_recorded::<R>(&method)?;
    let id = super::path(id)?;
    valid_id(&id)?;
    let as_of = super::instant(super::query(as_of)?.as_of, "as_of")?;
    events::<S, R>(&api, &principal, id, as_of).await
}

pub async fn singleton_history<S: Store, R: Resource>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    as_of: AsOf,
) -> Result<Response, Problem> {
    let id = R::SINGLETON.unwrap_or_default().to_owned();
    let as_of = super::instant(super::query(as_of)?.as_of, "as_of")?;
    events::<S, R>(&api, &principal, id, as_of).await
}

/// The aggregate and its version, when it exists and the principal may read it.
pub(crate) async fn readable<S: Store, R: Resource>(
    api: &Api<S>,
    principal: &Principal,
    id: &str,
) -> Result<(R::Aggregate, u64), Problem> {
    let (aggregate, version) = api
        .exec
        .load::<R::Aggregate>(id)
        .await
        .map_err(|e| Problem::store(&e))?;
    if version == 0 {
        return Err(Problem::not_found(
            "request.not_found",
            format!("{} 中没有 {id:?}", R::COLLECTION),
        ));
    }
    if !super::scope::may_read(api, principal, R::READ, &aggregate.scope()).await? {
        return Err(Problem::forbidden(
            "auth.out_of_scope",
            format!(
                "{} 以{}身份无权查阅 {id}",
                principal.person, principal.acting
            ),
        ));
    }
    Ok((aggregate, version))
}

/// [`readable`], as it stood at `as_of` when given. Whether the principal may read it is
/// decided on the resource as it stands — so a reader outside its scope learns nothing of
/// when it came to be — and it must have existed at `as_of`.
pub(crate) async fn readable_at<S: Store, R: Resource>(
    api: &Api<S>,
    principal: &Principal,
    id: &str,
    as_of: Option<DateTime<Utc>>,
) -> Result<(R::Aggregate, u64), Problem> {
    let now = readable::<S, R>(api, principal, id).await?;
    let Some(at) = as_of else {
        return Ok(now);
    };
    let (aggregate, version) = api
        .exec
        .load_as_of::<R::Aggregate>(id, at)
        .await
        .map_err(|e| Problem::store(&e))?;
    if version == 0 {
        return Err(Problem::not_found(
            "request.not_found",
            format!("{} 时 {} 中尚无 {id:?}", at.to_rfc3339(), R::COLLECTION),
        ));
    }
    Ok((aggregate, version))
}

async fn show<S: Store, R: Resource>(
    api: &Api<S>,
    principal: &Principal,
    id: String,
    as_of: Option<DateTime<Utc>>,
    headers: &HeaderMap,
) -> Result<Response, Problem> {
    let (state, version) = readable_at::<S, R>(api, principal, &id, as_of).await?;
    let tag =
        HeaderValue::from_str(&etag(version)).map_err(|e| Problem::unavailable(e.to_string()))?;
    if as_of.is_none() && not_modified(headers, version) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response());
    }
    if let Some(kind) = R::RECORDS_READS {
        let scope = state.scope();
        record_read(api, principal, kind, &id, ReadPart::State, version, scope).await?;
    }
    let view = ResourceView { id, version, state };
    let mut response = axum::Json(view).into_response();
    if as_of.is_none() {
        response.headers_mut().insert(header::ETAG, tag);
    }
    no_store_if_recorded::<R>(&mut response);
    Ok(response)
}

async fn events<S: Store, R: Resource>(
    api: &Api<S>,
    principal: &Principal,
    id: String,
    as_of: Option<DateTime<Utc>>,
) -> Result<Response, Problem> {
    let (_, entries) = history_of::<S, R>(api, principal, &id, as_of).await?;
    let mut response = axum::Json(entries).into_response();
    no_store_if_recorded::<R>(&mut response);
    Ok(response)
}

/// A resource as it stood at `as_of` (now by default) and its history up to then, when the
/// principal may read it (and the read recorded, for a resource whose reads are).
pub(crate) async fn history_of<S: Store, R: Resource>(
    api: &Api<S>,
    principal: &Principal,
    id: &str,
    as_of: Option<DateTime<Utc>>,
) -> Result<(R::Aggregate, Vec<HistoryEntry>), Problem> {
    let (state, _) = readable_at::<S, R>(api, principal, id, as_of).await?;
    let stream = StreamRef::new(<R::Aggregate as Aggregate>::TYPE, id);
    let mut events = api
        .exec
        .store()
        .load_events(&stream, 0)
        .await
        .map_err(|e| Problem::store(&e))?;
    if let Some(at) = as_of {
        // The same prefix the state was folded from.
        let kept = events.iter().take_while(|e| e.recorded_at <= at).count();
        events.truncate(kept);
    }
    if let Some(kind) = R::RECORDS_READS {
        // The version served: the last event loaded (a write since the state was read is in
        // the answer, and so in the record).
        let version = events.last().map_or(0, |e| e.stream_version);
        let scope = state.scope();
        record_read(api, principal, kind, id, ReadPart::History, version, scope).await?;
    }
    let entries: Vec<HistoryEntry> = events
        .into_iter()
        .map(|e| HistoryEntry {
            version: e.stream_version,
            event_id: e.event_id,
            event_type: e.event_type,
            schema_version: e.schema_version,
            actor: e
                .metadata
                .get("actor")
                .and_then(Value::as_str)
                .map(str::to_owned),
            recorded_at: e.recorded_at,
            payload: serde_json::from_value::<<R::Aggregate as Aggregate>::Event>(e.payload)
                .ok()
                .and_then(|event| event.public_view().ok())
                .unwrap_or(Value::Null),
        })
        .collect();
    Ok((state, entries))
}

/// A resource whose reads are recorded is read with `GET` only ([`super::recorded::not_head`]).
fn not_head_if_recorded<R: Resource>(method: &Method) -> Result<(), Problem> {
    match R::RECORDS_READS {
        Some(_) => super::recorded::not_head(method),
        None => Ok(()),
    }
}

/// A recorded read is served for the reader alone: no cache keeps it.
fn no_store_if_recorded<R: Resource>(response: &mut Response) {
    if R::RECORDS_READS.is_some() {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
