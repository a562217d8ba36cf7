//! Running a pure fold as a consumer of the log.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use rectiflow_engine::consumer::{Handler, HandlerError, SHADOW_SUFFIX};
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
    /// newer node rebuilds the table from the log on start — aside, swapped in once caught up,
    /// so readers keep the old rows meanwhile — while an older one stands down.
    const VERSION: u32 = 1;
    /// Columns readers filter on, each given an index (named for the table, re-created under
    /// the live names when a rebuilt table is swapped in).
    const INDEXES: &'static [&'static str] = &[];
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
///
/// It writes the table [`RowProjection::TABLE`] names, or — as its [`Handler::shadow`], while
/// a rebuild builds the model aside — that name with [`SHADOW_SUFFIX`].
pub struct Projector<P> {
    /// The table it writes: the live one, or the shadow.
    table: String,
    fold: PhantomData<fn() -> P>,
}

impl<P: RowProjection> Default for Projector<P> {
    fn default() -> Self {
        Self {
            table: P::TABLE.name.to_owned(),
            fold: PhantomData,
        }
    }
}

impl<P: RowProjection> Projector<P> {
    pub fn new() -> Self {
        Self::default()
    }

    async fn load<T: ReadModels>(
        &self,
        tx: &mut T,
        key: &str,
    ) -> Result<Option<P::Row>, HandlerError> {
        let query = P::TABLE.select_in(&self.table, key);
        let Some(row) = tx.fetch(query).await?.into_iter().next() else {
            return Ok(None);
        };
        serde_json::from_value(serde_json::Value::Object(row))
            .map(Some)
            .map_err(|e| HandlerError(format!("row {key} of {}: {e}", self.table)))
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

    fn write(&self, key: &str, row: Option<P::Row>) -> Result<Statement, HandlerError> {
        Ok(match row {
            Some(row) => match serde_json::to_value(row) {
                Ok(serde_json::Value::Object(fields)) => Statement::Insert(
                    P::TABLE
                        .upsert_in(&self.table, &Row::from_iter(fields))
                        .map_err(HandlerError::from)?,
                ),
                Ok(other) => {
                    return Err(HandlerError(format!(
                        "a row of {} must be an object, not {other}",
                        self.table
                    )))
                }
                Err(e) => return Err(HandlerError(e.to_string())),
            },
            None => Statement::Delete(P::TABLE.delete_in(&self.table, key)),
        })
    }
}

impl<P: RowProjection> Handler for Projector<P> {
    const VERSION: u32 = P::VERSION;

    /// Drops the table and creates it afresh (in its current shape), in the transaction that
    /// sets the checkpoint to 0.
    async fn reset<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        tx.execute(P::TABLE.drop_in(&self.table).into()).await?;
        self.prepare(tx).await
    }

    /// Creates the table and its indexes if missing. On the live table it also drops the
    /// indexes a rebuilt table brought along under its shadow's names, so that after a swap
    /// (which runs this in its transaction) the live table is indexed under the live names,
    /// and the next rebuild's shadow can take its own.
    async fn prepare<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        tx.execute(P::TABLE.create_in(&self.table).into()).await?;
        let shadow = format!("{}{SHADOW_SUFFIX}", P::TABLE.name);
        for column in P::INDEXES {
            if self.table != shadow {
                tx.execute(Statement::DropIndex(
                    P::TABLE.drop_index_in(&shadow, column),
                ))
                .await?;
            }
            tx.execute(P::TABLE.index_in(&self.table, column).into())
                .await?;
        }
        Ok(())
    }

    fn shadow(&self) -> Option<Self> {
        Some(Self {
            table: format!("{}{SHADOW_SUFFIX}", P::TABLE.name),
            fold: PhantomData,
        })
    }

    fn tables(&self) -> Vec<String> {
        vec![self.table.clone()]
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
                None => self.load(tx, &stream.stream_id).await?,
            };
            let after = P::fold(before, &stream.stream_id, event, logged);
            rows.insert(stream.stream_id.clone(), after);
        }
        for (key, row) in rows {
            tx.execute(self.write(&key, row)?).await?;
        }
        Ok(())
    }
}
