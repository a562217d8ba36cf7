//! Read-model statements on SQLite: sea-query renders them in SQLite's dialect, and rows come
//! back as the same JSON PostgreSQL gives (see [`rectiflow_engine::readmodel`]).

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use rectiflow_engine::model::LoggedEvent;
use rectiflow_engine::readmodel::{ReadModels, Row, ScratchStore, Statement};
use rectiflow_engine::StoreError;
use sea_query::{SelectStatement, SqliteQueryBuilder};
use sea_query_binder::SqlxBinder;
use serde_json::Value;
use sqlx::sqlite::SqliteRow;
use sqlx::{
    Column, Connection, Row as _, Sqlite, SqliteConnection, Transaction, TypeInfo, ValueRef,
};

use super::store::to_i64;
use super::streams::{logged, EVENT_COLUMNS};
use super::writer::WriteTurn;
use super::SqliteStore;
use crate::fault::OrStore;

/// A consumer's transaction on SQLite (`BEGIN IMMEDIATE`), holding this process's write turn
/// until it ends (the transaction is declared first, so it ends first).
pub struct SqliteTx {
    pub(crate) tx: Transaction<'static, Sqlite>,
    pub(crate) _turn: WriteTurn,
}

impl ReadModels for SqliteTx {
    async fn execute(&mut self, statement: Statement) -> Result<u64, StoreError> {
        execute(&mut self.tx, statement).await
    }

    async fn fetch(&mut self, query: SelectStatement) -> Result<Vec<Row>, StoreError> {
        fetch(&mut self.tx, query).await
    }
}

/// A scratch transaction on SQLite (deferred, without the write turn): it writes temporary
/// tables only, and is rolled back when dropped.
pub struct SqliteScratch {
    pub(crate) tx: Transaction<'static, Sqlite>,
}

impl ReadModels for SqliteScratch {
    async fn execute(&mut self, statement: Statement) -> Result<u64, StoreError> {
        execute(&mut self.tx, statement).await
    }

    async fn fetch(&mut self, query: SelectStatement) -> Result<Vec<Row>, StoreError> {
        fetch(&mut self.tx, query).await
    }
}

/// A scratch transaction is a deferred one without the write turn: it reads the database and
/// writes temporary tables alone, which live in the connection's own `temp` database, so it
/// never takes the database's write lock and never waits for a writer, nor makes one wait. It
/// does hold a read snapshot while it lasts, which a WAL checkpoint cannot pass: a rewind is
/// one request long.
impl ScratchStore for SqliteStore {
    type Scratch = SqliteScratch;

    async fn begin_scratch(&self) -> Result<SqliteScratch, StoreError> {
        let mut tx = self.pool().begin().await.db()?;
        refresh_schema(&mut tx).await?;
        Ok(SqliteScratch { tx })
    }

    async fn read_recorded_in(
        &self,
        scratch: &mut SqliteScratch,
        stream_type: &str,
        recorded_by: DateTime<Utc>,
        after_position: u64,
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS}, hash FROM events \
             WHERE position > ? AND stream_type = ? AND recorded_at <= ? \
             ORDER BY position LIMIT ?"
        ))
        .bind(to_i64(after_position))
        .bind(stream_type)
        .bind(recorded_by.timestamp_micros())
        .bind(i64::from(limit))
        .fetch_all(&mut *scratch.tx)
        .await
        .db()?;
        rows.iter().map(logged).collect()
    }
}

/// Boxed: the sqlx executor's higher-ranked lifetimes do not survive the `Send` check of a
/// trait's returned future otherwise.
pub(crate) fn execute(
    conn: &mut SqliteConnection,
    statement: Statement,
) -> BoxFuture<'_, Result<u64, StoreError>> {
    Box::pin(async move {
        let (sql, values) = match statement {
            Statement::CreateTable(s) => (s.to_string(SqliteQueryBuilder), None),
            Statement::CreateIndex(s) => (s.to_string(SqliteQueryBuilder), None),
            Statement::DropIndex(s) => (s.to_string(SqliteQueryBuilder), None),
            Statement::DropTable(s) => (s.to_string(SqliteQueryBuilder), None),
            Statement::RenameTable(s) => (s.to_string(SqliteQueryBuilder), None),
            Statement::Insert(s) => with_values(s.build_sqlx(SqliteQueryBuilder)),
            Statement::Upsert(upsert) => {
                let mut written = 0;
                for insert in upsert.as_inserts(MAX_BOUND_VALUES)? {
                    let (sql, values) = insert.build_sqlx(SqliteQueryBuilder);
                    written += sqlx::query_with(&sql, values)
                        .execute(&mut *conn)
                        .await
                        .db()?
                        .rows_affected();
                }
                return Ok(written);
            }
            Statement::Update(s) => with_values(s.build_sqlx(SqliteQueryBuilder)),
            Statement::Delete(s) => with_values(s.build_sqlx(SqliteQueryBuilder)),
        };
        let done = match values {
            Some(values) => sqlx::query_with(&sql, values).execute(&mut *conn).await,
            None => sqlx::query(&sql).execute(&mut *conn).await,
        };
        Ok(done.db()?.rows_affected())
    })
}

/// Values bound per statement, well inside SQLite's limit (32,766 since 3.32).
const MAX_BOUND_VALUES: usize = 8_000;

fn with_values<V>((sql, values): (String, V)) -> (String, Option<V>) {
    (sql, Some(values))
}

pub(crate) fn fetch(
    conn: &mut SqliteConnection,
    query: SelectStatement,
) -> BoxFuture<'_, Result<Vec<Row>, StoreError>> {
    Box::pin(async move {
        let (sql, values) = query.build_sqlx(SqliteQueryBuilder);
        let rows = sqlx::query_with(&sql, values)
            .fetch_all(&mut *conn)
            .await
            .db()?;
        rows.iter().map(to_json).collect()
    })
}

/// Brings the connection's copy of the schema up to date, before anything is prepared on it.
///
/// SQLite prepares a statement against the schema the connection last read, and notices a
/// change made by another connection only when the statement runs — when it prepares it again,
/// silently. sqlx takes the result's column names at the first prepare, so a read prepared on a
/// connection that had not seen a table rebuilt with a new column (a version bump, a rebuild
/// swapped in) got that column's values under the name `"column"`, quotes included: SQLite
/// reads an unknown double-quoted name as a string literal, named after its text. Reading
/// `sqlite_schema` checks the schema's cookie and reloads it when it changed.
pub(crate) fn refresh_schema(conn: &mut SqliteConnection) -> BoxFuture<'_, Result<(), StoreError>> {
    Box::pin(async move {
        sqlx::query("SELECT 1 FROM sqlite_schema LIMIT 1")
            .fetch_optional(&mut *conn)
            .await
            .db()?;
        Ok(())
    })
}

/// [`fetch`] on a connection of the pool, outside any consumer's transaction: in a read
/// transaction of its own, whose schema is brought up to date ([`refresh_schema`]) first and
/// cannot change until the query has run.
pub(crate) fn fetch_current(
    conn: &mut SqliteConnection,
    query: SelectStatement,
) -> BoxFuture<'_, Result<Vec<Row>, StoreError>> {
    Box::pin(async move {
        let mut tx = conn.begin().await.db()?;
        refresh_schema(&mut tx).await?;
        let rows = fetch(&mut tx, query).await?;
        tx.commit().await.db()?;
        Ok(rows)
    })
}

/// A row as JSON. SQLite stores few types, so the column's declared type decides booleans and
/// JSON (sea-query declares them `boolean` and `json_text`); everything else follows the
/// value's storage class. Timestamps are stored as RFC 3339 text already.
fn to_json(row: &SqliteRow) -> Result<Row, StoreError> {
    let mut out = Row::new();
    for column in row.columns() {
        let i = column.ordinal();
        let name = column.name();
        let raw = row.try_get_raw(i).db()?;
        if raw.is_null() {
            out.insert(name.to_owned(), Value::Null);
            continue;
        }
        let declared = column.type_info().name().to_ascii_uppercase();
        let stored = raw.type_info().name().to_ascii_uppercase();
        let value = if declared.contains("BOOL") {
            Value::from(row.try_get::<i64, _>(i).db()? != 0)
        } else if declared.contains("JSON") {
            let text: String = row.try_get(i).db()?;
            serde_json::from_str(&text).map_err(|e| {
                StoreError::corrupt(
                    format!("read-model column {name}"),
                    format!("not JSON: {e}"),
                )
            })?
        } else {
            match stored.as_str() {
                "INTEGER" => Value::from(row.try_get::<i64, _>(i).db()?),
                "REAL" => Value::from(row.try_get::<f64, _>(i).db()?),
                "BLOB" => Value::from(hex::encode(row.try_get::<Vec<u8>, _>(i).db()?)),
                _ => Value::from(row.try_get::<String, _>(i).db()?),
            }
        };
        out.insert(name.to_owned(), value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use sea_query::{Alias, Query};
    use sqlx::sqlite::SqliteConnectOptions;

    use super::*;

    fn both_columns() -> SelectStatement {
        Query::select()
            .columns([Alias::new("a"), Alias::new("b")])
            .from(Alias::new("t"))
            .to_owned()
    }

    /// A connection that last saw `t` without column `b` reads it, after another connection
    /// rebuilt `t` with `b`, under its own name.
    #[tokio::test]
    async fn a_read_after_another_connection_changed_the_table_sees_its_columns() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("schema.db"))
            .create_if_missing(true);
        let mut writer = SqliteConnection::connect_with(&options)
            .await
            .expect("a connection");
        let mut reader = SqliteConnection::connect_with(&options)
            .await
            .expect("another connection");
        sqlx::raw_sql("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);")
            .execute(&mut writer)
            .await
            .expect("the first table");
        let query = Query::select()
            .column(Alias::new("a"))
            .from(Alias::new("t"))
            .to_owned();
        fetch_current(&mut reader, query)
            .await
            .expect("the reader reads the first table");
        sqlx::raw_sql(
            "DROP TABLE t; CREATE TABLE t (a INTEGER, b INTEGER); INSERT INTO t VALUES (1, 2);",
        )
        .execute(&mut writer)
        .await
        .expect("the table rebuilt with a new column");
        let rows = fetch_current(&mut reader, both_columns())
            .await
            .expect("the reader reads the new table");
        assert_eq!(
            rows,
            vec![Row::from_iter([
                ("a".to_owned(), Value::from(1)),
                ("b".to_owned(), Value::from(2)),
            ])]
        );
    }
}
