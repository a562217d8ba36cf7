//! The loop every consumer runs: take the lease, follow the log from the checkpoint, apply each
//! batch and move the checkpoint in one transaction, wait for the next wake-up.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::Instrument as _;

use super::rebuild::{in_shadow, RebuildOutcome};
use super::{ConsumerOptions, ConsumerStore, Handler};
use crate::error::StoreError;
use crate::model::LoggedEvent;
use crate::shutdown::{pause, Backoff};

const MIN_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// How [`run`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// `shutdown` was cancelled.
    Shutdown,
    /// The consumer's checkpoint was written by newer code ([`Handler::VERSION`] below the
    /// stored version): this instance wrote nothing and stood down, leaving the consumer to
    /// the newer nodes of a rolling upgrade.
    StoodDown {
        consumer: String,
        stored: u32,
        code: u32,
    },
}

/// Runs `handler` over the log until `shutdown` is cancelled, and returns only then — or when
/// it must stand down for newer code ([`RunOutcome::StoodDown`]): passing faults (a restart
/// of the database, a lost lease, a failing handler) are logged and retried with backoff, and
/// an event is never skipped — so there is no error to return. A consumer stuck on one batch
/// shows in its logs and in its checkpoint not moving.
///
/// Each time it takes the lease it compares the stored version with [`Handler::VERSION`]:
/// older → the consumer is rebuilt from the start of the log — aside and swapped in (see
/// [`super::rebuild`]) if the handler has a [`Handler::shadow`], so readers keep the old model
/// meanwhile; otherwise its handler is reset and the checkpoint set to 0 in one transaction;
/// newer → it stands down.
pub async fn run<S, H>(
    store: S,
    options: ConsumerOptions,
    mut handler: H,
    shutdown: CancellationToken,
) -> RunOutcome
where
    S: ConsumerStore,
    H: Handler,
{
    let name = options.name.as_str();
    let mut backoff = Backoff::new(MIN_BACKOFF, MAX_BACKOFF);
    // Kept across tries while another instance holds the lease (see `try_lease`).
    let mut standby = None;
    while !shutdown.is_cancelled() {
        let mut lease = match store.try_lease(name, &mut standby).await {
            Ok(Some(lease)) => lease,
            Ok(None) => {
                // Another instance runs this consumer: stand by.
                if !pause(&shutdown, options.poll.max(Duration::from_secs(1))).await {
                    return RunOutcome::Shutdown;
                }
                continue;
            }
            Err(error) => {
                tracing::warn!(consumer = name, %error, "cannot take the consumer's lease; retrying");
                if !backoff.pause(&shutdown).await {
                    return RunOutcome::Shutdown;
                }
                continue;
            }
        };
        backoff.reset();
        let result = follow(
            &store,
            &options,
            &mut handler,
            &shutdown,
            &mut lease,
            Until::Shutdown,
            &mut false,
        )
        .await;
        store.release(name, lease).await;
        match result {
            Ok(_) => return RunOutcome::Shutdown,
            Err(StoreError::NewerCodeOwnsConsumer {
                consumer,
                stored,
                code,
            }) => {
                tracing::error!(
                    consumer = name,
                    stored_version = stored,
                    code_version = code,
                    "the consumer's checkpoint was written by newer code; standing down"
                );
                return RunOutcome::StoodDown {
                    consumer,
                    stored,
                    code,
                };
            }
            Err(error) => {
                tracing::warn!(consumer = name, %error, "consumer lost its footing; starting over");
                if !backoff.pause(&shutdown).await {
                    return RunOutcome::Shutdown;
                }
            }
        }
    }
    RunOutcome::Shutdown
}

/// Brings `handler` up to the log's head once, under its lease, and returns its checkpoint
/// there — with the same version check, rebuild and transactions as [`run`], but no waiting:
/// it returns as soon as a read finds nothing new, and a failure is returned, not retried.
/// What a driver stepping time by hand calls (the rehearsal, tests), where every consumer must
/// have applied everything before the clock moves on. Another instance holding the lease is a
/// [`StoreError::Misuse`]: the one stepping must be the only one running the consumer.
pub async fn catch_up<S, H>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
) -> Result<u64, StoreError>
where
    S: ConsumerStore,
    H: Handler,
{
    step(store, options, handler, &mut false).await
}

/// [`catch_up`] for a handler stepped again and again (the driver's): `prepared` remembers
/// that its tables were made, so a later step does not make them again — on SQLite a table
/// or index statement is a write, and a driver steps every consumer at every instant.
pub async fn step<S, H>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
    prepared: &mut bool,
) -> Result<u64, StoreError>
where
    S: ConsumerStore,
    H: Handler,
{
    let name = options.name.as_str();
    let mut standby = None;
    let Some(mut lease) = store.try_lease(name, &mut standby).await? else {
        return Err(StoreError::Misuse(format!(
            "another instance runs the consumer {name}: it cannot be stepped by hand"
        )));
    };
    let never = CancellationToken::new();
    let until = Until::Head;
    let result = follow(store, options, handler, &never, &mut lease, until, prepared).await;
    store.release(name, lease).await;
    result
}

/// When [`follow`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Until {
    /// On shutdown; passing faults are retried.
    Shutdown,
    /// As soon as it has applied the head; a fault is returned.
    Head,
}

/// Follows the log while the lease holds; returns the checkpoint on shutdown (or, `Until::Head`,
/// once at the head), `Err` when the lease or the checkpoint can no longer be trusted (the
/// caller starts over).
async fn follow<S, H>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
    shutdown: &CancellationToken,
    lease: &mut S::Lease,
    until: Until,
    prepared: &mut bool,
) -> Result<u64, StoreError>
where
    S: ConsumerStore,
    H: Handler,
{
    let name = options.name.as_str();
    // Before anything is written: the version check (an older handler writes nothing).
    match store.consumer_position(name).await? {
        Some(stored) if stored.version > H::VERSION => {
            return Err(StoreError::NewerCodeOwnsConsumer {
                consumer: name.to_owned(),
                stored: stored.version,
                code: H::VERSION,
            })
        }
        Some(stored) if stored.version < H::VERSION => {
            tracing::info!(
                consumer = name,
                stored_version = stored.version,
                code_version = H::VERSION,
                checkpoint = stored.checkpoint,
                "the consumer's code is newer than its checkpoint; rebuilding it from the log"
            );
            *prepared = false;
            if handler.shadow().is_some() {
                let outcome = in_shadow(store, options, handler, shutdown, lease, &mut ()).await?;
                if let RebuildOutcome::Interrupted { .. } = outcome {
                    return Ok(0);
                }
            } else {
                reset(store, options, handler).await?;
            }
        }
        Some(_) => {}
        // Never committed: its checkpoint (0, under this version) is recorded with its tables
        // created, so whoever reads the lags knows it has started — a fresh store's readiness
        // waits for every projection's tables rather than for nothing.
        None => match start(store, options, handler).await {
            // Another instance (whose lease this one took over since) started it first, under
            // this very version: prepared below like any consumer that has started.
            Err(StoreError::NewerCodeOwnsConsumer { stored, code, .. }) if stored == code => {}
            started => {
                started?;
                *prepared = true;
            }
        },
    }
    if !*prepared {
        prepare(store, options, handler).await?;
        *prepared = true;
    }
    let mut head = store.watch_head();
    let mut checkpoint = store.load_checkpoint(name).await?;
    let mut backoff = Backoff::new(MIN_BACKOFF, MAX_BACKOFF);
    // The next page, read while the current one is applied (catching up is then bounded by
    // the slower of reading and applying, not their sum).
    let mut read_ahead: Option<ReadAhead> = None;
    loop {
        if shutdown.is_cancelled() {
            return Ok(checkpoint);
        }
        // Mark the current head as seen before reading, so a position assigned during the read
        // still wakes us.
        head.borrow_and_update();
        store.check_lease(lease).await?;
        let batch = match read_ahead.take() {
            Some(ahead) if ahead.after == checkpoint => ahead.batch.await.unwrap_or_else(|e| {
                Err(StoreError::corrupt(
                    format!("log after {checkpoint}"),
                    format!("read-ahead failed: {e}"),
                ))
            }),
            _ => store.read_log(checkpoint, options.batch_size).await,
        };
        let step = match batch {
            Ok(batch) => {
                if batch.len() == options.batch_size as usize {
                    if let Some(last) = batch.last().map(|e| e.position) {
                        let reader = store.clone();
                        let size = options.batch_size;
                        read_ahead = Some(ReadAhead {
                            after: last,
                            batch: tokio::spawn(async move { reader.read_log(last, size).await }),
                        });
                    }
                }
                apply(store, options, handler, checkpoint, batch).await
            }
            Err(error) => Err(error),
        };
        match step {
            Ok(Some(next)) => {
                checkpoint = next;
                backoff.reset();
            }
            Ok(None) if until == Until::Head => return Ok(checkpoint),
            Ok(None) => {
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(checkpoint),
                    _ = head.changed() => {}
                    _ = tokio::time::sleep(options.poll) => {}
                }
            }
            Err(error) if until == Until::Head => return Err(error),
            Err(error) => {
                // A consumer outlives passing faults (a dropped connection, a busy pool, a
                // handler's error): nothing was committed, so it retries the same batch. It
                // never skips: a gap or a corrupt row keeps it here, loudly, until fixed.
                tracing::error!(consumer = name, after = checkpoint, %error,
                    "consumer failed; retrying the batch");
                if !backoff.pause(shutdown).await {
                    return Ok(checkpoint);
                }
                match store.consumer_position(name).await {
                    // Another version took the consumer over (a newer node reset it): start
                    // over, so the version check decides.
                    Ok(Some(stored)) if stored.version != H::VERSION => return Err(error),
                    Ok(stored) => checkpoint = stored.map_or(0, |s| s.checkpoint),
                    Err(_) => {}
                }
            }
        }
    }
}

/// Lets the handler create what it keeps, in a transaction of its own.
pub(super) async fn prepare<S: ConsumerStore, H: Handler>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
) -> Result<(), StoreError> {
    let tx = prepared(store, options, handler).await?;
    store.commit_batch(tx).await
}

/// [`prepare`] for a handler that never committed, with its checkpoint 0 recorded under its
/// version in the same transaction: from then on it is known to have started.
async fn start<S: ConsumerStore, H: Handler>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
) -> Result<(), StoreError> {
    let mut tx = prepared(store, options, handler).await?;
    store
        .reset_checkpoint(&mut tx, &options.name, H::VERSION)
        .await?;
    store.commit_batch(tx).await
}

/// A transaction in which the handler has created what it keeps.
async fn prepared<S: ConsumerStore, H: Handler>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
) -> Result<S::Tx, StoreError> {
    let mut tx = store.begin().await?;
    handler
        .prepare(&mut tx)
        .await
        .map_err(|e| StoreError::Handler {
            consumer: options.name.clone(),
            from: 0,
            to: 0,
            reason: format!("preparing its read model: {e}"),
        })?;
    Ok(tx)
}

/// Resets the handler (its tables dropped and recreated) and its checkpoint to 0 under the
/// handler's version, in one transaction.
async fn reset<S: ConsumerStore, H: Handler>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    handler
        .reset(&mut tx)
        .await
        .map_err(|e| StoreError::Handler {
            consumer: options.name.clone(),
            from: 0,
            to: 0,
            reason: format!("resetting its read model for version {}: {e}", H::VERSION),
        })?;
    store
        .reset_checkpoint(&mut tx, &options.name, H::VERSION)
        .await?;
    store.commit_batch(tx).await
}

/// A page of the log being read in the background.
struct ReadAhead {
    after: u64,
    batch: tokio::task::JoinHandle<Result<Vec<LoggedEvent>, StoreError>>,
}

/// Applies `batch` (the events after `checkpoint`); returns the new checkpoint, or `None` when
/// the batch is empty.
pub(super) async fn apply<S, H>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
    checkpoint: u64,
    batch: Vec<LoggedEvent>,
) -> Result<Option<u64>, StoreError>
where
    S: ConsumerStore,
    H: Handler,
{
    let Some(last) = batch.last().map(|e| e.position) else {
        return Ok(None);
    };
    check_dense(checkpoint, &batch)?;
    let failed = |e: super::HandlerError| StoreError::Handler {
        consumer: options.name.clone(),
        from: checkpoint + 1,
        to: last,
        reason: e.to_string(),
    };
    // In the trace of the request behind the batch's first event (see `crate::trace`), so a
    // trace shows every consumer a command set moving, and a policy's commands continue it.
    let span = tracing::error_span!(
        "consume",
        consumer = %options.name,
        from = checkpoint + 1,
        to = last,
        trace_id = tracing::field::Empty,
    );
    crate::trace::join(&span, &batch);
    async {
        handler.react(&batch).await.map_err(failed)?;
        let mut tx = store.begin().await?;
        handler.handle(&mut tx, &batch).await.map_err(failed)?;
        store
            .save_checkpoint(&mut tx, &options.name, checkpoint, last, H::VERSION)
            .await?;
        store.commit_batch(tx).await?;
        Ok(Some(last))
    }
    .instrument(span)
    .await
}

/// Checks that `batch` holds the positions right after `checkpoint`, without a gap: the log is
/// dense, so anything else is corruption, and skipping it would lose events.
pub(super) fn check_dense(checkpoint: u64, batch: &[LoggedEvent]) -> Result<(), StoreError> {
    for (i, event) in batch.iter().enumerate() {
        let expected = checkpoint + 1 + i as u64;
        if event.position != expected {
            return Err(StoreError::corrupt(
                format!("log position {expected}"),
                format!(
                    "missing: the next event in the log is at {}",
                    event.position
                ),
            ));
        }
    }
    Ok(())
}
