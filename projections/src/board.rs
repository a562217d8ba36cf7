//! 看板 — a register's table read as a list: in key order, narrowed by equality filters, a
//! batch at a time after a key (keyset, never OFFSET). The API serves the case board, the
//! complaint and alert boards, the admonishment and accountability registers and the survey
//! rounds this way; who may see which row it decides itself, row by row, with the same scope
//! check it applies to one resource — so a batch may yield fewer rows than it read, and the
//! reader reads on from [`Batch::last_key`].

use std::collections::BTreeMap;

use rectiflow_engine::readmodel::sea_query::{Alias, Cond, Expr, Order, Query, SelectStatement};
use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_engine::StoreError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::table::TableSpec;

/// The longest filter value accepted (ids, codes and states are far shorter).
pub const MAX_FILTER_LEN: usize = 200;

/// One condition: the row's value in one of `columns` equals `value` (a unit filter looks at
/// every column naming a unit of the row: the subject and the supervising unit of a case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub columns: &'static [&'static str],
    pub value: String,
}

impl Filter {
    pub fn new(columns: &'static [&'static str], value: impl Into<String>) -> Self {
        Self {
            columns,
            value: value.into(),
        }
    }
}

/// Why a board cannot be read as asked.
#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    #[error("{column} 的筛选值为空、超过 {MAX_FILTER_LEN} 个字符或含控制字符")]
    BadFilter { column: &'static str },
    #[error("{table} has no column {column}")]
    UnknownColumn {
        table: &'static str,
        column: &'static str,
    },
    #[error("a row of {table} is unreadable: {reason}")]
    Row { table: &'static str, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One row as read: its key, the typed row, and the row as it is shown — the typed row's JSON
/// with its JSON columns unfolded ([`TableSpec::document`]), the same on both backends.
#[derive(Debug, Clone)]
pub struct BoardRow<T> {
    pub key: String,
    pub row: T,
    pub document: Value,
}

/// One batch of rows in key order.
#[derive(Debug)]
pub struct Batch<T> {
    pub rows: Vec<BoardRow<T>>,
    /// The key of the last row read (the next batch starts after it).
    pub last_key: Option<String>,
    /// The table holds no further matching row.
    pub complete: bool,
}

/// The statement reading up to `limit` rows of `spec` matching every filter, after `after`.
pub fn select(
    spec: &TableSpec,
    filters: &[Filter],
    after: Option<&str>,
    limit: u64,
) -> Result<SelectStatement, BoardError> {
    let mut select = Query::select();
    select
        .columns(spec.columns.iter().map(|c| Alias::new(c.name)))
        .from(Alias::new(spec.name))
        .order_by(Alias::new(spec.key), Order::Asc)
        .limit(limit);
    for filter in filters {
        let mut any = Cond::any();
        for column in filter.columns {
            if !spec.columns.iter().any(|c| c.name == *column) {
                return Err(BoardError::UnknownColumn {
                    table: spec.name,
                    column,
                });
            }
            let value = filter.value.as_str();
            // No id, code or state is empty or holds a control character (and PostgreSQL
            // takes no NUL in text).
            if value.is_empty()
                || value.chars().count() > MAX_FILTER_LEN
                || value.chars().any(char::is_control)
            {
                return Err(BoardError::BadFilter { column });
            }
            any = any.add(Expr::col(Alias::new(*column)).eq(filter.value.as_str()));
        }
        select.cond_where(any);
    }
    if let Some(after) = after {
        select.and_where(Expr::col(Alias::new(spec.key)).gt(after));
    }
    Ok(select.to_owned())
}

/// Up to `limit` rows of `spec` matching every filter, after the key `after`, each read as a
/// `T` and as its document.
pub async fn read_batch<S: ReadModelStore, T: DeserializeOwned + Serialize>(
    store: &S,
    spec: &TableSpec,
    filters: &[Filter],
    after: Option<&str>,
    limit: u64,
) -> Result<Batch<T>, BoardError> {
    let fetched = store.fetch(select(spec, filters, after, limit)?).await?;
    let complete = (fetched.len() as u64) < limit;
    let mut rows = Vec::with_capacity(fetched.len());
    for fields in fetched {
        let value = Value::Object(fields);
        let key = value
            .get(spec.key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| BoardError::Row {
                table: spec.name,
                reason: format!("its key {} is not text", spec.key),
            })?;
        let unreadable = |e: serde_json::Error| BoardError::Row {
            table: spec.name,
            reason: e.to_string(),
        };
        let row: T = serde_json::from_value(value).map_err(unreadable)?;
        let document = spec.document(serde_json::to_value(&row).map_err(unreadable)?);
        rows.push(BoardRow { key, row, document });
    }
    Ok(Batch {
        last_key: rows.last().map(|r| r.key.clone()),
        rows,
        complete,
    })
}

/// Keys looked up per query in [`read_keys`] (well inside both backends' bound-value limits).
const KEYS_PER_QUERY: usize = 200;

/// The rows of `spec` whose keys are among `keys`, by key (a key without a row is absent):
/// what a past register's reader checks against the register as it stands.
pub async fn read_keys<S: ReadModelStore, T: DeserializeOwned>(
    store: &S,
    spec: &TableSpec,
    keys: &[&str],
) -> Result<BTreeMap<String, T>, BoardError> {
    let mut rows = BTreeMap::new();
    for chunk in keys.chunks(KEYS_PER_QUERY) {
        for fields in store.fetch(spec.select_many_in(spec.name, chunk)).await? {
            let key = fields
                .get(spec.key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| BoardError::Row {
                    table: spec.name,
                    reason: format!("its key {} is not text", spec.key),
                })?;
            let row =
                serde_json::from_value(Value::Object(fields)).map_err(|e| BoardError::Row {
                    table: spec.name,
                    reason: e.to_string(),
                })?;
            rows.insert(key, row);
        }
    }
    Ok(rows)
}
