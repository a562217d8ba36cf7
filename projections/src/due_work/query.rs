//! Reading a watch: the rows due by an instant, earliest first, a page at a time — one range of
//! the `next_due_at` index, the same for every watch.

use chrono::{DateTime, Utc};
use rectiflow_engine::readmodel::sea_query::{Alias, Cond, Expr, Order, Query};
use rectiflow_engine::{ReadModelStore, StoreError};

use crate::projector::RowProjection;

/// Up to `limit` rows of `P`'s table with `next_due_at` at or before `now`, ordered by
/// `next_due_at` then key, after the row `after` (its `next_due_at` and key).
pub(super) async fn due<S: ReadModelStore, P: RowProjection>(
    store: &S,
    now: DateTime<Utc>,
    after: Option<(DateTime<Utc>, &str)>,
    limit: u32,
) -> Result<Vec<P::Row>, StoreError> {
    let table = P::TABLE;
    let col = |name: &str| Expr::col(Alias::new(name));
    let mut select = Query::select();
    select
        .columns(table.columns.iter().map(|c| Alias::new(c.name)))
        .from(Alias::new(table.name))
        .and_where(col("next_due_at").lte(now));
    if let Some((due, key)) = after {
        select.cond_where(
            Cond::any().add(col("next_due_at").gt(due)).add(
                Cond::all()
                    .add(col("next_due_at").eq(due))
                    .add(col(table.key).gt(key)),
            ),
        );
    }
    select
        .order_by(Alias::new("next_due_at"), Order::Asc)
        .order_by(Alias::new(table.key), Order::Asc)
        .limit(u64::from(limit));
    store
        .fetch(select.to_owned())
        .await?
        .into_iter()
        .map(|row| {
            serde_json::from_value(serde_json::Value::Object(row))
                .map_err(|e| StoreError::ReadModel(format!("a {} row: {e}", table.name)))
        })
        .collect()
}

/// The earliest instant after `now` in `column` of `P`'s table, if any. Every armed column is
/// asked, not only `next_due_at`: a row whose earliest fact was refused keeps that instant
/// there, and its later ones must still be found.
pub(super) async fn next_after<S: ReadModelStore, P: RowProjection>(
    store: &S,
    column: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let mut select = Query::select();
    select
        .column(Alias::new(column))
        .from(Alias::new(P::TABLE.name))
        .and_where(Expr::col(Alias::new(column)).gt(now))
        .order_by(Alias::new(column), Order::Asc)
        .limit(1);
    let rows = store.fetch(select.to_owned()).await?;
    rows.into_iter()
        .next()
        .and_then(|mut row| row.remove(column))
        .map(|value| {
            serde_json::from_value(value)
                .map_err(|e| StoreError::ReadModel(format!("a due instant: {e}")))
        })
        .transpose()
}
