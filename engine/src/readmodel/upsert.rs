//! Many rows written by key in one statement.

use chrono::{DateTime, Utc};
use sea_query::{Alias, InsertStatement, OnConflict, Query, SimpleExpr, Value};

use crate::error::StoreError;

/// Rows written by key: each inserted, or replacing the row with the same key.
///
/// A statement of its own, not an [`InsertStatement`], because the cheap way to write thousands
/// of rows differs by backend. PostgreSQL takes each column as one array (`INSERT … SELECT *
/// FROM unnest(…)`): a batch is one statement with as many parameters as columns, planned
/// once — where a multi-row `VALUES` list of the same rows costs the planner several times
/// what the writing itself does. SQLite, without arrays, takes multi-row `VALUES` statements
/// ([`Upsert::as_inserts`]) under its limit on bound values.
#[derive(Debug, Clone, PartialEq)]
pub struct Upsert {
    pub table: String,
    /// The column that identifies a row (unique in the table).
    pub key: String,
    /// Every column written, each with one value per row (all of the same length).
    pub columns: Vec<UpsertColumn>,
}

/// One column of an [`Upsert`]: its name and its values, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct UpsertColumn {
    pub name: String,
    pub values: ColumnValues,
}

/// A column's values in the portable types of read models (`None`: NULL).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    Text(Vec<Option<String>>),
    Integer(Vec<Option<i64>>),
    Boolean(Vec<Option<bool>>),
    Timestamp(Vec<Option<DateTime<Utc>>>),
}

impl ColumnValues {
    pub fn len(&self) -> usize {
        match self {
            Self::Text(v) => v.len(),
            Self::Integer(v) => v.len(),
            Self::Boolean(v) => v.len(),
            Self::Timestamp(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i`'s value, typed for sea-query.
    fn value(&self, i: usize) -> Value {
        match self {
            Self::Text(v) => Value::String(v.get(i).cloned().flatten().map(Box::new)),
            Self::Integer(v) => Value::BigInt(v.get(i).copied().flatten()),
            Self::Boolean(v) => Value::Bool(v.get(i).copied().flatten()),
            Self::Timestamp(v) => {
                Value::ChronoDateTimeUtc(v.get(i).copied().flatten().map(Box::new))
            }
        }
    }
}

impl Upsert {
    /// The rows it writes, once [`Upsert::check`] has passed.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    /// Refuses an upsert that cannot be written as given: no columns, a key that is not one of
    /// them, columns of different lengths, or a key given twice (PostgreSQL would refuse to
    /// touch a row twice in one statement where SQLite would keep the last — so neither does).
    pub fn check(&self) -> Result<(), StoreError> {
        let misuse = |reason: String| {
            Err(StoreError::Misuse(format!(
                "upsert into {}: {reason}",
                self.table
            )))
        };
        if !self.columns.iter().any(|c| c.name == self.key) {
            return misuse(format!("the key {} is not among its columns", self.key));
        }
        let rows = self.rows();
        if let Some(other) = self.columns.iter().find(|c| c.values.len() != rows) {
            return misuse(format!(
                "column {} holds {} values, not {rows}",
                other.name,
                other.values.len()
            ));
        }
        let twice = match self
            .columns
            .iter()
            .find(|c| c.name == self.key)
            .map(|c| &c.values)
        {
            Some(ColumnValues::Text(keys)) => repeated(keys),
            Some(ColumnValues::Integer(keys)) => repeated(keys),
            _ => None,
        };
        if let Some(key) = twice {
            return misuse(format!("key {key} is given twice"));
        }
        Ok(())
    }

    /// The columns other than the key: what a conflicting row has replaced.
    pub fn replaced(&self) -> impl Iterator<Item = &UpsertColumn> {
        self.columns.iter().filter(|c| c.name != self.key)
    }

    /// The same rows as multi-row `INSERT … ON CONFLICT DO UPDATE` statements, each binding at
    /// most `max_values` values (at least one row each): for a backend without arrays.
    pub fn as_inserts(&self, max_values: usize) -> Result<Vec<InsertStatement>, StoreError> {
        self.check()?;
        let per_statement = (max_values / self.columns.len().max(1)).max(1);
        let mut statements = Vec::new();
        let rows = self.rows();
        let mut start = 0;
        while start < rows {
            let end = (start + per_statement).min(rows);
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new(&self.table))
                .columns(self.columns.iter().map(|c| Alias::new(&c.name)));
            for i in start..end {
                let values: Vec<SimpleExpr> = self
                    .columns
                    .iter()
                    .map(|c| SimpleExpr::Value(c.values.value(i)))
                    .collect();
                insert
                    .values(values)
                    .map_err(|e| StoreError::Misuse(format!("upsert into {}: {e}", self.table)))?;
            }
            let mut on_conflict = OnConflict::column(Alias::new(&self.key));
            if self.replaced().next().is_some() {
                on_conflict.update_columns(self.replaced().map(|c| Alias::new(&c.name)));
            } else {
                on_conflict.do_nothing();
            }
            insert.on_conflict(on_conflict.to_owned());
            statements.push(insert);
            start = end;
        }
        Ok(statements)
    }
}

/// The first value given twice, if any.
fn repeated<T: std::hash::Hash + Eq + std::fmt::Debug>(values: &[T]) -> Option<String> {
    let mut seen = std::collections::HashSet::with_capacity(values.len());
    values
        .iter()
        .find(|v| !seen.insert(*v))
        .map(|v| format!("{v:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_query::SqliteQueryBuilder;

    fn upsert(rows: usize) -> Upsert {
        Upsert {
            table: "t".into(),
            key: "k".into(),
            columns: vec![
                UpsertColumn {
                    name: "k".into(),
                    values: ColumnValues::Text((0..rows).map(|i| Some(format!("r{i}"))).collect()),
                },
                UpsertColumn {
                    name: "n".into(),
                    values: ColumnValues::Integer((0..rows).map(|i| Some(i as i64)).collect()),
                },
            ],
        }
    }

    #[test]
    fn rows_are_split_under_the_limit_on_bound_values() {
        let statements = upsert(5).as_inserts(4).expect("valid");
        assert_eq!(statements.len(), 3, "two rows of two values per statement");
        let first = statements[0].to_string(SqliteQueryBuilder);
        assert!(first.contains("('r0', 0), ('r1', 1)"), "{first}");
        assert!(
            first.contains("ON CONFLICT (\"k\") DO UPDATE SET \"n\" = \"excluded\".\"n\""),
            "{first}"
        );
        assert!(upsert(0).as_inserts(4).expect("valid").is_empty());
    }

    #[test]
    fn a_missing_key_or_ragged_columns_are_refused() {
        let mut no_key = upsert(2);
        no_key.key = "other".into();
        assert!(no_key.check().is_err());
        let mut ragged = upsert(2);
        ragged.columns[1].values = ColumnValues::Integer(vec![Some(1)]);
        let error = ragged.check().expect_err("ragged");
        assert!(
            error.to_string().contains("column n holds 1 values, not 2"),
            "{error}"
        );
        let mut twice = upsert(3);
        twice.columns[0].values =
            ColumnValues::Text(["a", "b", "a"].map(|k| Some(k.to_owned())).to_vec());
        let error = twice.check().expect_err("a key twice");
        assert!(error.to_string().contains("given twice"), "{error}");
    }
}
