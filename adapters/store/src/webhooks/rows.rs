//! Reading and writing the subscriptions' rows: columns, instants, positions.

use chrono::{DateTime, Utc};
use rectiflow_engine::readmodel::Row;
use rectiflow_engine::StoreError;
use sea_query::{Query, SelectStatement};

pub(super) use crate::columns::instant;

use super::{OnFailure, Paused, Subscription, WebhookSubscriptions};

pub(super) fn select() -> SelectStatement {
    Query::select()
        .columns([
            WebhookSubscriptions::Id,
            WebhookSubscriptions::TokenId,
            WebhookSubscriptions::Url,
            WebhookSubscriptions::Filter,
            WebhookSubscriptions::Secret,
            WebhookSubscriptions::OnFailure,
            WebhookSubscriptions::Position,
            WebhookSubscriptions::PausedAt,
            WebhookSubscriptions::PausedReason,
            WebhookSubscriptions::CreatedAt,
            WebhookSubscriptions::PreviousSecret,
            WebhookSubscriptions::PreviousUntil,
        ])
        .from(WebhookSubscriptions::Table)
        .to_owned()
}

/// A log position as the database's big integer.
pub(super) fn position(at: u64) -> Result<i64, StoreError> {
    i64::try_from(at).map_err(|_| StoreError::ReadModel(format!("position {at} is too large")))
}

pub(super) fn read(row: &Row) -> Result<Subscription, StoreError> {
    let id = text(row, "id")?.unwrap_or_default();
    let corrupt = |what: String| StoreError::corrupt(format!("webhook subscription {id}"), what);
    let filter = text(row, "filter")?.unwrap_or_default();
    let filter = serde_json::from_str(&filter).map_err(|e| corrupt(format!("filter: {e}")))?;
    let on_failure = match text(row, "on_failure")?.as_deref() {
        Some("skip") => OnFailure::Skip,
        Some("pause") => OnFailure::Pause,
        other => return Err(corrupt(format!("on_failure: {other:?}"))),
    };
    let paused = match (time(row, "paused_at")?, text(row, "paused_reason")?) {
        (Some(at), reason) => Some(Paused {
            at,
            reason: reason.unwrap_or_default(),
        }),
        (None, _) => None,
    };
    Ok(Subscription {
        token_id: text(row, "token_id")?.unwrap_or_default(),
        url: text(row, "url")?.unwrap_or_default(),
        filter,
        secret: text(row, "secret")?.unwrap_or_default(),
        previous_secret: match (text(row, "previous_secret")?, time(row, "previous_until")?) {
            (Some(secret), Some(until)) => Some((secret, until)),
            _ => None,
        },
        on_failure,
        position: number(row, "position")?,
        paused,
        created_at: time(row, "created_at")?.ok_or_else(|| corrupt("no creation time".into()))?,
        id,
    })
}

pub(super) fn text(row: &Row, name: &str) -> Result<Option<String>, StoreError> {
    crate::columns::text(row, "webhook", name)
}

pub(super) fn time(row: &Row, name: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
    crate::columns::time(row, "webhook", name)
}

pub(super) fn number(row: &Row, name: &str) -> Result<u64, StoreError> {
    row.get(name)
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| {
            StoreError::corrupt(
                format!("webhook column {name}"),
                format!("not a count: {:?}", row.get(name)),
            )
        })
}
