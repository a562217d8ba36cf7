//! Running a pure fold as a consumer of the log.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use rectiflow_engine::consumer::{Handler, HandlerError};
use rectiflow_engine::readmodel::sea_query::{Alias, Expr, Query};
use rectiflow_engine::readmodel::{ReadModels, Row, Statement};
use rectiflow_engine::LoggedEvent;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::table::TableSpec;

/// A read model with one row per stream of one aggregate type, computed by a pure fold of
/// that stream's events: all its logic is [`RowProjection::fold`], tested without a database.
pub trait RowProjection: Send + 'static {
    /// The consumer's name, under which its checkpoint is kept.
    const NAME: &'static str;
    /// The aggregate type whose streams it folds (the aggregate's `TYPE`).
    const STREAM_TYPE: &'static str;
    /// Where its rows live; the key is the stream id.
    const TABLE: TableSpec;
    /// The version of its fold and table, stored with its checkpoint ([`Handler::VERSION`]):
    /// bump it whenever [`RowProjection::fold`] or [`RowProjection::TABLE`] changes, and a
    /// newer node drops the table and rebuilds it from the log on start, while an older one
    /// stands down.
    const VERSION: u32 = 1;
    type Event: DeserializeOwned + Send;
    type Row: Serialize + DeserializeOwned + Send;

    /// The row after `event`, given the row before it (`None`: no row yet). Returning `None`
    /// removes the row.
    fn fold(
        row: Option<Self::Row>,
        stream_id: &str,
        event: Self::Event,
        logged: &LoggedEvent,
    ) -> Option<Self::Row>;
}

/// The consumer that keeps a [`RowProjection`]'s table: it reads each touched row once per
/// batch, folds the batch's events into it, and writes the rows back in the batch's
/// transaction — the same code on PostgreSQL and SQLite.
pub struct Projector<P>(PhantomData<fn() -> P>);

impl<P> Default for Projector<P> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<P: RowProjection> Projector<P> {
    pub fn new() -> Self {
        Self::default()
    }

    async fn load<T: ReadModels>(tx: &mut T, key: &str) -> Result<Option<P::Row>, HandlerError> {
        let Some(row) = tx.fetch(P::TABLE.select(key)).await?.into_iter().next() else {
            return Ok(None);
        };
        serde_json::from_value(serde_json::Value::Object(row))
            .map(Some)
            .map_err(|e| HandlerError(format!("row {key} of {}: {e}", P::TABLE.name)))
    }

    fn decode(logged: &LoggedEvent) -> Result<P::Event, HandlerError> {
        serde_json::from_value(logged.event.payload.clone()).map_err(|e| {
            HandlerError(format!(
                "log position {} ({} version {}): not a {} event: {e}",
                logged.position,
                logged.event.stream,
                logged.event.stream_version,
                P::STREAM_TYPE
            ))
        })
    }

    fn write(key: &str, row: Option<P::Row>) -> Result<Statement, HandlerError> {
        let table = P::TABLE;
        Ok(match row {
            Some(row) => match serde_json::to_value(row) {
                Ok(serde_json::Value::Object(fields)) => Statement::Insert(
                    table
                        .upsert(&Row::from_iter(fields))
                        .map_err(HandlerError::from)?,
                ),
                Ok(other) => {
                    return Err(HandlerError(format!(
                        "a row of {} must be an object, not {other}",
                        table.name
                    )))
                }
                Err(e) => return Err(HandlerError(e.to_string())),
            },
            None => Statement::Delete(
                Query::delete()
                    .from_table(Alias::new(table.name))
                    .and_where(Expr::col(Alias::new(table.key)).eq(key))
                    .to_owned(),
            ),
        })
    }
}

impl<P: RowProjection> Handler for Projector<P> {
    const VERSION: u32 = P::VERSION;

    /// Drops the table and creates it afresh (in its current shape), in the transaction that
    /// sets the checkpoint to 0.
    async fn reset<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        tx.execute(P::TABLE.drop_table().into()).await?;
        tx.execute(P::TABLE.create().into()).await?;
        Ok(())
    }

    async fn prepare<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        tx.execute(P::TABLE.create().into()).await?;
        Ok(())
    }

    async fn handle<T: ReadModels>(
        &mut self,
        tx: &mut T,
        batch: &[LoggedEvent],
    ) -> Result<(), HandlerError> {
        // Each touched row is read once and written once per batch, whatever the number of
        // its events in it.
        let mut rows: BTreeMap<String, Option<P::Row>> = BTreeMap::new();
        for logged in batch {
            let stream = &logged.event.stream;
            if stream.stream_type != P::STREAM_TYPE {
                continue;
            }
            let event = Self::decode(logged)?;
            let before = match rows.remove(&stream.stream_id) {
                Some(row) => row,
                None => Self::load(tx, &stream.stream_id).await?,
            };
            let after = P::fold(before, &stream.stream_id, event, logged);
            rows.insert(stream.stream_id.clone(), after);
        }
        for (key, row) in rows {
            tx.execute(Self::write(&key, row)?).await?;
        }
        Ok(())
    }
}
