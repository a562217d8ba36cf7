//! Running a pure fold as a consumer of the log.

use std::collections::{BTreeMap, HashSet};
use std::marker::PhantomData;

use rectiflow_engine::consumer::{Handler, HandlerError, SHADOW_SUFFIX};
use rectiflow_engine::readmodel::{ReadModels, Row, Statement};
use rectiflow_engine::LoggedEvent;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::table::TableSpec;

/// Keys read or rows deleted per statement: well inside both backends' limits on bound
/// values (SQLite's 32,766). Rows are written in one [`Statement::Upsert`] per batch, which
/// each backend splits as it must.
const CHUNK: usize = 200;

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
    /// In a shadow started afresh, the keys of every row it may have written: a key not in it
    /// has no row, so it is not read back. A superset is harmless (a read that finds nothing);
    /// `None` — the live table, or a shadow resumed from rows it did not write — reads every
    /// touched key. Across a rebuild each batch then costs its writes alone, not a read of
    /// keys that cannot be there.
    written: Option<HashSet<String>>,
    fold: PhantomData<fn() -> P>,
}

impl<P: RowProjection> Default for Projector<P> {
    fn default() -> Self {
        Self {
            table: P::TABLE.name.to_owned(),
            written: None,
            fold: PhantomData,
        }
    }
}

impl<P: RowProjection> Projector<P> {
    pub fn new() -> Self {
        Self::default()
    }

    /// A projector of the live table's name that knows it empty: what a rewind writes into a
    /// temporary table created just before ([`crate::rewind`]).
    pub(crate) fn fresh() -> Self {
        Self {
            written: Some(HashSet::new()),
            ..Self::default()
        }
    }

    /// The stored rows of `keys`, read [`CHUNK`] keys per query.
    async fn load<T: ReadModels>(
        &self,
        tx: &mut T,
        keys: &[&str],
    ) -> Result<BTreeMap<String, P::Row>, HandlerError> {
        let mut loaded = BTreeMap::new();
        for chunk in keys.chunks(CHUNK) {
            for row in tx
                .fetch(P::TABLE.select_many_in(&self.table, chunk))
                .await?
            {
                let key = row
                    .get(P::TABLE.key)
                    .and_then(|k| k.as_str())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        HandlerError(format!("a row of {} without its key", self.table))
                    })?;
                let row = serde_json::from_value(serde_json::Value::Object(row))
                    .map_err(|e| HandlerError(format!("row {key} of {}: {e}", self.table)))?;
                loaded.insert(key, row);
            }
        }
        Ok(loaded)
    }

    fn shadow_table() -> String {
        format!("{}{SHADOW_SUFFIX}", P::TABLE.name)
    }

    fn is_shadow(&self) -> bool {
        self.table == Self::shadow_table()
    }

    fn decode(logged: &LoggedEvent) -> Result<P::Event, HandlerError> {
        P::Event::deserialize(&logged.event.payload).map_err(|e| {
            HandlerError(format!(
                "log position {} ({} version {}): not a {} event: {e}",
                logged.position,
                logged.event.stream,
                logged.event.stream_version,
                P::STREAM_TYPE
            ))
        })
    }

    /// A row as its table's columns take it.
    fn as_row(&self, key: &str, row: P::Row) -> Result<Row, HandlerError> {
        match serde_json::to_value(row) {
            Ok(serde_json::Value::Object(fields)) => Ok(Row::from_iter(fields)),
            Ok(other) => Err(HandlerError(format!(
                "row {key} of {} must be an object, not {other}",
                self.table
            ))),
            Err(e) => Err(HandlerError(e.to_string())),
        }
    }
}

impl<P: RowProjection> Handler for Projector<P> {
    const VERSION: u32 = P::VERSION;

    /// Drops the table and creates it afresh (in its current shape), in the transaction that
    /// sets the checkpoint to 0. A shadow then knows its table empty (see `written`): a failed
    /// commit of this transaction ends the rebuild, and with it this shadow.
    async fn reset<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        tx.execute(P::TABLE.drop_in(&self.table).into()).await?;
        self.prepare(tx).await?;
        if self.is_shadow() {
            self.written = Some(HashSet::new());
        }
        Ok(())
    }

    /// Creates the table if missing, and the live table's indexes. A shadow is built without
    /// them — each row written in a rebuild would update every index, while building them
    /// once over the whole table is cheap — and gets them under the live names when it is
    /// swapped in (the swap runs the live handler's `prepare` in its transaction). The live
    /// table also drops any indexes a shadow of older code brought along under its names.
    async fn prepare<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        tx.execute(P::TABLE.create_in(&self.table).into()).await?;
        self.written = None;
        if self.is_shadow() {
            return Ok(());
        }
        let shadow = Self::shadow_table();
        for column in P::INDEXES {
            tx.execute(Statement::DropIndex(
                P::TABLE.drop_index_in(&shadow, column),
            ))
            .await?;
            tx.execute(P::TABLE.index_in(&self.table, column).into())
                .await?;
        }
        Ok(())
    }

    fn shadow(&self) -> Option<Self> {
        Some(Self {
            table: Self::shadow_table(),
            written: None,
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
        // its events in it — read [`CHUNK`] keys per statement, written in one upsert.
        let ours: Vec<&LoggedEvent> = batch
            .iter()
            .filter(|logged| logged.event.stream.stream_type == P::STREAM_TYPE)
            .collect();
        let mut keys: Vec<&str> = ours
            .iter()
            .map(|logged| logged.event.stream.stream_id.as_str())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let mut stored = match &self.written {
            Some(written) => {
                let maybe: Vec<&str> = keys
                    .iter()
                    .copied()
                    .filter(|key| written.contains(*key))
                    .collect();
                self.load(tx, &maybe).await?
            }
            None => self.load(tx, &keys).await?,
        };
        let mut rows: BTreeMap<String, Option<P::Row>> = BTreeMap::new();
        for logged in ours {
            let key = &logged.event.stream.stream_id;
            let event = Self::decode(logged)?;
            let before = match rows.remove(key) {
                Some(row) => row,
                None => stored.remove(key),
            };
            let after = P::fold(before, key, event, logged);
            rows.insert(key.clone(), after);
        }
        if let Some(written) = &mut self.written {
            for key in rows.keys() {
                if !written.contains(key) {
                    written.insert(key.clone());
                }
            }
        }
        let (kept, removed): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(_, r)| r.is_some());
        let kept = kept
            .into_iter()
            .filter_map(|(key, row)| row.map(|row| self.as_row(&key, row)))
            .collect::<Result<Vec<Row>, _>>()?;
        if !kept.is_empty() {
            let upsert = P::TABLE
                .upsert_many_in(&self.table, &kept)
                .map_err(HandlerError::from)?;
            tx.execute(Statement::Upsert(upsert)).await?;
        }
        let removed: Vec<&str> = removed.iter().map(|(key, _)| key.as_str()).collect();
        for chunk in removed.chunks(CHUNK) {
            tx.execute(Statement::Delete(
                P::TABLE.delete_many_in(&self.table, chunk),
            ))
            .await?;
        }
        Ok(())
    }
}
