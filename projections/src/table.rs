//! A read model's table, described once: the schema and the row conversions both backends use.
//!
//! Rows travel as JSON objects (serde's form of the projection's row type); the table's column
//! kinds turn them into typed values (an [`Upsert`]'s columns, sea-query values for keys) — so a
//! NULL is a typed NULL, and a timestamp a timestamp, on PostgreSQL as on SQLite.

use chrono::{DateTime, Utc};
use rectiflow_engine::readmodel::sea_query::{
    Alias, ColumnDef, DeleteStatement, Expr, Index, IndexCreateStatement, IndexDropStatement,
    Order, Query, SelectStatement, Table, TableCreateStatement, TableDropStatement,
};
use rectiflow_engine::readmodel::{ColumnValues, ReadModelStore, Row, Upsert, UpsertColumn};
use rectiflow_engine::StoreError;
use serde::de::DeserializeOwned;

/// Rows read per query by [`TableSpec::read_all`].
pub const PAGE: u64 = 5_000;

/// The portable column kinds of a read model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Integer,
    Boolean,
    /// An instant, stored as a timestamp with time zone (text on SQLite), read back as RFC 3339.
    Timestamp,
    /// A list or record held as its JSON text (`#[serde(with = "crate::json_text")]`): stored
    /// as text, and shown as the JSON it is wherever a row leaves the system
    /// ([`TableSpec::document`]).
    Json,
}

/// One column: its name (the row's field name), kind, and whether it may be NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnKind,
    pub nullable: bool,
}

impl Column {
    pub const fn required(name: &'static str, kind: ColumnKind) -> Self {
        Self {
            name,
            kind,
            nullable: false,
        }
    }

    pub const fn optional(name: &'static str, kind: ColumnKind) -> Self {
        Self {
            name,
            kind,
            nullable: true,
        }
    }
}

/// A read model's table: its name, the text key column (one row per key) and its columns.
///
/// The statements come in two forms: on [`TableSpec::name`], and `…_in` on a name given at run
/// time — the same table in its shadow form (`<name>__rebuild`) while a rebuild builds it aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSpec {
    pub name: &'static str,
    pub key: &'static str,
    pub columns: &'static [Column],
}

impl TableSpec {
    /// `CREATE TABLE IF NOT EXISTS`, the key its primary key.
    pub fn create(&self) -> TableCreateStatement {
        self.create_in(self.name)
    }

    /// [`TableSpec::create`] under the name `table_name`.
    pub fn create_in(&self, table_name: &str) -> TableCreateStatement {
        self.definition(table_name).if_not_exists().to_owned()
    }

    /// `CREATE TEMPORARY TABLE` under the table's own name: for this transaction's session
    /// alone, hiding the live table from it (see [`crate::rewind`]). Without `IF NOT EXISTS`,
    /// so a second one in one session fails rather than being silently the first.
    pub fn create_temporary(&self) -> TableCreateStatement {
        self.definition(self.name).temporary().to_owned()
    }

    fn definition(&self, table_name: &str) -> TableCreateStatement {
        let mut table = Table::create();
        table.table(Alias::new(table_name));
        for column in self.columns {
            let mut def = ColumnDef::new(Alias::new(column.name));
            match column.kind {
                ColumnKind::Text | ColumnKind::Json => def.text(),
                ColumnKind::Integer => def.big_integer(),
                ColumnKind::Boolean => def.boolean(),
                ColumnKind::Timestamp => def.timestamp_with_time_zone(),
            };
            if column.name == self.key {
                def.primary_key();
            }
            if column.nullable {
                def.null();
            } else {
                def.not_null();
            }
            table.col(&mut def);
        }
        table.to_owned()
    }

    /// `DROP TABLE IF EXISTS`: a projection's reset, before it is created afresh.
    pub fn drop_table(&self) -> TableDropStatement {
        self.drop_in(self.name)
    }

    /// [`TableSpec::drop_table`] of the table named `table`.
    pub fn drop_in(&self, table: &str) -> TableDropStatement {
        Table::drop()
            .table(Alias::new(table))
            .if_exists()
            .to_owned()
    }

    /// The row whose key is `key`.
    pub fn select(&self, key: &str) -> SelectStatement {
        self.select_in(self.name, key)
    }

    /// [`TableSpec::select`] from the table named `table`.
    pub fn select_in(&self, table: &str, key: &str) -> SelectStatement {
        Query::select()
            .columns(self.columns.iter().map(|c| Alias::new(c.name)))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new(self.key)).eq(key))
            .to_owned()
    }

    /// The name of the index on `column` of the table `table` (this spec's, or its shadow's):
    /// named for the table, so a shadow's indexes never take a live table's names.
    pub fn index_name(table: &str, column: &str) -> String {
        format!("{table}__by_{column}")
    }

    /// `CREATE INDEX IF NOT EXISTS` on `column` of `table`.
    pub fn index_in(&self, table: &str, column: &str) -> IndexCreateStatement {
        Index::create()
            .if_not_exists()
            .name(Self::index_name(table, column))
            .table(Alias::new(table))
            .col(Alias::new(column))
            .to_owned()
    }

    /// `DROP INDEX IF EXISTS` of the index on `column` once made for `table`.
    pub fn drop_index_in(&self, table: &str, column: &str) -> IndexDropStatement {
        Index::drop()
            .if_exists()
            .name(Self::index_name(table, column))
            .to_owned()
    }

    /// Up to `limit` rows in key order, after the key `after` (keyset pagination).
    pub fn select_page(&self, after: Option<&str>, limit: u64) -> SelectStatement {
        let mut select = Query::select();
        select
            .columns(self.columns.iter().map(|c| Alias::new(c.name)))
            .from(Alias::new(self.name))
            .order_by(Alias::new(self.key), Order::Asc)
            .limit(limit);
        if let Some(after) = after {
            select.and_where(Expr::col(Alias::new(self.key)).gt(after));
        }
        select.to_owned()
    }

    /// Every row of the table, read in pages of [`PAGE`] by key, each as a `T`.
    pub async fn read_all<S: ReadModelStore, T: DeserializeOwned>(
        &self,
        store: &S,
    ) -> Result<Vec<T>, StoreError> {
        let mut rows = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = store
                .fetch(self.select_page(after.as_deref(), PAGE))
                .await?;
            let complete = (page.len() as u64) < PAGE;
            for row in page {
                after = row
                    .get(self.key)
                    .and_then(|k| k.as_str())
                    .map(str::to_owned);
                let row = serde_json::from_value(serde_json::Value::Object(row))
                    .map_err(|e| self.error(format!("unexpected row: {e}")))?;
                rows.push(row);
            }
            if complete || after.is_none() {
                return Ok(rows);
            }
        }
    }

    /// The rows of the table named `table` whose keys are among `keys`.
    pub fn select_many_in(&self, table: &str, keys: &[&str]) -> SelectStatement {
        Query::select()
            .columns(self.columns.iter().map(|c| Alias::new(c.name)))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new(self.key)).is_in(keys.iter().copied()))
            .to_owned()
    }

    /// Deletes the rows of the table named `table` whose keys are among `keys`.
    pub fn delete_many_in(&self, table: &str, keys: &[&str]) -> DeleteStatement {
        Query::delete()
            .from_table(Alias::new(table))
            .and_where(Expr::col(Alias::new(self.key)).is_in(keys.iter().copied()))
            .to_owned()
    }

    /// Inserts `row`, or replaces the row with the same key.
    pub fn upsert(&self, row: &Row) -> Result<Upsert, StoreError> {
        self.upsert_in(self.name, row)
    }

    /// [`TableSpec::upsert`] into the table named `table`.
    pub fn upsert_in(&self, table: &str, row: &Row) -> Result<Upsert, StoreError> {
        self.upsert_many_in(table, std::slice::from_ref(row))
    }

    /// Inserts `rows` (with distinct keys) into the table named `table` in one statement, each
    /// replacing the row with the same key. Every field is checked against its column's kind
    /// here, so a row that does not fit is refused before anything is written.
    pub fn upsert_many_in(&self, table: &str, rows: &[Row]) -> Result<Upsert, StoreError> {
        let columns = self
            .columns
            .iter()
            .map(|column| {
                let values = match column.kind {
                    ColumnKind::Text | ColumnKind::Json => {
                        ColumnValues::Text(
                            self.typed(column, rows, |v| v.as_str().map(str::to_owned))?,
                        )
                    }
                    ColumnKind::Integer => ColumnValues::Integer(self.typed(
                        column,
                        rows,
                        serde_json::Value::as_i64,
                    )?),
                    ColumnKind::Boolean => ColumnValues::Boolean(self.typed(
                        column,
                        rows,
                        serde_json::Value::as_bool,
                    )?),
                    ColumnKind::Timestamp => {
                        ColumnValues::Timestamp(self.typed(column, rows, |v| {
                            let at = DateTime::parse_from_rfc3339(v.as_str()?).ok()?;
                            Some(at.with_timezone(&Utc))
                        })?)
                    }
                };
                Ok(UpsertColumn {
                    name: column.name.to_owned(),
                    values,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Upsert {
            table: table.to_owned(),
            key: self.key.to_owned(),
            columns,
        })
    }

    /// A row as the API and exports show it: its [`ColumnKind::Json`] fields as the JSON they
    /// hold rather than as text (a field that is not JSON text is left as it is).
    pub fn document(&self, mut row: serde_json::Value) -> serde_json::Value {
        for column in self.columns.iter().filter(|c| c.kind == ColumnKind::Json) {
            if let Some(field) = row.get_mut(column.name) {
                if let Some(parsed) = field.as_str().and_then(|t| serde_json::from_str(t).ok()) {
                    *field = parsed;
                }
            }
        }
        row
    }

    /// Deletes the row whose key is `key` from the table named `table`.
    pub fn delete_in(&self, table: &str, key: &str) -> DeleteStatement {
        Query::delete()
            .from_table(Alias::new(table))
            .and_where(Expr::col(Alias::new(self.key)).eq(key))
            .to_owned()
    }

    /// Each row's field of `column` as the column's type by `convert` (`None` from it: the
    /// field does not fit), NULL where the field is missing or null — refused if the column
    /// is required.
    fn typed<T>(
        &self,
        column: &Column,
        rows: &[Row],
        convert: impl Fn(&serde_json::Value) -> Option<T>,
    ) -> Result<Vec<Option<T>>, StoreError> {
        rows.iter()
            .map(|row| match row.get(column.name) {
                None | Some(serde_json::Value::Null) if !column.nullable => {
                    Err(self.error(format!("column {} may not be NULL", column.name)))
                }
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(field) => convert(field).map(Some).ok_or_else(|| {
                    self.error(format!("column {} cannot hold {field}", column.name))
                }),
            })
            .collect()
    }

    fn error(&self, reason: impl std::fmt::Display) -> StoreError {
        StoreError::ReadModel(format!("table {}: {reason}", self.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: TableSpec = TableSpec {
        name: "t",
        key: "k",
        columns: &[
            Column::required("k", ColumnKind::Text),
            Column::optional("due", ColumnKind::Timestamp),
            Column::required("n", ColumnKind::Integer),
        ],
    };

    fn row(value: serde_json::Value) -> Row {
        match value {
            serde_json::Value::Object(map) => map,
            _ => Row::new(),
        }
    }

    #[test]
    fn a_row_with_a_missing_required_field_is_refused() {
        let error = SPEC
            .upsert(&row(serde_json::json!({"k": "a"})))
            .expect_err("n is required");
        assert!(
            error.to_string().contains("column n may not be NULL"),
            "{error}"
        );
    }

    #[test]
    fn a_field_of_the_wrong_kind_is_refused() {
        let error = SPEC
            .upsert(&row(serde_json::json!({"k": "a", "n": "seven"})))
            .expect_err("n is an integer");
        assert!(error.to_string().contains("cannot hold"), "{error}");
        let error = SPEC
            .upsert(&row(
                serde_json::json!({"k": "a", "n": 1, "due": "tomorrow"}),
            ))
            .expect_err("due is an instant");
        assert!(error.to_string().contains("column due"), "{error}");
    }

    #[test]
    fn a_well_formed_row_makes_an_upsert() {
        SPEC.upsert(&row(
            serde_json::json!({"k": "a", "n": 1, "due": "2026-03-02T01:00:00Z"}),
        ))
        .expect("a valid row");
    }
}
