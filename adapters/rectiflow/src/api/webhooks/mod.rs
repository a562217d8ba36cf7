//! `/api/v1/webhooks` — webhook subscriptions, made by integrators (DOMAIN.md: an integrator
//! subscribes to events) up to `webhooks.max_per_token` each: a subscription delivers what
//! its token may read ([`crate::subscriptions::webhook`]). A token sees and manages its own,
//! an admin every one; another token's subscription is answered as unknown, so its existence
//! is not told.
//!
//! Making one answers its `whsec_` secret, once; its URL must pass the allow-list
//! (`webhooks.allowed_hosts`). Replay moves it back to a position, pause and resume stop and
//! restart it, and a dead letter can be redelivered — one try, answered with how it went.
//! Rotating its secret answers the new one, once; the old one keeps signing beside it for
//! `webhooks.rotation_overlap_hours`, so the receiver can switch without a refused delivery.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use rectiflow_domain::organisation::Acting;
use rectiflow_engine::StoreError;
use rectiflow_store::webhooks::{Created, NewSubscription, OnFailure, Subscription};
use rectiflow_store::{Store, WebhookBook};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::access::Principal;
use crate::api::caller::Caller;
use crate::api::conditional::{self, IDEMPOTENT_REPLAYED};
use crate::api::problem::Problem;
use crate::api::{body, valid_id, Api};
use crate::subscriptions::filter::Filter;

pub mod dead_letters;

pub use dead_letters::{DeadLetterView, Redelivered};

pub const COLLECTION: &str = "/api/v1/webhooks";
pub const ONE: &str = "/api/v1/webhooks/{id}";
pub const REPLAY: &str = "/api/v1/webhooks/{id}/replay";
pub const PAUSE: &str = "/api/v1/webhooks/{id}/pause";
pub const RESUME: &str = "/api/v1/webhooks/{id}/resume";
pub const ROTATE_SECRET: &str = "/api/v1/webhooks/{id}/rotate-secret";
pub const DEAD_LETTERS: &str = "/api/v1/webhooks/{id}/dead-letters";
pub const REDELIVER: &str = "/api/v1/webhooks/{id}/dead-letters/{position}/redeliver";

/// A subscription to make.
/// (Unknown fields are refused by [`body::decode`], naming them.)
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct NewWebhook {
    /// Where to POST each event (`http` or `https`, a host on the allow-list).
    pub url: String,
    /// Event types (`rectiflow.item.*` for all of an aggregate's); none: every type.
    #[serde(default)]
    pub types: Vec<String>,
    pub task_force: Option<String>,
    pub unit: Option<String>,
    /// A prefix of `<stream type>/<id>`.
    pub stream: Option<String>,
    /// After the last try of an event fails: `skip` (the default) parks it as a dead letter
    /// and goes on, `pause` stops the subscription at it.
    pub on_failure: Option<OnFailure>,
    /// Deliver the events after this position (0: from the first); the default is the log's
    /// head — only what happens next.
    pub after: Option<u64>,
}

/// Where to move a subscription back (or forward) to.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct Replay {
    /// Deliver again from the event after this position.
    pub after: u64,
}

/// A subscription as its owner sees it. Its secret only in the answer that made it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    pub filter: Filter,
    pub on_failure: OnFailure,
    /// The last log position handled: delivered, passed over, or parked.
    pub position: u64,
    pub paused: Option<PausedView>,
    pub created_at: DateTime<Utc>,
    /// How many dead letters wait to be redelivered.
    pub dead_letters: usize,
    /// The `whsec_` secret deliveries are signed with: in the answer that made it (or rotated
    /// it), never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Until when the secret a rotation replaced still signs deliveries beside the new one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_secret_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PausedView {
    pub at: DateTime<Utc>,
    pub reason: String,
}

fn store_failed(error: StoreError) -> Problem {
    Problem::unavailable(error.to_string())
}

async fn view<S: Store>(
    book: &WebhookBook<S>,
    subscription: Subscription,
    secret: bool,
) -> Result<WebhookView, Problem> {
    let dead_letters = book
        .dead_letters(&subscription.id)
        .await
        .map_err(store_failed)?
        .len();
    let filter: Filter = serde_json::from_value(subscription.filter).unwrap_or_default();
    Ok(WebhookView {
        id: subscription.id,
        url: subscription.url,
        filter,
        on_failure: subscription.on_failure,
        position: subscription.position,
        paused: subscription.paused.map(|p| PausedView {
            at: p.at,
            reason: p.reason,
        }),
        created_at: subscription.created_at,
        dead_letters,
        secret: secret.then_some(subscription.secret),
        previous_secret_until: subscription
            .previous_secret
            .map(|(_, until)| until)
            .filter(|until| *until > Utc::now()),
    })
}

/// The book and the subscription the path names, if `principal` may manage it (else 404).
pub(super) async fn managed<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    id: Result<Path<String>, PathRejection>,
) -> Result<(WebhookBook<S>, Subscription), Problem> {
    let id = crate::api::path(id)?;
    let book = WebhookBook::new(api.store.clone());
    let subscription = owned(&book, principal, &id).await?;
    Ok((book, subscription))
}

/// The subscription `id` if `principal` may manage it; else, as if there were none, 404.
async fn owned<S: Store>(
    book: &WebhookBook<S>,
    principal: &Principal,
    id: &str,
) -> Result<Subscription, Problem> {
    valid_id(id)?;
    book.get(id)
        .await
        .map_err(store_failed)?
        .filter(|s| s.token_id == principal.token_id || principal.acting == Acting::Admin)
        .ok_or_else(|| Problem::not_found("webhooks.not_found", format!("没有订阅 {id}")))
}

/// `POST /api/v1/webhooks`.
pub async fn create<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    headers: HeaderMap,
    request: Body,
) -> Result<Response, Problem> {
    if !matches!(principal.acting, Acting::Integrator { .. }) {
        return Err(Problem::forbidden(
            "webhooks.not_integrator",
            "只有接入系统（integrator）的令牌可以订阅推送",
        ));
    }
    let key = conditional::idempotency_key(&headers)?;
    let value = body::json(&headers, request, api.body_limit).await?;
    let asked: NewWebhook = body::decode(&value, 0)?;
    let book = WebhookBook::new(api.store.clone());
    let types: Vec<&str> = asked.types.iter().map(String::as_str).collect();
    let filter =
        Filter::new(&types, asked.task_force, asked.unit, asked.stream).map_err(|invalid| {
            Problem::invalid("webhooks.invalid_filter", invalid.detail)
                .field(format!("/{}", invalid.field))
        })?;
    let url =
        api.webhooks.targets.check(&asked.url).map_err(|refused| {
            Problem::invalid("webhooks.url_not_allowed", refused.0).field("/url")
        })?;
    let head = api.store.head().await.map_err(store_failed)?;
    let position = asked.after.unwrap_or(head);
    if position > head {
        return Err(ahead(position, head).field("/after"));
    }
    let new = NewSubscription {
        token_id: principal.token_id.clone(),
        url: url.to_string(),
        filter: serde_json::to_value(&filter).map_err(|e| Problem::internal(e.to_string()))?,
        on_failure: asked.on_failure.unwrap_or(OnFailure::Skip),
        position,
        idempotency: key.map(|key| (key.as_str().to_owned(), value.clone())),
    };
    let limit = api.webhooks.per_token;
    let (subscription, replayed) = match book
        .create(new, limit, Utc::now())
        .await
        .map_err(store_failed)?
    {
        Created::New(subscription) => (subscription, false),
        Created::Repeated(subscription) => (subscription, true),
        Created::TooMany => {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "webhooks.too_many",
                "订阅数已达上限",
                format!("每个令牌至多 {limit} 个订阅（webhooks.max_per_token）；请先删除不用的"),
            ))
        }
        Created::KeyReused => {
            return Err(Problem::invalid(
                "request.idempotency_key_reused",
                "此 Idempotency-Key 已用于另一请求",
            )
            .field("Idempotency-Key"))
        }
    };
    api.webhooks.changed.notify_one();
    let location = ONE.replace("{id}", &subscription.id);
    // A repeat answers what the first answer did — the secret — unless it has been rotated
    // since: a rotated secret is answered once, by the rotation.
    let shown = !replayed || subscription.previous_secret.is_none();
    let view = view(&book, subscription, shown).await?;
    let mut response = (StatusCode::CREATED, Json(view)).into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&location) {
        headers.insert(header::LOCATION, location);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if replayed {
        headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(response)
}

fn ahead(position: u64, head: u64) -> Problem {
    Problem::bad_request(
        "events.position_ahead",
        format!("位置 {position} 超出日志当前的末尾 {head}：此日志中没有这一位置"),
    )
}

/// `GET /api/v1/webhooks`: the token's subscriptions (an admin's: every one).
pub async fn list<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
) -> Result<Response, Problem> {
    let book = WebhookBook::new(api.store.clone());
    let whose = (principal.acting != Acting::Admin).then_some(principal.token_id.as_str());
    let mut views = Vec::new();
    for subscription in book.list(whose).await.map_err(store_failed)? {
        views.push(view(&book, subscription, false).await?);
    }
    Ok(Json(views).into_response())
}

/// `GET /api/v1/webhooks/{id}`.
pub async fn get<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let (book, subscription) = managed(&api, &principal, id).await?;
    Ok(Json(view(&book, subscription, false).await?).into_response())
}

/// `DELETE /api/v1/webhooks/{id}`: the subscription and its dead letters.
pub async fn delete<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let (book, subscription) = managed(&api, &principal, id).await?;
    let id = subscription.id;
    book.delete(&id).await.map_err(store_failed)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/v1/webhooks/{id}/replay`: deliver again from the event after `after`.
pub async fn replay<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    request: Body,
) -> Result<Response, Problem> {
    let (book, subscription) = managed(&api, &principal, id).await?;
    let id = subscription.id;
    let value = body::json(&headers, request, api.body_limit).await?;
    let asked: Replay = body::decode(&value, 0)?;
    let head = api.store.head().await.map_err(store_failed)?;
    if asked.after > head {
        return Err(ahead(asked.after, head).field("/after"));
    }
    book.replay(&id, asked.after).await.map_err(store_failed)?;
    api.webhooks.changed.notify_one();
    current(&book, &principal, &id).await
}

/// `POST /api/v1/webhooks/{id}/pause`.
pub async fn pause<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let (book, subscription) = managed(&api, &principal, id).await?;
    let id = subscription.id;
    let reason = format!("由 {} 暂停", principal.person);
    book.pause(&id, &reason, Utc::now())
        .await
        .map_err(store_failed)?;
    current(&book, &principal, &id).await
}

/// `POST /api/v1/webhooks/{id}/resume`: delivery goes on from its position.
pub async fn resume<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let (book, subscription) = managed(&api, &principal, id).await?;
    let id = subscription.id;
    book.resume(&id).await.map_err(store_failed)?;
    api.webhooks.changed.notify_one();
    current(&book, &principal, &id).await
}

/// `POST /api/v1/webhooks/{id}/rotate-secret`: a fresh secret, answered once, to the token
/// that made the subscription; the one it replaces signs beside it for
/// `webhooks.rotation_overlap_hours`.
pub async fn rotate_secret<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let (book, subscription) = managed(&api, &principal, id).await?;
    // Only the integrator that receives the deliveries may be handed their new secret: an
    // admin's rotation would leave the receiver without it once the overlap ends.
    if subscription.token_id != principal.token_id {
        return Err(Problem::forbidden(
            "webhooks.not_owner",
            "只有创建此订阅的令牌可以更换其密钥",
        ));
    }
    let until = Utc::now() + api.webhooks.rotation_overlap;
    let rotated = book
        .rotate_secret(&subscription.id, until)
        .await
        .map_err(store_failed)?
        .ok_or_else(|| {
            Problem::not_found(
                "webhooks.not_found",
                format!("没有订阅 {}", subscription.id),
            )
        })?;
    let mut response = Json(view(&book, rotated, true).await?).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn current<S: Store>(
    book: &WebhookBook<S>,
    principal: &Principal,
    id: &str,
) -> Result<Response, Problem> {
    let subscription = owned(book, principal, id).await?;
    Ok(Json(view(book, subscription, false).await?).into_response())
}
