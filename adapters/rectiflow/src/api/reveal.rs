//! 查阅 — `POST /api/v1/complaints/{id}/reveal`: the complainant's identity, own words and
//! attachments, for the secretariat of the complaint's task force or its designated handler
//! (DOMAIN.md, "Protection"). The reveal is recorded first — the domain's `Revealed` event,
//! committed like any command, with the reader's stated purpose — and the vault is opened only
//! then, so a reveal can fail to be served but is never served unrecorded. An idempotent repeat
//! of the same request serves the secret again without a second record: the first one stands
//! for it.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use rectiflow_domain::complaint::{Complaint, ComplaintCommand, ComplaintEvent};
use rectiflow_domain::identity::{ComplaintSecret, Sealed};
use rectiflow_domain::values::Text;
use rectiflow_engine::{CommandContext, StreamRef};
use rectiflow_store::{KeyVault, Store};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::caller::Caller;
use super::commands::{accepted_events, CommandAccepted};
use super::conditional::{self, etag, IDEMPOTENT_REPLAYED};
use super::problem::Problem;
use super::{body, valid_id, Api};

/// The body: why the sealed part is read, as the reader states it (recorded in the log).
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
pub struct RevealRequest {
    pub purpose: Text,
}

/// What a reveal answers: the record of it, and the secret — `null` when the key was erased
/// between the record and the opening.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Revealed {
    pub record: CommandAccepted,
    pub secret: Option<ComplaintSecret>,
}

pub async fn reveal<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    request: Body,
) -> Result<Response, Problem> {
    let id = super::path(id)?;
    valid_id(&id)?;
    let expected = conditional::if_match(&headers)?.expected_version();
    let key = conditional::idempotency_key(&headers)?;
    let value = body::json(&headers, request, api.body_limit).await?;
    let RevealRequest { purpose } = body::decode(&value, 0)?;
    let command = ComplaintCommand::Reveal { purpose };
    let mut context = CommandContext::new(principal.person.clone());
    context.correlation_id = Some(Uuid::now_v7());
    context.trace = super::trace::context(&headers);
    if let Some(key) = key {
        context = context.with_idempotency_key(key);
    }
    let services = api.services_for(&principal);
    let outcome = api
        .exec
        .execute::<Complaint, ComplaintCommand>(&context, &id, expected, command, &services)
        .await
        .map_err(Problem::from_execute)?;
    let key_ref = outcome
        .events
        .iter()
        .find_map(|recorded| match &recorded.event {
            ComplaintEvent::Revealed { key_ref, .. } => Some(key_ref.clone()),
            _ => None,
        });
    let Some(key_ref) = key_ref else {
        return Err(Problem::unavailable("the reveal was not recorded"));
    };
    // Recorded: now, and only now, the vault is opened.
    let sealed = sealed_under(&api, &id, &key_ref).await?;
    let secret = KeyVault::new(api.store.clone())
        .open(&sealed)
        .await
        .map_err(|e| Problem::unavailable(e.to_string()))?;
    let events = accepted_events(&outcome.events)?;
    let answer = Revealed {
        record: CommandAccepted {
            stream_type: outcome.stream.stream_type.clone(),
            id: outcome.stream.stream_id.clone(),
            version: outcome.version,
            events,
        },
        secret,
    };
    let mut response = axum::Json(answer).into_response();
    let headers = response.headers_mut();
    if let Ok(tag) = HeaderValue::from_str(&etag(outcome.version)) {
        headers.insert(header::ETAG, tag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if outcome.replayed {
        headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// The ciphertext sealed under `key_ref`, from the complaint's receipt in the log.
async fn sealed_under<S: Store>(api: &Api<S>, id: &str, key_ref: &str) -> Result<Sealed, Problem> {
    let stream = StreamRef::new("complaint", id);
    let events = rectiflow_engine::EventStore::load_events(&api.store, &stream, 0)
        .await
        .map_err(|e| Problem::store(&e))?;
    events
        .into_iter()
        .filter_map(|e| serde_json::from_value::<ComplaintEvent>(e.payload).ok())
        .find_map(|event| match event {
            ComplaintEvent::Received { sealed, .. } if sealed.key_ref == key_ref => Some(sealed),
            _ => None,
        })
        .ok_or_else(|| {
            Problem::unavailable("the sealed part named by the reveal is not in the log")
        })
}
