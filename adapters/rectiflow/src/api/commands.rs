//! Sending commands: `POST /api/v1/{collection}` creates (the id comes from the body),
//! `POST /api/v1/{collection}/{id}/{action}` changes an existing resource and needs `If-Match`.
//! Every POST may carry an `Idempotency-Key`: a repeat returns the first response (marked
//! `Idempotent-Replayed: true`) and writes nothing; the same key with another body is 422.
//! The command is decided for the token's person acting in the token's role, with the
//! organisation and campaigns at their latest version.
//!
//! That is also what holds a change to the token's scope: every party a command needs is
//! bound to the resource (the secretariat of *its* task force, a member of *its* unit, its
//! designated handler), and the organisation the domain decides with makes the sender only
//! the parties their role makes them ([`NarrowedDirectory`](rectiflow_domain::directory::NarrowedDirectory)).
//! A read-scope check before each change would add a load of the aggregate for nothing — and
//! refuse integrators, who push onto streams they do not read.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cqrs_es::{Aggregate, DomainEvent};
use rectiflow_domain::event::PublicView;
use rectiflow_domain::Addressed;
use rectiflow_engine::{CommandContext, Outcome, Recorded};
use rectiflow_store::Store;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::body;
use super::caller::Caller;
use super::conditional::{self, etag, IDEMPOTENT_REPLAYED};
use super::problem::Problem;
use super::resource::{Action, Resource};
use super::{valid_id, Api};
use crate::access::Principal;

/// What a command did: the stream's new version (also the `ETag`) and the events it recorded.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CommandAccepted {
    /// The aggregate type (`item`).
    pub stream_type: String,
    pub id: String,
    pub version: u64,
    pub events: Vec<AcceptedEvent>,
}

/// One event a command recorded.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AcceptedEvent {
    pub version: u64,
    pub event_id: Uuid,
    /// The qualified event type (`rectiflow.item.acknowledged`).
    pub event_type: String,
    /// The event's public view: sealed fields (a complainant's identity and words, even as
    /// ciphertext) never leave.
    pub payload: Value,
}

/// `POST /api/v1/{collection}`: the resource's creating command.
pub async fn create<S: Store, R: Resource>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let action = R::ACTIONS
        .iter()
        .find(|a| a.creates)
        .ok_or_else(|| Problem::not_found("request.unknown_action", "此处不能新建资源"))?;
    send::<S, R>(&api, principal, None, action, &headers, body).await
}

/// `POST /api/v1/{collection}/{id}/{action}`.
pub async fn act<S: Store, R: Resource>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    segments: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let (id, segment) = super::path(segments)?;
    valid_id(&id)?;
    let action = find_action::<R>(&segment, false)?;
    send::<S, R>(&api, principal, Some(id), action, &headers, body).await
}

/// `POST /api/v1/{singleton}/{action}`: the one stream there is (the organisation).
pub async fn act_on_singleton<S: Store, R: Resource>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    segment: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let segment = super::path(segment)?;
    let action = find_action::<R>(&segment, true)?;
    let id = R::SINGLETON.map(str::to_owned);
    send::<S, R>(&api, principal, id, action, &headers, body).await
}

fn find_action<R: Resource>(segment: &str, creating_too: bool) -> Result<&'static Action, Problem> {
    R::ACTIONS
        .iter()
        .find(|a| a.segment() == segment && (creating_too || !a.creates))
        .ok_or_else(|| {
            Problem::not_found(
                "request.unknown_action",
                format!("{} 没有名为 {segment:?} 的操作", R::COLLECTION),
            )
        })
}

async fn send<S: Store, R: Resource>(
    api: &Api<S>,
    principal: Principal,
    id: Option<String>,
    action: &Action,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    if !R::may_send(&principal) {
        return Err(Problem::forbidden(
            "auth.role_may_not_send",
            format!(
                "{} 以{}身份不能变更 {}",
                principal.person,
                principal.acting,
                R::COLLECTION
            ),
        ));
    }
    let expected = match action.creates {
        true => None,
        false => conditional::if_match(headers)?.expected_version(),
    };
    let key = conditional::idempotency_key(headers)?;
    let value = body::json(headers, body, api.body_limit).await?;
    let command: R::Body = command_body(R::TAG_FIELD, action.variant, value)?;
    let id = match id {
        Some(id) => id,
        None => command
            .addressed_to()
            .map(str::to_owned)
            .ok_or_else(|| Problem::invalid("request.no_id", "请求体未写明新资源的编号"))?,
    };
    let mut context = CommandContext::new(principal.person.clone());
    context.correlation_id = Some(Uuid::now_v7());
    context.trace = super::trace::context(headers);
    if let Some(key) = key {
        context = context.with_idempotency_key(key);
    }
    let services = api.services_for(&principal);
    let outcome = api
        .exec
        .execute::<R::Aggregate, R::Body>(&context, &id, expected, command, &services)
        .await
        .map_err(Problem::from_execute)?;
    if R::WAKES_SCHEDULER {
        api.wake_scheduler.notify_one();
    }
    let status = match action.creates {
        true => StatusCode::CREATED,
        false => StatusCode::OK,
    };
    accepted::<R>(outcome, status)
}

/// The body as the `variant` command: for an enum tagged inside, the body with its tag field
/// set to the variant; for one tagged outside, `{variant: body}`, or the bare variant for a
/// command that carries nothing (`{}`).
fn command_body<B: serde::de::DeserializeOwned + Serialize>(
    tag_field: Option<&str>,
    variant: &str,
    value: Value,
) -> Result<B, Problem> {
    let Value::Object(mut fields) = value else {
        return Err(Problem::invalid("request.invalid_value", "请求体须为 JSON 对象").field(""));
    };
    match tag_field {
        Some(tag) => {
            if fields.contains_key(tag) {
                return Err(Problem::invalid(
                    "request.unknown_field",
                    format!("未知字段 {tag:?}：操作已由路径指明"),
                )
                .field(format!("/{tag}")));
            }
            fields.insert(tag.to_owned(), Value::String(variant.to_owned()));
            body::decode(&Value::Object(fields), 0)
        }
        None => {
            if fields.is_empty() {
                if let Ok(command) = body::decode(&Value::String(variant.to_owned()), 1) {
                    return Ok(command);
                }
            }
            let mut wrapped = serde_json::Map::new();
            wrapped.insert(variant.to_owned(), Value::Object(fields));
            body::decode(&Value::Object(wrapped), 1)
        }
    }
}

/// What recorded events tell the sender: each one's public view (sealed fields never leave).
pub(super) fn accepted_events<E: DomainEvent + PublicView>(
    events: &[Recorded<E>],
) -> Result<Vec<AcceptedEvent>, Problem> {
    events
        .iter()
        .map(|recorded| {
            Ok(AcceptedEvent {
                version: recorded.version,
                event_id: recorded.event_id,
                event_type: recorded.event.event_type(),
                payload: recorded.event.public_view()?,
            })
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()
        .map_err(|e| Problem::unavailable(format!("an event could not be shown: {e}")))
}

fn accepted<R: Resource>(
    outcome: Outcome<<R::Aggregate as Aggregate>::Event>,
    status: StatusCode,
) -> Result<Response, Problem> {
    let events = accepted_events(&outcome.events)?;
    let body = CommandAccepted {
        stream_type: outcome.stream.stream_type.clone(),
        id: outcome.stream.stream_id.clone(),
        version: outcome.version,
        events,
    };
    let mut response = (status, axum::Json(&body)).into_response();
    let headers = response.headers_mut();
    if let Ok(tag) = HeaderValue::from_str(&etag(outcome.version)) {
        headers.insert(header::ETAG, tag);
    }
    if status == StatusCode::CREATED {
        let location = match R::SINGLETON {
            Some(_) => format!("/api/v1/{}", R::COLLECTION),
            None => format!("/api/v1/{}/{}", R::COLLECTION, outcome.stream.stream_id),
        };
        if let Ok(location) = HeaderValue::from_str(&location) {
            headers.insert(header::LOCATION, location);
        }
    }
    if outcome.replayed {
        headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(response)
}
