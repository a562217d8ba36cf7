//! A subscription's dead letters: listed, and redelivered one at a time — one try, now,
//! answered with how it went.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use rectiflow_store::webhooks::{DeadLetter, Subscription};
use rectiflow_store::{Store, WebhookBook};
use schemars::JsonSchema;
use serde::Serialize;

use super::{managed, owned, store_failed};
use crate::access::{self, Denied};
use crate::api::caller::Caller;
use crate::api::problem::Problem;
use crate::api::Api;
use crate::subscriptions::audience::{scope_of, Audience};
use crate::subscriptions::cloudevent::CloudEvent;
use crate::subscriptions::webhook::delivery::secrets;

/// A delivery given up on.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeadLetterView {
    pub position: u64,
    /// The event id: the `webhook-id` it was (and will be) sent with.
    pub event_id: String,
    pub attempts: u32,
    pub last_error: String,
    pub parked_at: DateTime<Utc>,
}

/// How a redelivery went.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Redelivered {
    pub position: u64,
    pub delivered: bool,
}

/// `GET /api/v1/webhooks/{id}/dead-letters`.
pub async fn list<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let (book, subscription) = managed(&api, &principal, id).await?;
    let id = subscription.id;
    let letters: Vec<DeadLetterView> = book
        .dead_letters(&id)
        .await
        .map_err(store_failed)?
        .into_iter()
        .map(|letter| DeadLetterView {
            position: letter.position,
            event_id: letter.event_id.to_string(),
            attempts: letter.attempts,
            last_error: letter.last_error,
            parked_at: letter.parked_at,
        })
        .collect();
    Ok(Json(letters).into_response())
}

/// `POST /api/v1/webhooks/{id}/dead-letters/{position}/redeliver`: one try, now. Delivered,
/// the letter is removed (200); failed again, it stays with the attempt counted (502).
pub async fn redeliver<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    params: Result<Path<(String, u64)>, PathRejection>,
) -> Result<Response, Problem> {
    let (id, position) = crate::api::path(params)?;
    let book = WebhookBook::new(api.store.clone());
    let subscription = owned(&book, &principal, &id).await?;
    let letter = book
        .dead_letter(&id, position)
        .await
        .map_err(store_failed)?
        .ok_or_else(|| {
            Problem::not_found(
                "webhooks.no_dead_letter",
                format!("订阅 {id} 在位置 {position} 没有待重投的推送"),
            )
        })?;
    api.webhooks
        .targets
        .check(&subscription.url)
        .map_err(|refused| {
            Problem::new(
                StatusCode::CONFLICT,
                "webhooks.url_not_allowed",
                "推送地址已不被允许",
                refused.0,
            )
        })?;
    let event = dead_event(&api, &subscription, &letter).await?;
    match api
        .webhooks
        .deliverer
        .attempt(
            &subscription.url,
            &secrets(&subscription, Utc::now()),
            &event,
        )
        .await
    {
        Ok(()) => {
            book.remove_dead_letter(&id, position)
                .await
                .map_err(store_failed)?;
            metrics::counter!("rectiflow_webhook_deliveries_total").increment(1);
            Ok(Json(Redelivered {
                position,
                delivered: true,
            })
            .into_response())
        }
        Err(error) => {
            let again = DeadLetter {
                attempts: letter.attempts.saturating_add(1),
                last_error: error.clone(),
                parked_at: Utc::now(),
                ..letter
            };
            book.record_attempt(&again).await.map_err(store_failed)?;
            metrics::counter!("rectiflow_webhook_failures_total").increment(1);
            Err(Problem::new(
                StatusCode::BAD_GATEWAY,
                "webhooks.delivery_failed",
                "重投失败",
                format!("接收方未接受第 {position} 号事件：{error}"),
            ))
        }
    }
}

/// The event a dead letter holds, as the subscription's token may still read it now.
async fn dead_event<S: Store>(
    api: &Api<S>,
    subscription: &Subscription,
    letter: &DeadLetter,
) -> Result<CloudEvent, Problem> {
    let gone = || {
        Problem::new(
            StatusCode::CONFLICT,
            "webhooks.event_no_longer_readable",
            "该事件已不能推送",
            format!(
                "第 {} 号事件已不在订阅所用令牌的可读范围内",
                letter.position
            ),
        )
    };
    let principal = access::authenticate_id(
        &api.tokens,
        &api.services.directory,
        &subscription.token_id,
        Utc::now(),
    )
    .await
    .map_err(|denied| match denied {
        Denied::Store(error) => store_failed(error),
        Denied::Unavailable(port) => Problem::unavailable(port.to_string()),
        _ => gone(),
    })?;
    let logged = api
        .store
        .read_log(letter.position.saturating_sub(1), 1)
        .await
        .map_err(store_failed)?
        .into_iter()
        .find(|event| event.position == letter.position)
        .ok_or_else(gone)?;
    if !Audience::new(api, &principal)
        .admits(&logged, &scope_of(&logged))
        .await?
    {
        return Err(gone());
    }
    CloudEvent::of(&logged, &api.event_source()).map_err(|unpublished| {
        Problem::new(
            StatusCode::CONFLICT,
            "webhooks.event_unpublished",
            "该事件不能推送",
            format!("事件目录不能发布此事件：{unpublished}"),
        )
    })
}
