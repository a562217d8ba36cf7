//! Which id a PostgreSQL commit tripped the event-id unique key on (see [`crate::event_ids`]).

use rectiflow_engine::model::Commit;
use rectiflow_engine::StoreError;
use sqlx::PgPool;
use uuid::Uuid;

use crate::event_ids::repeated_within;
use crate::fault::OrStore;

/// The name of the unique index on `events.event_id` (migration 0003).
pub(crate) const EVENT_ID_UNIQUE: &str = "events_event_id_unique";

/// The id of `commit` that is repeated within it or already stored; `None` if neither (the
/// row holding it was removed since).
pub(crate) async fn taken_id(pool: &PgPool, commit: &Commit) -> Result<Option<Uuid>, StoreError> {
    if let Some(id) = repeated_within(&commit.events) {
        return Ok(Some(id));
    }
    let ids: Vec<Uuid> = commit.events.iter().map(|e| e.event_id).collect();
    sqlx::query_scalar("SELECT event_id FROM events WHERE event_id = ANY($1) LIMIT 1")
        .bind(ids)
        .fetch_optional(pool)
        .await
        .db()
}
