//! Dead letters: deliveries given up on after their last try, parked while the subscription
//! moves on, until redelivered or removed with it.

use rectiflow_engine::consumer::ConsumerStore;
use rectiflow_engine::readmodel::{ReadModelStore, ReadModels, Row, Statement};
use rectiflow_engine::StoreError;
use sea_query::{Expr, OnConflict, Order, Query, SelectStatement};
use uuid::Uuid;

use super::rows::{instant, number, position, text, time};
use super::{advance, DeadLetter, WebhookBook, WebhookDeadLetters};

impl<S: ReadModelStore + ConsumerStore> WebhookBook<S> {
    /// Parks the delivery at `letter.position` as a dead letter and moves past it, in one
    /// transaction, unless the position moved from `from` meanwhile (then `false`, nothing
    /// parked). A letter already parked at that position (redelivered and failed again) is
    /// replaced.
    pub async fn park(&self, from: u64, letter: &DeadLetter) -> Result<bool, StoreError> {
        let mut tx = self.store.begin().await?;
        let moved = advance(&letter.subscription, from, letter.position)?;
        if tx.execute(Statement::Update(moved)).await? != 1 {
            return Ok(false);
        }
        tx.execute(Statement::Insert(park(letter)?)).await?;
        self.store.commit_batch(tx).await?;
        Ok(true)
    }

    /// `id`'s dead letters, oldest position first.
    pub async fn dead_letters(&self, id: &str) -> Result<Vec<DeadLetter>, StoreError> {
        let select = letters()
            .and_where(Expr::col(WebhookDeadLetters::Subscription).eq(id))
            .order_by(WebhookDeadLetters::Position, Order::Asc)
            .to_owned();
        self.store
            .fetch(select)
            .await?
            .iter()
            .map(read_letter)
            .collect()
    }

    /// `id`'s dead letter at `at`.
    pub async fn dead_letter(&self, id: &str, at: u64) -> Result<Option<DeadLetter>, StoreError> {
        let select = letters()
            .and_where(Expr::col(WebhookDeadLetters::Subscription).eq(id))
            .and_where(Expr::col(WebhookDeadLetters::Position).eq(position(at)?))
            .to_owned();
        self.store
            .fetch(select)
            .await?
            .first()
            .map(read_letter)
            .transpose()
    }

    /// Removes `id`'s dead letter at `at` (redelivered); `false` if there was none.
    pub async fn remove_dead_letter(&self, id: &str, at: u64) -> Result<bool, StoreError> {
        let delete = Query::delete()
            .from_table(WebhookDeadLetters::Table)
            .and_where(Expr::col(WebhookDeadLetters::Subscription).eq(id))
            .and_where(Expr::col(WebhookDeadLetters::Position).eq(position(at)?))
            .to_owned();
        Ok(self.store.execute(Statement::Delete(delete)).await? == 1)
    }

    /// Records another failed attempt at `letter` (a redelivery that failed again).
    pub async fn record_attempt(&self, letter: &DeadLetter) -> Result<(), StoreError> {
        self.store.execute(Statement::Insert(park(letter)?)).await?;
        Ok(())
    }
}

/// The insert of `letter`, replacing one parked at its position.
fn park(letter: &DeadLetter) -> Result<sea_query::InsertStatement, StoreError> {
    Ok(Query::insert()
        .into_table(WebhookDeadLetters::Table)
        .columns([
            WebhookDeadLetters::Subscription,
            WebhookDeadLetters::Position,
            WebhookDeadLetters::EventId,
            WebhookDeadLetters::Attempts,
            WebhookDeadLetters::LastError,
            WebhookDeadLetters::ParkedAt,
        ])
        .values([
            letter.subscription.clone().into(),
            position(letter.position)?.into(),
            letter.event_id.to_string().into(),
            i64::from(letter.attempts).into(),
            letter.last_error.clone().into(),
            instant(letter.parked_at).into(),
        ])
        .map_err(|e| StoreError::ReadModel(e.to_string()))?
        .on_conflict(
            OnConflict::columns([
                WebhookDeadLetters::Subscription,
                WebhookDeadLetters::Position,
            ])
            .update_columns([
                WebhookDeadLetters::Attempts,
                WebhookDeadLetters::LastError,
                WebhookDeadLetters::ParkedAt,
            ])
            .to_owned(),
        )
        .to_owned())
}

fn letters() -> SelectStatement {
    Query::select()
        .columns([
            WebhookDeadLetters::Subscription,
            WebhookDeadLetters::Position,
            WebhookDeadLetters::EventId,
            WebhookDeadLetters::Attempts,
            WebhookDeadLetters::LastError,
            WebhookDeadLetters::ParkedAt,
        ])
        .from(WebhookDeadLetters::Table)
        .to_owned()
}

fn read_letter(row: &Row) -> Result<DeadLetter, StoreError> {
    let subscription = text(row, "subscription")?.unwrap_or_default();
    let corrupt =
        |what: String| StoreError::corrupt(format!("dead letter of {subscription}"), what);
    let event_id = text(row, "event_id")?.unwrap_or_default();
    Ok(DeadLetter {
        position: number(row, "position")?,
        event_id: Uuid::parse_str(&event_id).map_err(|e| corrupt(format!("event id: {e}")))?,
        attempts: u32::try_from(number(row, "attempts")?)
            .map_err(|e| corrupt(format!("attempts: {e}")))?,
        last_error: text(row, "last_error")?.unwrap_or_default(),
        parked_at: time(row, "parked_at")?.ok_or_else(|| corrupt("no instant".into()))?,
        subscription,
    })
}
