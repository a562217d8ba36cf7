//! The sequencer: gives every committed event its public position in the global log.
//!
//! Writers commit concurrently and their identity values interleave, so neither the identity
//! nor the commit time can order the log without a global write lock. Instead each event row
//! records its writer's transaction id (`xid8`). A transaction whose id is below the horizon
//! `pg_snapshot_xmin(pg_current_snapshot())` has finished — committed or rolled back — and no
//! new transaction can receive an id below it. So the sequencer reads only rows below the
//! horizon, in `(transaction id, insertion order)`, after a cursor it keeps; every row it will
//! ever see there is final, and nothing can appear behind the cursor later. It assigns dense
//! positions in that order and chains each event's hash, in batches.
//!
//! Exactly one sequencer runs per database, even with several processes: each process tries
//! to take a session-level advisory lock on a dedicated connection; the holder sequences, the
//! others stand by and take over when its connection goes. The unique keys on `log.position`
//! and `log.event_ref` (one position per event) make a second writer fail loudly rather than
//! fork the log.
//!
//! The horizon spans the whole cluster: any transaction holding an xid anywhere delays it.
//! While committed rows wait above the horizon the sequencer re-polls with backoff and counts
//! the wait in [`SequencerStats`].

use crate::fault::OrStore;
use rectiflow_engine::shutdown::pause;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::postgres::PgListener;
use sqlx::{Connection, PgConnection, Row};
use tokio_util::sync::CancellationToken;

use super::{rows, PgStore, COMMIT_CHANNEL, LOG_CHANNEL};
use crate::chain::{self, GENESIS};
use rectiflow_engine::StoreError;

/// The advisory-lock key held by the active sequencer of a database.
pub(crate) const SEQUENCER_LOCK: i64 = 7_248_016_002;
/// At most one batch per this interval: batching under load costs a few ms of latency and
/// saves most of the round trips.
const PACE: Duration = Duration::from_millis(10);
const MIN_BACKOFF: Duration = Duration::from_millis(2);
const MAX_BACKOFF: Duration = Duration::from_millis(200);
/// When idle, poll this often even without a wake-up (a missed NOTIFY, a writer in a process
/// that does not notify).
const IDLE_POLL: Duration = Duration::from_millis(250);
/// Wait before retrying after losing the connection, or between tries for the lock.
const RETRY: Duration = Duration::from_millis(500);

/// Counters of the sequencer of this process, for `/metrics` and benchmarks.
#[derive(Debug, Default)]
pub struct SequencerStats {
    active: AtomicBool,
    batches: AtomicU64,
    events: AtomicU64,
    horizon_waits: AtomicU64,
    horizon_wait_micros: AtomicU64,
    pending_since_micros: AtomicU64,
    /// Why the sequencer is stuck, if it is (an event row it cannot read).
    blocked: std::sync::Mutex<Option<String>>,
}

/// Makes the sequencer's series exist from the start (at zero), so a scrape shows them before
/// the first batch.
pub(crate) fn register_metrics() {
    metrics::gauge!("rectiflow_sequencer_active").increment(0.0);
    metrics::gauge!("rectiflow_sequencer_blocked").increment(0.0);
    metrics::counter!("rectiflow_sequencer_events_total").increment(0);
    metrics::counter!("rectiflow_sequencer_batches_total").increment(0);
    metrics::counter!("rectiflow_sequencer_horizon_waits_total").increment(0);
}

impl SequencerStats {
    /// Whether this process currently holds the sequencer lock.
    pub fn is_active(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }
    pub fn batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }
    pub fn events(&self) -> u64 {
        self.events.load(Ordering::Relaxed)
    }
    /// How many times committed events had to wait for the cluster-wide horizon.
    pub fn horizon_waits(&self) -> u64 {
        self.horizon_waits.load(Ordering::Relaxed)
    }
    /// Total time spent waiting for the horizon.
    pub fn horizon_wait(&self) -> Duration {
        Duration::from_micros(self.horizon_wait_micros.load(Ordering::Relaxed))
    }
    /// Why positions are not being assigned, when an event row cannot be read: the sequencer
    /// assigns every row before it and waits there — it never skips one.
    pub fn blocked(&self) -> Option<String> {
        self.blocked.lock().ok().and_then(|b| b.clone())
    }

    fn set_blocked(&self, reason: Option<String>) {
        metrics::gauge!("rectiflow_sequencer_blocked").set(f64::from(u8::from(reason.is_some())));
        if let Ok(mut blocked) = self.blocked.lock() {
            *blocked = reason;
        }
    }

    fn set_active(&self, active: bool) {
        self.active.store(active, Ordering::Relaxed);
        metrics::gauge!("rectiflow_sequencer_active").set(f64::from(u8::from(active)));
    }

    /// How long the current horizon wait has lasted (zero when not waiting).
    pub fn current_horizon_wait(&self) -> Duration {
        Duration::from_micros(self.pending_since_micros.load(Ordering::Relaxed))
    }
}

/// Options for a connection that holds an advisory lock: named, so operators can find it in
/// `pg_stat_activity`, and with server-side keepalives, so if this host dies the server ends
/// the session — releasing the lock for a standby — within about 25 s instead of hours.
pub(crate) fn dedicated_options(store: &PgStore, name: &str) -> sqlx::postgres::PgConnectOptions {
    super::custom_plans(store.connect_options().clone())
        .application_name(name)
        .options([
            ("tcp_keepalives_idle", "10"),
            ("tcp_keepalives_interval", "5"),
            ("tcp_keepalives_count", "3"),
        ])
}

struct Cursor {
    tx_id: String,
    id: i64,
    position: u64,
    hash: [u8; 32],
}

/// Runs until `shutdown`: takes the sequencer lock when it can and sequences while it holds it.
pub(crate) async fn run(store: PgStore, shutdown: CancellationToken) {
    while !shutdown.is_cancelled() {
        match hold_lock_and_sequence(&store, &shutdown).await {
            Ok(()) => {}
            Err(error) => tracing::warn!(%error, "sequencer stopped; retrying"),
        }
        store.stats().set_active(false);
        if !pause(&shutdown, RETRY).await {
            return;
        }
    }
}

async fn hold_lock_and_sequence(
    store: &PgStore,
    shutdown: &CancellationToken,
) -> Result<(), StoreError> {
    let mut conn = PgConnection::connect_with(&dedicated_options(store, "rectiflow-sequencer"))
        .await
        .db()?;
    loop {
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(SEQUENCER_LOCK)
            .fetch_one(&mut conn)
            .await
            .db()?;
        if locked {
            break;
        }
        if !pause(shutdown, RETRY).await {
            return Ok(());
        }
    }
    store.stats().set_active(true);
    tracing::info!("this process is the sequencer");
    let result = sequence(store, &mut conn, shutdown).await;
    // Closing the connection releases the lock for a standby.
    let _ = conn.close().await;
    result
}

/// Event rows restored from another cluster (`pg_dump`, logical replication) carry that
/// cluster's transaction ids, which may lie ahead of this cluster's counter: rows from the future
/// never fall below the horizon, and a row moved behind the cursor would never be sequenced. So,
/// at each takeover, if any event row carries an id this cluster has not reached (`>= xmax`),
/// every row is rebased:
/// - every sequenced row moves to the frozen id 2 (their order is already fixed by their
///   positions);
/// - every unsequenced row of a finished transaction (below the horizon, or from the future)
///   moves to 3: after every sequenced row, before any transaction still running here. Within
///   an id rows keep their insertion order (`id`), which is each stream's version order.
///
/// A restored row that was not from the future stays where it is only if it is still running,
/// which it cannot be; so after a rebase nothing unsequenced lies behind the cursor (the
/// highest `(tx_id, id)` of any sequenced row, see [`recover_cursor`]). Without rows from the
/// future nothing is touched: this cluster's own rows lie below `xmax`.
async fn rebase_foreign_transaction_ids(conn: &mut PgConnection) -> Result<(), StoreError> {
    let mut tx = conn.begin().await.db()?;
    let foreign: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM events \
                        WHERE tx_id >= pg_snapshot_xmax(pg_current_snapshot()))",
    )
    .fetch_one(&mut *tx)
    .await
    .db()?;
    if !foreign {
        return Ok(());
    }
    let sequenced = sqlx::query(
        "UPDATE events SET tx_id = '2'::xid8 \
         WHERE tx_id <> '2'::xid8 AND id IN (SELECT event_ref FROM log)",
    )
    .execute(&mut *tx)
    .await
    .db()?
    .rows_affected();
    let unsequenced = sqlx::query(
        "UPDATE events e SET tx_id = '3'::xid8 \
         WHERE (e.tx_id < pg_snapshot_xmin(pg_current_snapshot()) \
                OR e.tx_id >= pg_snapshot_xmax(pg_current_snapshot())) \
           AND e.tx_id > '3'::xid8 \
           AND NOT EXISTS (SELECT 1 FROM log l WHERE l.event_ref = e.id)",
    )
    .execute(&mut *tx)
    .await
    .db()?
    .rows_affected();
    tx.commit().await.db()?;
    tracing::warn!(
        sequenced,
        unsequenced,
        "event rows carried transaction ids of another cluster (a restore?); rebased them"
    );
    Ok(())
}

/// Where sequencing resumes: the position and hash of the log's head, and the highest
/// `(transaction id, row id)` of any sequenced row. That pair, not the head's own row, is the
/// cursor: after a rebase the head's row may lie before other sequenced rows in commit order,
/// and reading on from it would give those rows a second position. Nothing unsequenced may
/// lie behind it (the unique key on `log.event_ref` refuses a second position regardless).
async fn recover_cursor(conn: &mut PgConnection) -> Result<Cursor, StoreError> {
    let row = sqlx::query(
        "WITH head AS (SELECT position, hash FROM log ORDER BY position DESC LIMIT 1), \
              edge AS (SELECT e.tx_id, e.id FROM events e \
                       WHERE EXISTS (SELECT 1 FROM log l WHERE l.event_ref = e.id) \
                       ORDER BY e.tx_id DESC, e.id DESC LIMIT 1) \
         SELECT edge.tx_id::text AS tx_text, edge.id, head.position, head.hash \
         FROM head, edge",
    )
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    let Some(row) = row else {
        return Ok(Cursor {
            tx_id: "0".into(),
            id: 0,
            position: 0,
            hash: GENESIS,
        });
    };
    let position = rows::to_u64(row.try_get("position").db()?, "log position")?;
    let hash: Vec<u8> = row.try_get("hash").db()?;
    Ok(Cursor {
        tx_id: row.try_get("tx_text").db()?,
        id: row.try_get("id").db()?,
        position,
        hash: chain::hash_from_bytes(&hash).ok_or_else(|| {
            StoreError::corrupt(
                format!("log position {position}"),
                "chain hash is not 32 bytes",
            )
        })?,
    })
}

async fn sequence(
    store: &PgStore,
    conn: &mut PgConnection,
    shutdown: &CancellationToken,
) -> Result<(), StoreError> {
    rebase_foreign_transaction_ids(conn).await?;
    let mut cursor = recover_cursor(conn).await?;
    store.publish_head(cursor.position);
    let batch = i64::from(store.settings().sequencer_batch.max(1));
    let mut backoff = MIN_BACKOFF;
    let mut last_batch: Option<Instant> = None;
    let mut waiting_since: Option<Instant> = None;
    let stats = store.stats();
    loop {
        if shutdown.is_cancelled() {
            return Ok(());
        }
        if let Some(at) = last_batch {
            let since = at.elapsed();
            if since < PACE {
                tokio::time::sleep(PACE - since).await;
            }
        }
        let rows = sqlx::query(
            // The text form of the id is named apart: `ORDER BY tx_id` must sort the xid8
            // column (numerically, on the index), not its text ('10' < '9').
            "SELECT tx_id::text AS tx_text, id, stream_type, stream_id, stream_version, event_id, \
                    event_type, schema_version, payload, metadata, recorded_at \
             FROM events \
             WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot()) \
               AND (tx_id, id) > ($1::text::xid8, $2) \
             ORDER BY events.tx_id, events.id LIMIT $3",
        )
        .bind(&cursor.tx_id)
        .bind(cursor.id)
        .bind(batch)
        .fetch_all(&mut *conn)
        .await
        .db()?;

        if !rows.is_empty() {
            if let Some(since) = waiting_since.take() {
                let waited = since.elapsed();
                stats
                    .horizon_wait_micros
                    .fetch_add(waited.as_micros() as u64, Ordering::Relaxed);
                stats.pending_since_micros.store(0, Ordering::Relaxed);
                metrics::histogram!("rectiflow_sequencer_horizon_wait_seconds")
                    .record(waited.as_secs_f64());
                metrics::gauge!("rectiflow_sequencer_current_horizon_wait_seconds").set(0.0);
            }
            last_batch = Some(Instant::now());
            let before = cursor.position;
            let (next, unreadable) = assign(conn, cursor, &rows).await?;
            cursor = next;
            if cursor.position > before {
                stats.batches.fetch_add(1, Ordering::Relaxed);
                stats
                    .events
                    .fetch_add(cursor.position - before, Ordering::Relaxed);
                metrics::counter!("rectiflow_sequencer_batches_total").increment(1);
                metrics::counter!("rectiflow_sequencer_events_total")
                    .increment(cursor.position - before);
                store.publish_head(cursor.position);
            }
            match unreadable {
                None => {
                    stats.set_blocked(None);
                    backoff = MIN_BACKOFF;
                }
                Some(error) => {
                    // Stop at the unreadable row and say so; an operator must repair it.
                    tracing::error!(%error, "the sequencer cannot read the next event row");
                    stats.set_blocked(Some(error.to_string()));
                    if !pause(shutdown, MAX_BACKOFF * 5).await {
                        return Ok(());
                    }
                }
            }
            continue;
        }

        // Nothing below the horizon. Are committed rows waiting above it?
        let pending: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM events WHERE (tx_id, id) > ($1::text::xid8, $2))",
        )
        .bind(&cursor.tx_id)
        .bind(cursor.id)
        .fetch_one(&mut *conn)
        .await
        .db()?;
        if pending {
            let since = *waiting_since.get_or_insert_with(|| {
                stats.horizon_waits.fetch_add(1, Ordering::Relaxed);
                metrics::counter!("rectiflow_sequencer_horizon_waits_total").increment(1);
                Instant::now()
            });
            stats
                .pending_since_micros
                .store(since.elapsed().as_micros() as u64, Ordering::Relaxed);
            metrics::gauge!("rectiflow_sequencer_current_horizon_wait_seconds")
                .set(since.elapsed().as_secs_f64());
            if !pause(shutdown, backoff).await {
                return Ok(());
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
            continue;
        }
        backoff = MIN_BACKOFF;
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            _ = store.local_commit().notified() => {}
            _ = tokio::time::sleep(IDLE_POLL) => {}
        }
    }
}

/// Assigns the next positions to `rows` (already in commit order), chains their hashes, and
/// tells consumers — all in one transaction. Stops before the first row it cannot read and
/// returns that row's error beside the new cursor.
async fn assign(
    conn: &mut PgConnection,
    cursor: Cursor,
    rows: &[sqlx::postgres::PgRow],
) -> Result<(Cursor, Option<StoreError>), StoreError> {
    let mut positions = Vec::with_capacity(rows.len());
    let mut refs = Vec::with_capacity(rows.len());
    let mut hashes = Vec::with_capacity(rows.len());
    let mut next = cursor;
    let mut unreadable = None;
    for row in rows {
        let id: i64 = row.try_get("id").db()?;
        let position = next.position + 1;
        let event = match rows::recorded_event(row) {
            Ok(event) => event,
            Err(e) => {
                unreadable = Some(StoreError::corrupt(
                    format!("event row {id} (would be position {position})"),
                    e,
                ));
                break;
            }
        };
        let hash = chain::chain_hash(&next.hash, position, &event);
        positions.push(rows::to_i64(position));
        refs.push(id);
        hashes.push(hash.to_vec());
        next = Cursor {
            tx_id: row.try_get("tx_text").db()?,
            id,
            position,
            hash,
        };
    }
    if positions.is_empty() {
        return Ok((next, unreadable));
    }
    let mut tx = conn.begin().await.db()?;
    sqlx::query(
        "INSERT INTO log (position, event_ref, hash) \
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bytea[])",
    )
    .bind(positions)
    .bind(refs)
    .bind(hashes)
    .execute(&mut *tx)
    .await
    .db()?;
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(LOG_CHANNEL)
        .bind(next.position.to_string())
        .execute(&mut *tx)
        .await
        .db()?;
    tx.commit().await.db()?;
    Ok((next, unreadable))
}

/// Learns of new positions assigned by whichever process is the sequencer, and of commits in
/// other processes (to wake this process's sequencer when it is the active one).
pub(crate) async fn listen(store: PgStore, shutdown: CancellationToken) {
    while !shutdown.is_cancelled() {
        if let Err(error) = listen_once(&store, &shutdown).await {
            tracing::warn!(%error, "log listener lost its connection; readers poll meanwhile");
        }
        if !pause(&shutdown, RETRY).await {
            return;
        }
    }
}

async fn listen_once(store: &PgStore, shutdown: &CancellationToken) -> Result<(), StoreError> {
    let mut listener = PgListener::connect_with(store.pool()).await.db()?;
    listener
        .listen_all([LOG_CHANNEL, COMMIT_CHANNEL])
        .await
        .db()?;
    loop {
        let notification = tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            n = listener.recv() => n.db()?,
        };
        if notification.channel() == LOG_CHANNEL {
            if let Ok(position) = notification.payload().parse::<u64>() {
                store.publish_head(position);
            }
        } else if store.stats().is_active() {
            store.local_commit().notify_one();
        }
    }
}

/// Tells other processes' sequencers that this process committed, when this process is not
/// the sequencer itself. Coalesced: one NOTIFY per wake-up however many commits it covers, and
/// sent after the commit, never inside a writing transaction (which would serialise every
/// commit in the cluster on the notification queue lock).
pub(crate) async fn notify_remote(store: PgStore, shutdown: CancellationToken) {
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = store.remote_commit().notified() => {}
        }
        if store.stats().is_active() {
            continue;
        }
        if let Err(error) = sqlx::query("SELECT pg_notify($1, '')")
            .bind(COMMIT_CHANNEL)
            .execute(store.pool())
            .await
        {
            tracing::debug!(%error, "could not notify other processes of a commit");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}
