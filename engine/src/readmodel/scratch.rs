//! Scratch read models: a transaction whose writes are never kept, read through like a store.
//!
//! Time travel over a register ("as of T") needs the register as it stood at a past log
//! position. Rather than a second, in-memory copy of every query the API runs, the register's
//! own projection is run again over the log up to that position into a *temporary* table of
//! the live table's name, inside a transaction that is rolled back when it is dropped. Both
//! backends resolve an unqualified table name to the session's temporary table first
//! (PostgreSQL searches `pg_temp` before any schema; SQLite searches `temp` before `main`), so
//! the very statements that read the live register read the past one — and nobody else sees
//! it, and nothing of it outlives the request.

use std::future::Future;

use chrono::{DateTime, Utc};
use sea_query::SelectStatement;
use tokio::sync::Mutex;

use super::{ReadModelStore, ReadModels, Row, Statement};
use crate::error::StoreError;
use crate::model::LoggedEvent;

/// A store that can open a scratch transaction.
pub trait ScratchStore: Send + Sync {
    /// A transaction that is rolled back when dropped. On SQLite it must not take the
    /// database's write lock: it writes temporary tables only, which live outside it.
    type Scratch: ReadModels + 'static;

    /// Opens a scratch transaction. Writes in it go to temporary tables only (the caller
    /// creates them); it is never committed.
    fn begin_scratch(&self) -> impl Future<Output = Result<Self::Scratch, StoreError>> + Send;

    /// Up to `limit` events of the log after `after_position`, in position order, of streams of
    /// `stream_type` recorded at or before `recorded_by` — read inside `scratch`, on its own
    /// connection (a rewind holds one connection, not two) and, on SQLite, its snapshot.
    fn read_recorded_in(
        &self,
        scratch: &mut Self::Scratch,
        stream_type: &str,
        recorded_by: DateTime<Utc>,
        after_position: u64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<LoggedEvent>, StoreError>> + Send;
}

/// A scratch transaction served as a read-only [`ReadModelStore`]: each query runs in it in
/// turn, so a query written for the store reads what the scratch holds. Dropping it rolls
/// back.
pub struct Scratch<T> {
    tx: Mutex<T>,
}

impl<T: ReadModels> Scratch<T> {
    pub fn new(tx: T) -> Self {
        Self { tx: Mutex::new(tx) }
    }
}

/// Read only: what it holds was written before it was handed out, and a write through it
/// would reach the live tables it does not hide (on SQLite, outside the write turn).
impl<T: ReadModels + 'static> ReadModelStore for Scratch<T> {
    async fn execute(&self, statement: Statement) -> Result<u64, StoreError> {
        let _ = statement;
        Err(StoreError::Misuse(
            "a scratch read model is read only once handed out".to_owned(),
        ))
    }

    async fn fetch(&self, query: SelectStatement) -> Result<Vec<Row>, StoreError> {
        self.tx.lock().await.fetch(query).await
    }
}
