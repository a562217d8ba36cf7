//! Reading PostgreSQL rows into the store's types, and building the multi-row insert.

use crate::chain::{self, EventContent};
use crate::fault::OrStore;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{Postgres, Row};

use rectiflow_engine::model::{Commit, IdempotencyRecord, LoggedEvent, RecordedEvent, StreamRef};
use rectiflow_engine::StoreError;

pub(crate) use crate::counts::{to_i64, to_u64, to_u64_or_zero};

pub(crate) fn recorded_event(row: &PgRow) -> Result<RecordedEvent, StoreError> {
    Ok(RecordedEvent {
        stream: StreamRef {
            stream_type: row.try_get("stream_type").db()?,
            stream_id: row.try_get("stream_id").db()?,
        },
        stream_version: to_u64(row.try_get("stream_version").db()?, "stream_version")?,
        event_id: row.try_get("event_id").db()?,
        event_type: row.try_get("event_type").db()?,
        schema_version: row.try_get("schema_version").db()?,
        payload: row.try_get("payload").db()?,
        metadata: row.try_get("metadata").db()?,
        recorded_at: row.try_get("recorded_at").db()?,
    })
}

/// The content hash the sequencer chains for an event row (chain v3): the one its writer
/// stored, or — for a row written outside the executor, which has none — the one computed from
/// its fields, which must then decode. The row needs `content_hash` and, where that is NULL,
/// the columns of [`recorded_event`]; the sequencer and `/healthz` both read rows this way, so
/// they agree on which row blocks the log.
pub(crate) fn sequenced_content(row: &PgRow) -> Result<[u8; 32], StoreError> {
    let stored: Option<Vec<u8>> = row.try_get("content_hash").db()?;
    match stored {
        Some(bytes) => chain::hash_from_bytes(&bytes).ok_or_else(|| {
            StoreError::corrupt("content_hash", format!("{} bytes, not 32", bytes.len()))
        }),
        None => Ok(chain::content_hash(&recorded_event(row)?)),
    }
}

/// The columns [`sequenced_content`] reads, for a `SELECT` over `events e`: the payload and
/// metadata only where the writer stored no content hash, so the sequencer's reads stay small.
pub(crate) const SEQUENCED_COLUMNS: &str = "e.content_hash, e.stream_type, e.stream_id, \
     e.stream_version, e.event_id, e.event_type, e.schema_version, \
     CASE WHEN e.content_hash IS NULL THEN e.payload END AS payload, \
     CASE WHEN e.content_hash IS NULL THEN e.metadata END AS metadata, e.recorded_at";

/// Names the stream and version of a row that failed to decode.
pub(crate) fn located(stream: &StreamRef, row: &PgRow, error: StoreError) -> StoreError {
    let version = row
        .try_get::<i64, _>("stream_version")
        .map_or_else(|_| "?".to_owned(), |v| v.to_string());
    StoreError::corrupt(format!("{stream} version {version}"), error)
}

/// An event row of a known stream (the stream columns are not selected).
pub(crate) fn stream_event(stream: &StreamRef, row: &PgRow) -> Result<RecordedEvent, StoreError> {
    Ok(RecordedEvent {
        stream: stream.clone(),
        stream_version: to_u64(row.try_get("stream_version").db()?, "stream_version")?,
        event_id: row.try_get("event_id").db()?,
        event_type: row.try_get("event_type").db()?,
        schema_version: row.try_get("schema_version").db()?,
        payload: row.try_get("payload").db()?,
        metadata: row.try_get("metadata").db()?,
        recorded_at: row.try_get("recorded_at").db()?,
    })
}

/// The log's events with their positions and hashes, as [`logged_event`] reads them: a
/// statement's start, its `WHERE` to follow.
pub(crate) const LOGGED: &str =
    "SELECT l.position, l.hash, e.stream_type, e.stream_id, e.stream_version, e.event_id, \
            e.event_type, e.schema_version, e.payload, e.metadata, e.recorded_at \
     FROM log l JOIN events e ON e.id = l.event_ref";

pub(crate) fn logged_event(row: &PgRow) -> Result<LoggedEvent, StoreError> {
    let position = to_u64(row.try_get("position").db()?, "log position")?;
    let hash: Vec<u8> = row.try_get("hash").db()?;
    let event = recorded_event(row)
        .map_err(|e| StoreError::corrupt(format!("log position {position}"), e))?;
    Ok(LoggedEvent {
        position,
        hash: hex::encode(hash),
        event,
    })
}

pub(crate) fn idempotency_record(row: &PgRow) -> Result<IdempotencyRecord, StoreError> {
    let actor: String = row.try_get("actor").db()?;
    let key: String = row.try_get("key").db()?;
    let decode = || -> Result<IdempotencyRecord, StoreError> {
        Ok(IdempotencyRecord {
            command_hash: row.try_get("command_hash").db()?,
            stream: StreamRef {
                stream_type: row.try_get("stream_type").db()?,
                stream_id: row.try_get("stream_id").db()?,
            },
            from_version: to_u64(row.try_get("from_version").db()?, "from_version")?,
            to_version: to_u64(row.try_get("to_version").db()?, "to_version")?,
            created_at: row.try_get("created_at").db()?,
            refusal: crate::refusal::refusal_code(
                row.try_get("refusal_code").db()?,
                "refusal_code",
            )?,
            actor: actor.clone(),
            key: key.clone(),
        })
    };
    decode().map_err(|e| StoreError::corrupt(format!("idempotency record {actor}/{key}"), e))
}

/// The idempotency record of `(actor, key)` as [`super::PgStore`]'s one-round-trip load packs
/// it: its fields in a JSON object (`payload`), its `to_version` and `created_at` in the event
/// columns. A field missing or of the wrong type is a corrupt record, never an empty one.
pub(crate) fn packed_idempotency_record(
    row: &PgRow,
    actor: &str,
    key: &str,
) -> Result<IdempotencyRecord, StoreError> {
    let decode = || -> Result<IdempotencyRecord, StoreError> {
        let fields: serde_json::Value = row.try_get("payload").db()?;
        let text = |name: &str| {
            fields[name]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| StoreError::corrupt(name, "missing or not text"))
        };
        let from_version = fields["from_version"]
            .as_i64()
            .ok_or_else(|| StoreError::corrupt("from_version", "missing or not an integer"))?;
        let refusal = match &fields["refusal_code"] {
            serde_json::Value::Null => None,
            serde_json::Value::String(code) => Some(code.clone()),
            _ => return Err(StoreError::corrupt("refusal_code", "not text")),
        };
        Ok(IdempotencyRecord {
            actor: actor.to_owned(),
            key: key.to_owned(),
            command_hash: text("command_hash")?,
            stream: StreamRef::new(text("stream_type")?, text("stream_id")?),
            from_version: to_u64(from_version, "from_version")?,
            to_version: to_u64(row.try_get("stream_version").db()?, "to_version")?,
            created_at: row.try_get("recorded_at").db()?,
            refusal: crate::refusal::refusal_code(refusal, "refusal_code")?,
        })
    };
    decode().map_err(|e| StoreError::corrupt(format!("idempotency record {actor}/{key}"), e))
}

// The commit statement is assembled from these parts, in four variants: a part a commit does
// not need (no key, no snapshot) is left out rather than switched off by a NULL parameter, as
// each part costs PostgreSQL plan nodes to set up on every execution — about a fifth of its
// time in a profile of 1-event commands. Data-modifying CTEs run to completion whether or not
// the final SELECT reads them, so it reads only the head. Every variant takes the same
// parameters ($1–$21); those of a missing part are sent and unused.
macro_rules! commit_events {
    () => {
        "WITH head AS ( \
             SELECT coalesce(max(stream_version), 0) AS v FROM events \
             WHERE stream_type = $1 AND stream_id = $2), \
         ev AS ( \
             INSERT INTO events (stream_type, stream_id, stream_version, event_id, event_type, \
                                 schema_version, payload, metadata, recorded_at, content_hash) \
             SELECT $1, $2, v, e, t, s, p::jsonb, m::jsonb, r, c \
             FROM UNNEST($3::bigint[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], \
                         $9::timestamptz[], $21::bytea[]) AS u(v, e, t, s, p, m, r, c) \
             WHERE (SELECT v FROM head) = $18) "
    };
}
macro_rules! commit_key {
    () => {
        ", idem AS ( \
             INSERT INTO idempotency (actor, key, command_hash, stream_type, stream_id, \
                                      from_version, to_version, created_at, refusal_code) \
             SELECT $10, $11, $12, $1, $2, $13, $14, $15, $19 \
             WHERE (SELECT v FROM head) = $18) "
    };
}
macro_rules! commit_snapshot {
    () => {
        ", snap AS ( \
             INSERT INTO snapshots (stream_type, stream_id, version, state, fold_version) \
             SELECT $1, $2, $16, $17::jsonb, $20 \
             WHERE (SELECT v FROM head) = $18 \
             ON CONFLICT (stream_type, stream_id) DO UPDATE \
             SET version = excluded.version, state = excluded.state, taken_at = now(), \
                 fold_version = excluded.fold_version \
             WHERE snapshots.version < excluded.version \
                OR snapshots.fold_version <> excluded.fold_version) "
    };
}
macro_rules! commit_head {
    () => {
        "SELECT v AS head FROM head"
    };
}
const COMMIT: &str = concat!(commit_events!(), commit_head!());
const COMMIT_KEYED: &str = concat!(commit_events!(), commit_key!(), commit_head!());
const COMMIT_SNAPSHOT: &str = concat!(commit_events!(), commit_snapshot!(), commit_head!());
const COMMIT_KEYED_SNAPSHOT: &str = concat!(
    commit_events!(),
    commit_key!(),
    commit_snapshot!(),
    commit_head!()
);

/// The whole commit as ONE statement, guarded by the stream's head: nothing is written unless
/// the stream is at the expected version (a later version would leave a hole; an earlier one is
/// caught by the unique key). The statement returns the head it saw.
///
/// The whole commit as ONE statement — the events (arrays unnested into rows, in order, so their
/// identity values follow their stream versions), the idempotency record and the snapshot, as
/// data-modifying CTEs. A single statement is atomic on its own, so a commit costs one round trip
/// and no explicit transaction; a unique violation in any part aborts all of it.
pub(crate) fn commit_statement(commit: &Commit) -> Query<'static, Postgres, PgArguments> {
    let n = commit.events.len();
    let mut versions = Vec::with_capacity(n);
    let mut ids = Vec::with_capacity(n);
    let mut types = Vec::with_capacity(n);
    let mut schemas = Vec::with_capacity(n);
    let mut payloads = Vec::with_capacity(n);
    let mut metadata = Vec::with_capacity(n);
    let mut recorded = Vec::with_capacity(n);
    let mut contents = Vec::with_capacity(n);
    for (i, event) in commit.events.iter().enumerate() {
        let version = commit.expected_version + 1 + i as u64;
        contents
            .push(chain::content_hash(EventContent::new(&commit.stream, version, event)).to_vec());
        versions.push(to_i64(version));
        ids.push(event.event_id);
        types.push(event.event_type.clone());
        schemas.push(event.schema_version.clone());
        payloads.push(event.payload.to_string());
        metadata.push(event.metadata.to_string());
        recorded.push(event.recorded_at);
    }
    let idempotency = commit.idempotency.as_ref();
    let snapshot = commit.snapshot.as_ref();
    let statement = match (idempotency.is_some(), snapshot.is_some()) {
        (false, false) => COMMIT,
        (true, false) => COMMIT_KEYED,
        (false, true) => COMMIT_SNAPSHOT,
        (true, true) => COMMIT_KEYED_SNAPSHOT,
    };
    sqlx::query(statement)
        .bind(commit.stream.stream_type.clone())
        .bind(commit.stream.stream_id.clone())
        .bind(versions)
        .bind(ids)
        .bind(types)
        .bind(schemas)
        .bind(payloads)
        .bind(metadata)
        .bind(recorded)
        .bind(idempotency.map(|r| r.actor.clone()))
        .bind(idempotency.map(|r| r.key.clone()))
        .bind(idempotency.map(|r| r.command_hash.clone()))
        .bind(idempotency.map(|r| to_i64(r.from_version)))
        .bind(idempotency.map(|r| to_i64(r.to_version)))
        .bind(idempotency.map(|r| r.created_at))
        .bind(snapshot.map(|s| to_i64(s.version)))
        .bind(snapshot.map(|s| s.state.to_string()))
        .bind(to_i64(commit.expected_version))
        .bind(idempotency.and_then(|r| r.refusal.clone()))
        .bind(snapshot.map(|s| i64::from(s.fold_version)))
        .bind(contents)
}
