//! Which id a SQLite commit tripped the event-id unique key on (see [`crate::event_ids`]).

use rectiflow_engine::model::Commit;
use rectiflow_engine::StoreError;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use uuid::Uuid;

use crate::event_ids::repeated_within;
use crate::fault::OrStore;

/// The id of `commit` that is repeated within it or already stored, read in the commit's own
/// transaction (`conn`: SQLite undoes only the failed statement, not the transaction).
pub(crate) async fn taken_id(
    conn: &mut SqliteConnection,
    commit: &Commit,
) -> Result<Option<Uuid>, StoreError> {
    if let Some(id) = repeated_within(&commit.events) {
        return Ok(Some(id));
    }
    // SQLite binds at most 32,766 parameters per statement.
    for events in commit.events.chunks(10_000) {
        let mut query: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT event_id FROM events WHERE event_id IN (");
        let mut ids = query.separated(", ");
        for event in events {
            ids.push_bind(event.event_id.to_string());
        }
        query.push(") LIMIT 1");
        let taken: Option<String> = query
            .build_query_scalar()
            .fetch_optional(&mut *conn)
            .await
            .db()?;
        if let Some(taken) = taken {
            let id = Uuid::parse_str(&taken)
                .map_err(|e| StoreError::corrupt(format!("stored event id {taken:?}"), e))?;
            return Ok(Some(id));
        }
    }
    Ok(None)
}
