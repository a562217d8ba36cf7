//! Read-model statements on SQLite: sea-query renders them in SQLite's dialect, and rows come
//! back as the same JSON PostgreSQL gives (see [`rectiflow_engine::readmodel`]).

use futures::future::BoxFuture;
use rectiflow_engine::readmodel::{ReadModels, Row, Statement};
use rectiflow_engine::StoreError;
use sea_query::{SelectStatement, SqliteQueryBuilder};
use sea_query_binder::SqlxBinder;
use serde_json::Value;
use sqlx::sqlite::SqliteRow;
use sqlx::{Column, Row as _, Sqlite, SqliteConnection, Transaction, TypeInfo, ValueRef};

use super::writer::WriteTurn;
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
            Statement::DropTable(s) => (s.to_string(SqliteQueryBuilder), None),
            Statement::RenameTable(s) => (s.to_string(SqliteQueryBuilder), None),
            Statement::Insert(s) => with_values(s.build_sqlx(SqliteQueryBuilder)),
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
