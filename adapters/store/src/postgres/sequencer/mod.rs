//! The sequencer: gives every committed event its public position in the global log.
//!
//! Writers commit concurrently and their identity values interleave, so neither the identity
//! nor the commit time can order the log without a global write lock. Instead each event row
//! records its writer's transaction id (`xid8`), and the sequencer gives positions only to rows
//! of finished transactions — committed rows are visible, rolled-back ones never are — in
//! `(transaction id, row id)` order after a cursor it keeps, in batches, chaining each event's
//! hash. A transaction still running when the cursor passed its id may yet commit rows behind
//! the cursor: it is *pending*, and its rows are looked for by id until it ends (see [`pass`]).
//! So a late commit is never skipped, and nothing else waits for it — a transaction held open
//! anywhere in the cluster delays only its own rows.
//!
//! Exactly one sequencer runs per database, even with several processes: each process tries
//! to take a session-level advisory lock on a dedicated connection; the holder sequences, the
//! others stand by and take over when its connection goes. The unique keys on `log.position`
//! and `log.event_ref` (one position per event) make a second writer fail loudly rather than
//! fork the log.
//!
//! The cursor and the pending transactions are recorded with every batch
//! (`sequencer_state`), so a sequencer taking over resumes where the last one stood, and
//! `verify` can tell a row still to be sequenced from one slipped in behind the sequencer.

use crate::fault::OrStore;
use rectiflow_engine::shutdown::pause;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::postgres::PgListener;
use sqlx::{Connection, PgConnection};
use tokio_util::sync::CancellationToken;

use super::{PgStore, COMMIT_CHANNEL, LOG_CHANNEL};
use rectiflow_engine::StoreError;

mod pass;
mod recovery;

/// The advisory-lock key held by the active sequencer of a database.
pub(crate) const SEQUENCER_LOCK: i64 = 7_248_016_002;
/// At most one batch per this interval: batching under load costs a few ms of latency and
/// saves most of the round trips.
const PACE: Duration = Duration::from_millis(10);
/// How often to look again at a row that cannot be read (an operator must repair it).
const BLOCKED_RETRY: Duration = Duration::from_secs(1);
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
    /// Transactions still running behind the cursor, whose rows are looked for by id.
    pending: AtomicU64,
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
    metrics::gauge!("rectiflow_sequencer_pending_transactions").set(0.0);
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
    /// Transactions that were running when the cursor passed their id, whose rows will take
    /// the next positions when they commit.
    pub fn pending_transactions(&self) -> u64 {
        self.pending.load(Ordering::Relaxed)
    }

    fn set_pending(&self, count: usize) {
        self.pending.store(count as u64, Ordering::Relaxed);
        metrics::gauge!("rectiflow_sequencer_pending_transactions").set(count as f64);
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

async fn sequence(
    store: &PgStore,
    conn: &mut PgConnection,
    shutdown: &CancellationToken,
) -> Result<(), StoreError> {
    recovery::rebase_foreign_transaction_ids(conn).await?;
    let (mut cursor, pending) = recovery::recover(conn).await?;
    let mut pending: BTreeSet<u64> = pending.into_iter().collect();
    store.publish_head(cursor.position);
    let batch = i64::from(store.settings().sequencer_batch.max(1));
    let mut last_batch: Option<Instant> = None;
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
        let started = Instant::now();
        let running = pass::running(conn).await?;
        let ran = started.elapsed();
        let read = pass::read(conn, &cursor, &pending, &running, batch).await?;
        let was_read = started.elapsed();
        let pending_batch_full = read.pending_rows as i64 >= batch;
        let before = cursor.position;
        let (next, still_pending, unreadable) = pass::assign(conn, cursor, &read, |next| {
            pass::still_pending(&pending, &running, next, pending_batch_full)
        })
        .await?;
        tracing::trace!(
            rows = read.rows.len(),
            pending_rows = read.pending_rows,
            pending = pending.len(),
            running_us = ran.as_micros() as u64,
            read_us = (was_read - ran).as_micros() as u64,
            assign_us = (started.elapsed() - was_read).as_micros() as u64,
            "sequencer pass"
        );
        cursor = next;
        // Recorded only with a batch; a takeover adds the transactions running then, so what a
        // pass forgets without a batch (finished transactions) it need not record.
        pending = still_pending;
        stats.set_pending(pending.len());
        if cursor.position > before {
            last_batch = Some(Instant::now());
            stats.batches.fetch_add(1, Ordering::Relaxed);
            stats
                .events
                .fetch_add(cursor.position - before, Ordering::Relaxed);
            metrics::counter!("rectiflow_sequencer_batches_total").increment(1);
            metrics::counter!("rectiflow_sequencer_events_total")
                .increment(cursor.position - before);
            store.publish_head(cursor.position);
        }
        if let Some(error) = unreadable {
            // Stop at the unreadable row and say so; an operator must repair it.
            tracing::error!(%error, "the sequencer cannot read the next event row");
            stats.set_blocked(Some(error.to_string()));
            if !pause(shutdown, BLOCKED_RETRY).await {
                return Ok(());
            }
            continue;
        }
        stats.set_blocked(None);
        if read.rows.len() as i64 >= batch {
            continue;
        }
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            _ = store.local_commit().notified() => {}
            _ = tokio::time::sleep(IDLE_POLL) => {}
        }
    }
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
