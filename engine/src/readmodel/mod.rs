//! Read models written once for both backends.
//!
//! A projection or policy keeps its state in tables of the store's own database, written in
//! the same transaction that moves its checkpoint — so a crash can never apply a batch twice
//! or lose one. It describes those writes with [sea-query](sea_query) statements, which each
//! backend renders in its own dialect (PostgreSQL or SQLite) and runs; no read-model SQL is
//! written per backend, and the crates holding projections never name a database driver.
//!
//! Rows come back as JSON objects keyed by column name, so a projection reads them with serde
//! into its own types. Portable column types: text, big integers, booleans, JSON and
//! timestamps (`DateTime<Utc>`); each backend reads them back as the same JSON.

use std::future::Future;

use sea_query::{
    DeleteStatement, IndexCreateStatement, IndexDropStatement, InsertStatement, SelectStatement,
    TableCreateStatement, TableDropStatement, TableRenameStatement, UpdateStatement,
};
use serde::de::DeserializeOwned;

use crate::error::StoreError;

mod scratch;
mod upsert;

pub use scratch::{Scratch, ScratchStore};
pub use sea_query;
pub use upsert::{ColumnValues, Upsert, UpsertColumn};

/// A write to a read model: schema or rows.
#[derive(Debug, Clone)]
pub enum Statement {
    CreateTable(TableCreateStatement),
    CreateIndex(IndexCreateStatement),
    /// Drops an index by name: a rebuilt table's indexes are re-created under the live
    /// names once it is swapped in (see [`crate::consumer::Handler::prepare`]).
    DropIndex(IndexDropStatement),
    /// Drops a table: for a handler's reset, before it rebuilds from position 0.
    DropTable(TableDropStatement),
    /// Renames a table: a rebuilt shadow table taking the live one's name, in the transaction
    /// that drops the live one (see [`crate::consumer::rebuild`]). Boxed: it is the largest
    /// statement by far, and a rare one.
    RenameTable(Box<TableRenameStatement>),
    Insert(InsertStatement),
    /// Many rows written by key in one statement, each backend its own way (see [`Upsert`]).
    Upsert(Upsert),
    Update(UpdateStatement),
    Delete(DeleteStatement),
}

macro_rules! statement_from {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        $(impl From<$ty> for Statement {
            fn from(statement: $ty) -> Self {
                Self::$variant(statement)
            }
        })*
    };
}

statement_from!(
    CreateTable(TableCreateStatement),
    CreateIndex(IndexCreateStatement),
    DropIndex(IndexDropStatement),
    DropTable(TableDropStatement),
    Insert(InsertStatement),
    Upsert(Upsert),
    Update(UpdateStatement),
    Delete(DeleteStatement),
);

impl From<TableRenameStatement> for Statement {
    fn from(statement: TableRenameStatement) -> Self {
        Self::RenameTable(Box::new(statement))
    }
}

/// One row of a query's result: column name → value.
pub type Row = serde_json::Map<String, serde_json::Value>;

/// The read-model side of a consumer's transaction: what a handler may do inside it. Each
/// backend's transaction implements it; nothing a handler does here is visible to others, or
/// kept, unless the checkpoint moves with it.
pub trait ReadModels: Send {
    /// Runs one write; returns the number of rows it touched.
    fn execute(
        &mut self,
        statement: Statement,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Runs one query; each row as a JSON object keyed by column name.
    fn fetch(
        &mut self,
        query: SelectStatement,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send;
}

/// A store whose read models can be read, and written, outside a consumer's transaction: the
/// API reads projections through it; each statement runs on its own (autocommit).
pub trait ReadModelStore: Send + Sync {
    /// Runs one write on its own; returns the number of rows it touched.
    fn execute(&self, statement: Statement)
        -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Runs one query; each row as a JSON object keyed by column name.
    fn fetch(
        &self,
        query: SelectStatement,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send;
}

/// Typed reads on top of [`ReadModels::fetch`].
pub trait ReadModelsExt: ReadModels {
    /// Runs `query` and reads each row as a `T`.
    fn fetch_as<T: DeserializeOwned>(
        &mut self,
        query: SelectStatement,
    ) -> impl Future<Output = Result<Vec<T>, StoreError>> + Send {
        async move {
            self.fetch(query)
                .await?
                .into_iter()
                .map(|row| {
                    serde_json::from_value(serde_json::Value::Object(row))
                        .map_err(|e| StoreError::ReadModel(format!("unexpected row: {e}")))
                })
                .collect()
        }
    }
}

impl<T: ReadModels + ?Sized> ReadModelsExt for T {}
