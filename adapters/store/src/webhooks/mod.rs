//! Webhook subscriptions and their dead letters: where an integrator's events are delivered,
//! how far delivery has come, and what was given up on.
//!
//! A subscription's `position` is its checkpoint: the last log position handled — delivered,
//! passed over by its filter, or parked as a dead letter. It only moves by compare-and-set
//! ([`WebhookBook::advance`]), so a replay ([`WebhookBook::replay`]) or a pause made through the
//! API while a delivery is under way wins, and the deliverer, finding the position moved, reads
//! it again. Parking a dead letter and moving past it are one transaction.
//!
//! The secret is kept as issued: signing needs it (unlike a token, which is only compared). It
//! is shown when the subscription is made and never listed again.
//!
//! Written once for both backends through the store's [`ReadModelStore`] and
//! [`ConsumerStore`] ports; the tables come with the store's migrations.

use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::OsRng;
use base64::Engine;
use chrono::{DateTime, Utc};
use rectiflow_engine::consumer::ConsumerStore;
use rectiflow_engine::readmodel::{ReadModelStore, ReadModels, Statement};
use rectiflow_engine::StoreError;
use sea_query::{Expr, Iden, Order, Query};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod dead_letters;
mod rows;

use rows::{instant, position, read, select, text};

/// What every secret starts with (Standard Webhooks).
pub const SECRET_PREFIX: &str = "whsec_";

#[derive(Iden)]
enum WebhookSubscriptions {
    Table,
    Id,
    TokenId,
    Url,
    Filter,
    Secret,
    OnFailure,
    Position,
    PausedAt,
    PausedReason,
    CreatedAt,
    IdempotencyKey,
    Request,
    PreviousSecret,
    PreviousUntil,
}

#[derive(Iden)]
enum WebhookDeadLetters {
    Table,
    Subscription,
    Position,
    EventId,
    Attempts,
    LastError,
    ParkedAt,
}

/// What a subscription does with a delivery that failed its last retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnFailure {
    /// Park it as a dead letter and go on with the next event.
    Skip,
    /// Stop at it, paused, until resumed (then it is tried again).
    Pause,
}

impl OnFailure {
    fn as_str(self) -> &'static str {
        match self {
            Self::Skip => "skip",
            Self::Pause => "pause",
        }
    }
}

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub id: String,
    /// The token that made it: deliveries show what that token may read, and stop (paused)
    /// once it no longer lets its holder in.
    pub token_id: String,
    pub url: String,
    /// The filter, as the subscriptions module wrote it (opaque here).
    pub filter: serde_json::Value,
    pub secret: String,
    /// The secret [`WebhookBook::rotate_secret`] replaced, still signing beside the new one
    /// until the instant given: receivers switch without refusing a delivery.
    pub previous_secret: Option<(String, DateTime<Utc>)>,
    pub on_failure: OnFailure,
    /// The last log position handled.
    pub position: u64,
    pub paused: Option<Paused>,
    pub created_at: DateTime<Utc>,
}

/// Why and since when a subscription is paused.
#[derive(Debug, Clone, PartialEq)]
pub struct Paused {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// A subscription to make.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub token_id: String,
    pub url: String,
    pub filter: serde_json::Value,
    pub on_failure: OnFailure,
    /// Where delivery starts: after this position.
    pub position: u64,
    /// The `Idempotency-Key` it is made with, and the request it came in, kept so a repeat of
    /// the key finds it.
    pub idempotency: Option<(String, serde_json::Value)>,
}

/// What [`WebhookBook::create`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Created {
    /// Made now.
    New(Subscription),
    /// Made earlier with the same key and the same request: that subscription.
    Repeated(Subscription),
    /// The key was used before with another request.
    KeyReused,
    /// The token has as many subscriptions as it may.
    TooMany,
}

/// A delivery given up on.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLetter {
    pub subscription: String,
    pub position: u64,
    pub event_id: Uuid,
    pub attempts: u32,
    pub last_error: String,
    pub parked_at: DateTime<Utc>,
}

/// The store's webhook subscriptions.
#[derive(Clone)]
pub struct WebhookBook<S> {
    store: S,
}

impl<S: ReadModelStore + ConsumerStore> WebhookBook<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    /// Makes a subscription with a fresh secret, unless its token has `limit` already — or,
    /// for a key made with before, answers what was made then. (Two made at once may both
    /// pass the limit: it bounds the load, it is not an invariant.)
    pub async fn create(
        &self,
        new: NewSubscription,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Created, StoreError> {
        if let Some(earlier) = self.made_with(&new).await? {
            return Ok(earlier);
        }
        if self.list(Some(&new.token_id)).await?.len() >= limit {
            return Ok(Created::TooMany);
        }
        let subscription = Subscription {
            id: Uuid::now_v7().to_string(),
            token_id: new.token_id.clone(),
            url: new.url.clone(),
            filter: new.filter.clone(),
            secret: fresh_secret(),
            previous_secret: None,
            on_failure: new.on_failure,
            position: new.position,
            paused: None,
            created_at: now,
        };
        let (key, request) = match &new.idempotency {
            Some((key, request)) => (Some(key.clone()), Some(request.to_string())),
            None => (None, None),
        };
        let insert = Query::insert()
            .into_table(WebhookSubscriptions::Table)
            .columns([
                WebhookSubscriptions::Id,
                WebhookSubscriptions::TokenId,
                WebhookSubscriptions::Url,
                WebhookSubscriptions::Filter,
                WebhookSubscriptions::Secret,
                WebhookSubscriptions::OnFailure,
                WebhookSubscriptions::Position,
                WebhookSubscriptions::CreatedAt,
                WebhookSubscriptions::IdempotencyKey,
                WebhookSubscriptions::Request,
            ])
            .values([
                subscription.id.clone().into(),
                subscription.token_id.clone().into(),
                subscription.url.clone().into(),
                subscription.filter.to_string().into(),
                subscription.secret.clone().into(),
                subscription.on_failure.as_str().into(),
                position(subscription.position)?.into(),
                instant(now).into(),
                key.into(),
                request.into(),
            ])
            .map_err(|e| StoreError::ReadModel(e.to_string()))?
            .to_owned();
        match self.store.execute(Statement::Insert(insert)).await {
            Ok(_) => Ok(Created::New(subscription)),
            // Two requests with one key at once: the other one's insert won.
            Err(error) => match self.made_with(&new).await? {
                Some(earlier) => Ok(earlier),
                None => Err(error),
            },
        }
    }

    /// What was made earlier with `new`'s key, if it was.
    async fn made_with(&self, new: &NewSubscription) -> Result<Option<Created>, StoreError> {
        let Some((key, request)) = &new.idempotency else {
            return Ok(None);
        };
        let select = select()
            .column(WebhookSubscriptions::Request)
            .and_where(Expr::col(WebhookSubscriptions::TokenId).eq(new.token_id.as_str()))
            .and_where(Expr::col(WebhookSubscriptions::IdempotencyKey).eq(key.as_str()))
            .to_owned();
        let rows = self.store.fetch(select).await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let same = text(row, "request")?
            .and_then(|earlier| serde_json::from_str::<serde_json::Value>(&earlier).ok())
            .is_some_and(|earlier| &earlier == request);
        Ok(Some(match same {
            true => Created::Repeated(read(row)?),
            false => Created::KeyReused,
        }))
    }

    /// Subscription `id`.
    pub async fn get(&self, id: &str) -> Result<Option<Subscription>, StoreError> {
        let select = select()
            .and_where(Expr::col(WebhookSubscriptions::Id).eq(id))
            .to_owned();
        self.store
            .fetch(select)
            .await?
            .first()
            .map(read)
            .transpose()
    }

    /// Every subscription, or those made by `token_id`, oldest first.
    pub async fn list(&self, token_id: Option<&str>) -> Result<Vec<Subscription>, StoreError> {
        let mut select = select()
            .order_by(WebhookSubscriptions::Id, Order::Asc)
            .to_owned();
        if let Some(token_id) = token_id {
            select.and_where(Expr::col(WebhookSubscriptions::TokenId).eq(token_id));
        }
        self.store.fetch(select).await?.iter().map(read).collect()
    }

    /// Removes subscription `id` and its dead letters; `false` if there was none.
    pub async fn delete(&self, id: &str) -> Result<bool, StoreError> {
        let mut tx = self.store.begin().await?;
        let letters = Query::delete()
            .from_table(WebhookDeadLetters::Table)
            .and_where(Expr::col(WebhookDeadLetters::Subscription).eq(id))
            .to_owned();
        tx.execute(Statement::Delete(letters)).await?;
        let subscription = Query::delete()
            .from_table(WebhookSubscriptions::Table)
            .and_where(Expr::col(WebhookSubscriptions::Id).eq(id))
            .to_owned();
        let removed = tx.execute(Statement::Delete(subscription)).await? == 1;
        self.store.commit_batch(tx).await?;
        Ok(removed)
    }

    /// Moves `id`'s position from `from` to `to`, unless it moved meanwhile or the
    /// subscription was paused or removed: then `false`, and the deliverer reads it again.
    pub async fn advance(&self, id: &str, from: u64, to: u64) -> Result<bool, StoreError> {
        let update = advance(id, from, to)?;
        Ok(self.store.execute(Statement::Update(update)).await? == 1)
    }

    /// Sets `id`'s position to `after`: what a replay does (the next delivery is the event
    /// after it). Its dead letters after `after` go, in the same transaction: those events are
    /// delivered again in order. `false` if there is no such subscription.
    pub async fn replay(&self, id: &str, after: u64) -> Result<bool, StoreError> {
        let mut tx = self.store.begin().await?;
        let update = Query::update()
            .table(WebhookSubscriptions::Table)
            .value(WebhookSubscriptions::Position, position(after)?)
            .and_where(Expr::col(WebhookSubscriptions::Id).eq(id))
            .to_owned();
        if tx.execute(Statement::Update(update)).await? != 1 {
            return Ok(false);
        }
        let letters = Query::delete()
            .from_table(WebhookDeadLetters::Table)
            .and_where(Expr::col(WebhookDeadLetters::Subscription).eq(id))
            .and_where(Expr::col(WebhookDeadLetters::Position).gt(position(after)?))
            .to_owned();
        tx.execute(Statement::Delete(letters)).await?;
        self.store.commit_batch(tx).await?;
        Ok(true)
    }

    /// Gives `id` a fresh secret; the one it replaces keeps signing beside it until `until`
    /// (replacing any earlier one still in its overlap). The subscription as it now is, or
    /// `None` if there is none.
    pub async fn rotate_secret(
        &self,
        id: &str,
        until: DateTime<Utc>,
    ) -> Result<Option<Subscription>, StoreError> {
        loop {
            let Some(current) = self.get(id).await? else {
                return Ok(None);
            };
            let secret = fresh_secret();
            // Compare-and-set on the secret read: of two rotations at once, the second replaces
            // the first's secret, never one nobody was shown.
            let update = Query::update()
                .table(WebhookSubscriptions::Table)
                .value(WebhookSubscriptions::Secret, secret.as_str())
                .value(
                    WebhookSubscriptions::PreviousSecret,
                    current.secret.as_str(),
                )
                .value(WebhookSubscriptions::PreviousUntil, instant(until))
                .and_where(Expr::col(WebhookSubscriptions::Id).eq(id))
                .and_where(Expr::col(WebhookSubscriptions::Secret).eq(current.secret.as_str()))
                .to_owned();
            if self.store.execute(Statement::Update(update)).await? == 1 {
                return Ok(Some(Subscription {
                    secret,
                    previous_secret: Some((current.secret, until)),
                    ..current
                }));
            }
        }
    }

    /// Pauses `id` with `reason`; `false` if there is none or it is paused already.
    pub async fn pause(
        &self,
        id: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let update = Query::update()
            .table(WebhookSubscriptions::Table)
            .value(WebhookSubscriptions::PausedAt, instant(now))
            .value(WebhookSubscriptions::PausedReason, reason)
            .and_where(Expr::col(WebhookSubscriptions::Id).eq(id))
            .and_where(Expr::col(WebhookSubscriptions::PausedAt).is_null())
            .to_owned();
        Ok(self.store.execute(Statement::Update(update)).await? == 1)
    }

    /// Resumes `id`; `false` if there is none or it was not paused.
    pub async fn resume(&self, id: &str) -> Result<bool, StoreError> {
        let update = Query::update()
            .table(WebhookSubscriptions::Table)
            .value(WebhookSubscriptions::PausedAt, Option::<String>::None)
            .value(WebhookSubscriptions::PausedReason, Option::<String>::None)
            .and_where(Expr::col(WebhookSubscriptions::Id).eq(id))
            .and_where(Expr::col(WebhookSubscriptions::PausedAt).is_not_null())
            .to_owned();
        Ok(self.store.execute(Statement::Update(update)).await? == 1)
    }
}

/// A new `whsec_` secret: 32 random bytes, base64 (as Standard Webhooks writes them).
fn fresh_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!(
        "{SECRET_PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn advance(id: &str, from: u64, to: u64) -> Result<sea_query::UpdateStatement, StoreError> {
    Ok(Query::update()
        .table(WebhookSubscriptions::Table)
        .value(WebhookSubscriptions::Position, position(to)?)
        .and_where(Expr::col(WebhookSubscriptions::Id).eq(id))
        .and_where(Expr::col(WebhookSubscriptions::Position).eq(position(from)?))
        .and_where(Expr::col(WebhookSubscriptions::PausedAt).is_null())
        .to_owned())
}
