//! Reading the rows of the store's own tables written through the read-model port (tokens,
//! webhook subscriptions): text columns and instants kept as RFC 3339 text, the same on both
//! backends.

use chrono::{DateTime, SecondsFormat, Utc};
use rectiflow_engine::readmodel::Row;
use rectiflow_engine::StoreError;

/// An instant as RFC 3339 text, to the microsecond.
pub(crate) fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Column `name` of `row` (a table of `table`) as text, `None` when null.
pub(crate) fn text(row: &Row, table: &str, name: &str) -> Result<Option<String>, StoreError> {
    match row.get(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(StoreError::corrupt(
            format!("{table} column {name}"),
            format!("not text: {other}"),
        )),
    }
}

/// Column `name` of `row` as an instant written by [`instant`], `None` when null.
pub(crate) fn time(
    row: &Row,
    table: &str,
    name: &str,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    text(row, table, name)?
        .map(|t| DateTime::parse_from_rfc3339(&t).map(|t| t.with_timezone(&Utc)))
        .transpose()
        .map_err(|e| StoreError::corrupt(format!("{table} column {name}"), e.to_string()))
}
