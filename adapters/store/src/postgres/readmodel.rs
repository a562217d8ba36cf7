//! Read-model statements on PostgreSQL: sea-query renders them in PostgreSQL's dialect, and
//! rows come back as JSON objects (see [`rectiflow_engine::readmodel`]).

use chrono::{DateTime, NaiveDateTime, Utc};
use futures::future::BoxFuture;
use rectiflow_engine::model::LoggedEvent;
use rectiflow_engine::readmodel::{ColumnValues, ReadModels, Row, ScratchStore, Statement, Upsert};
use rectiflow_engine::StoreError;
use sea_query::{PostgresQueryBuilder, SelectStatement};
use sea_query_binder::SqlxBinder;
use serde_json::Value;
use sqlx::postgres::PgRow;
use sqlx::{Column, PgConnection, Postgres, Row as _, Transaction, TypeInfo, ValueRef};

use super::rows::{logged_event, to_i64, LOGGED};
use super::PgStore;
use crate::fault::OrStore;

/// A consumer's transaction on PostgreSQL.
pub struct PgTx(pub(crate) Transaction<'static, Postgres>);

impl ReadModels for PgTx {
    async fn execute(&mut self, statement: Statement) -> Result<u64, StoreError> {
        execute(&mut self.0, statement).await
    }

    async fn fetch(&mut self, query: SelectStatement) -> Result<Vec<Row>, StoreError> {
        fetch(&mut self.0, query).await
    }
}

/// A scratch transaction is an ordinary one that is never committed: its temporary tables
/// vanish with its rollback.
impl ScratchStore for PgStore {
    type Scratch = PgTx;

    async fn begin_scratch(&self) -> Result<PgTx, StoreError> {
        Ok(PgTx(self.pool().begin().await.db()?))
    }

    async fn read_recorded_in(
        &self,
        scratch: &mut PgTx,
        stream_type: &str,
        recorded_by: DateTime<Utc>,
        after_position: u64,
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        let rows = sqlx::query(&format!(
            "{LOGGED} WHERE l.position > $1 AND e.stream_type = $2 AND e.recorded_at <= $3 \
             ORDER BY l.position LIMIT $4"
        ))
        .bind(to_i64(after_position))
        .bind(stream_type)
        .bind(recorded_by)
        .bind(i64::from(limit))
        .fetch_all(&mut *scratch.0)
        .await
        .db()?;
        rows.iter().map(logged_event).collect()
    }
}

/// Boxed: the sqlx executor's higher-ranked lifetimes do not survive the `Send` check of a
/// trait's returned future otherwise.
pub(crate) fn execute(
    conn: &mut PgConnection,
    statement: Statement,
) -> BoxFuture<'_, Result<u64, StoreError>> {
    Box::pin(async move {
        let (sql, values) = match statement {
            Statement::CreateTable(s) => (s.to_string(PostgresQueryBuilder), None),
            Statement::CreateIndex(s) => (s.to_string(PostgresQueryBuilder), None),
            Statement::DropIndex(s) => (s.to_string(PostgresQueryBuilder), None),
            Statement::DropTable(s) => (s.to_string(PostgresQueryBuilder), None),
            Statement::RenameTable(s) => (s.to_string(PostgresQueryBuilder), None),
            Statement::Insert(s) => with_values(s.build_sqlx(PostgresQueryBuilder)),
            Statement::Upsert(upsert) => return execute_upsert(conn, &upsert).await,
            Statement::Update(s) => with_values(s.build_sqlx(PostgresQueryBuilder)),
            Statement::Delete(s) => with_values(s.build_sqlx(PostgresQueryBuilder)),
        };
        let done = match values {
            Some(values) => sqlx::query_with(&sql, values).execute(&mut *conn).await,
            None => sqlx::query(&sql).execute(&mut *conn).await,
        };
        Ok(done.db()?.rows_affected())
    })
}

/// Writes an upsert's rows in one statement, each column bound as one array and the rows
/// made by `unnest`: as many parameters as columns, however many rows.
async fn execute_upsert(conn: &mut PgConnection, upsert: &Upsert) -> Result<u64, StoreError> {
    upsert.check()?;
    if upsert.rows() == 0 {
        return Ok(0);
    }
    let sql = upsert_sql(upsert);
    let mut query = sqlx::query(&sql);
    for column in &upsert.columns {
        query = match &column.values {
            ColumnValues::Text(v) => query.bind(v),
            ColumnValues::Integer(v) => query.bind(v),
            ColumnValues::Boolean(v) => query.bind(v),
            ColumnValues::Timestamp(v) => query.bind(v),
        };
    }
    Ok(query.execute(&mut *conn).await.db()?.rows_affected())
}

/// `INSERT INTO t (a, b) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (a) DO
/// UPDATE SET b = excluded.b`.
fn upsert_sql(upsert: &Upsert) -> String {
    let names: Vec<String> = upsert.columns.iter().map(|c| quoted(&c.name)).collect();
    let arrays: Vec<String> = upsert
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let kind = match c.values {
                ColumnValues::Text(_) => "text",
                ColumnValues::Integer(_) => "bigint",
                ColumnValues::Boolean(_) => "boolean",
                ColumnValues::Timestamp(_) => "timestamptz",
            };
            format!("${}::{kind}[]", i + 1)
        })
        .collect();
    let replaced: Vec<String> = upsert
        .replaced()
        .map(|c| format!("{0} = excluded.{0}", quoted(&c.name)))
        .collect();
    let on_conflict = if replaced.is_empty() {
        "DO NOTHING".to_owned()
    } else {
        format!("DO UPDATE SET {}", replaced.join(", "))
    };
    format!(
        "INSERT INTO {} ({}) SELECT * FROM unnest({}) ON CONFLICT ({}) {on_conflict}",
        quoted(&upsert.table),
        names.join(", "),
        arrays.join(", "),
        quoted(&upsert.key),
    )
}

/// An identifier quoted for PostgreSQL.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn with_values<V>((sql, values): (String, V)) -> (String, Option<V>) {
    (sql, Some(values))
}

pub(crate) fn fetch(
    conn: &mut PgConnection,
    query: SelectStatement,
) -> BoxFuture<'_, Result<Vec<Row>, StoreError>> {
    Box::pin(async move {
        let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
        let rows = sqlx::query_with(&sql, values)
            .fetch_all(&mut *conn)
            .await
            .db()?;
        rows.iter().map(to_json).collect()
    })
}

/// A row as JSON, by each column's type: the portable types of read models (text, integers,
/// floats, booleans, JSON, timestamps as RFC 3339, UUIDs as text, bytes as hex).
fn to_json(row: &PgRow) -> Result<Row, StoreError> {
    let mut out = Row::new();
    for column in row.columns() {
        let i = column.ordinal();
        let name = column.name();
        let location = || format!("read-model column {name}");
        let raw = row.try_get_raw(i).db()?;
        if raw.is_null() {
            out.insert(name.to_owned(), Value::Null);
            continue;
        }
        let type_name = column.type_info().name().to_owned();
        let value = match type_name.as_str() {
            "BOOL" => Value::from(row.try_get::<bool, _>(i).db()?),
            "INT2" => Value::from(row.try_get::<i16, _>(i).db()?),
            "INT4" => Value::from(row.try_get::<i32, _>(i).db()?),
            "INT8" => Value::from(row.try_get::<i64, _>(i).db()?),
            "FLOAT4" => Value::from(row.try_get::<f32, _>(i).db()?),
            "FLOAT8" => Value::from(row.try_get::<f64, _>(i).db()?),
            "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" | "CHAR" => {
                Value::from(row.try_get::<String, _>(i).db()?)
            }
            "JSON" | "JSONB" => row.try_get::<Value, _>(i).db()?,
            "TIMESTAMPTZ" => Value::from(row.try_get::<DateTime<Utc>, _>(i).db()?.to_rfc3339()),
            "TIMESTAMP" => Value::from(
                row.try_get::<NaiveDateTime, _>(i)
                    .db()?
                    .and_utc()
                    .to_rfc3339(),
            ),
            "UUID" => Value::from(row.try_get::<uuid::Uuid, _>(i).db()?.to_string()),
            "BYTEA" => Value::from(hex::encode(row.try_get::<Vec<u8>, _>(i).db()?)),
            other => {
                return Err(StoreError::corrupt(
                    location(),
                    format!("type {other} is not one a read model may use"),
                ))
            }
        };
        out.insert(name.to_owned(), value);
    }
    Ok(out)
}
