//! Rebuilding a read model aside and swapping it in: readers never see a half-built table.
//!
//! A rebuild runs the consumer's handler in its shadow form ([`Handler::shadow`]), writing
//! tables named with [`SHADOW_SUFFIX`] under a checkpoint of their own ([`shadow_name`]), from
//! position 0 and batch by batch — each batch and the shadow checkpoint in one transaction, as
//! any consumer. Once a read finds nothing past the shadow's checkpoint, one transaction drops
//! the live tables, renames the shadow's to their names, and hands the shadow's checkpoint and
//! version to the live consumer ([`ConsumerStore::promote_checkpoint`]). All of it happens
//! under the live consumer's lease, so the live consumer writes nothing meanwhile and the
//! swapped-in model is exactly as far as its checkpoint says.
//!
//! An interrupted rebuild (a shutdown, a crash, a failing batch) leaves the live model as it
//! was and the shadow at its last committed batch; the next rebuild resumes from there if it
//! runs the same code version, and starts the shadow afresh otherwise. Written once: the
//! handler sees only [`ReadModels`], the swap is sea-query statements.

use std::time::{Duration, Instant};

use sea_query::{Alias, Table};
use tokio_util::sync::CancellationToken;

use super::runner::{apply, prepare};
use super::{ConsumerOptions, ConsumerPosition, ConsumerStore, Handler};
use crate::error::StoreError;
use crate::readmodel::ReadModels;
use crate::shutdown::pause;

/// What a shadow's tables and checkpoint are named with: `item_register__rebuild` beside
/// `item_register`, checkpoint `item-register__rebuild` beside `item-register`.
pub const SHADOW_SUFFIX: &str = "__rebuild";

/// The name of the checkpoint a rebuild of `consumer` keeps while it runs.
pub fn shadow_name(consumer: &str) -> String {
    format!("{consumer}{SHADOW_SUFFIX}")
}

/// A finished rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    pub consumer: String,
    /// The live consumer's checkpoint and version after the swap (the shadow's).
    pub position: ConsumerPosition,
    /// The shadow's checkpoint when this run started (0, or where an interrupted one stopped).
    pub resumed_from: u64,
    /// How long this run took, from taking the lease to the swap's commit.
    pub elapsed: Duration,
}

impl Rebuilt {
    /// The log positions this run applied.
    pub fn events(&self) -> u64 {
        self.position.checkpoint.saturating_sub(self.resumed_from)
    }

    /// The positions applied per second in this run.
    pub fn rate(&self) -> f64 {
        self.events() as f64 / self.elapsed.as_secs_f64().max(1e-6)
    }
}

/// How [`rebuild`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RebuildOutcome {
    /// The rebuilt model was swapped in.
    Swapped(Rebuilt),
    /// Shutdown came first: the live model is untouched; the shadow stands at `checkpoint`,
    /// where the next rebuild resumes.
    Interrupted { consumer: String, checkpoint: u64 },
}

/// Hears how a rebuild goes (a progress bar, a log). Every method defaults to nothing.
pub trait RebuildProgress: Send {
    /// Another instance runs the consumer (holds its lease): the rebuild waits for it.
    fn waiting_for_lease(&mut self, consumer: &str) {
        let _ = consumer;
    }

    /// The shadow stands at `checkpoint`, the log's head at `head`: once before the first
    /// batch, then after each.
    fn advanced(&mut self, checkpoint: u64, head: u64) {
        let _ = (checkpoint, head);
    }
}

/// Hears nothing.
impl RebuildProgress for () {}

/// Rebuilds `handler`'s read model aside and swaps it in (see the module docs): takes the
/// consumer's lease (waiting while another instance holds it), catches the shadow up with the
/// log, swaps, releases. Fails with [`StoreError::NewerCodeOwnsConsumer`] (writing nothing)
/// if newer code owns the consumer or its shadow, and with [`StoreError::Misuse`] if the
/// handler keeps no tables to rebuild aside.
pub async fn rebuild<S, H, P>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
    shutdown: &CancellationToken,
    progress: &mut P,
) -> Result<RebuildOutcome, StoreError>
where
    S: ConsumerStore,
    H: Handler + Sized,
    P: RebuildProgress,
{
    let name = options.name.as_str();
    let mut standby = None;
    let mut told = false;
    let mut lease = loop {
        if shutdown.is_cancelled() {
            return interrupted(store, name).await;
        }
        match store.try_lease(name, &mut standby).await? {
            Some(lease) => break lease,
            None => {
                if !told {
                    progress.waiting_for_lease(name);
                    told = true;
                }
                if !pause(shutdown, options.poll.max(Duration::from_secs(1))).await {
                    return interrupted(store, name).await;
                }
            }
        }
    };
    let outcome = in_shadow(store, options, handler, shutdown, &mut lease, progress).await;
    store.release(name, lease).await;
    outcome
}

/// A rebuild stopped before it took the lease: where its shadow stands.
async fn interrupted<S: ConsumerStore>(
    store: &S,
    consumer: &str,
) -> Result<RebuildOutcome, StoreError> {
    Ok(RebuildOutcome::Interrupted {
        consumer: consumer.to_owned(),
        checkpoint: store.load_checkpoint(&shadow_name(consumer)).await?,
    })
}

/// [`rebuild`] under a lease the caller holds: the runner's way when its code is newer than
/// the stored version, so the old model stays readable while the new one is built.
pub(super) async fn in_shadow<S, H, P>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
    shutdown: &CancellationToken,
    lease: &mut S::Lease,
    progress: &mut P,
) -> Result<RebuildOutcome, StoreError>
where
    S: ConsumerStore,
    H: Handler + Sized,
    P: RebuildProgress,
{
    let started = Instant::now();
    let name = options.name.as_str();
    let newer = |consumer: &str, stored: u32| StoreError::NewerCodeOwnsConsumer {
        consumer: consumer.to_owned(),
        stored,
        code: H::VERSION,
    };
    if let Some(live) = store.consumer_position(name).await? {
        if live.version > H::VERSION {
            return Err(newer(name, live.version));
        }
    }
    let mut shadow = handler.shadow().ok_or_else(|| {
        StoreError::Misuse(format!(
            "consumer {name} keeps no tables to rebuild aside (a policy is reset instead)"
        ))
    })?;
    let (live_tables, shadow_tables) = (handler.tables(), shadow.tables());
    if live_tables.len() != shadow_tables.len() {
        return Err(StoreError::Misuse(format!(
            "consumer {name}: live tables {live_tables:?} and shadow tables {shadow_tables:?} \
             do not pair up"
        )));
    }
    let shadow_options = ConsumerOptions {
        name: shadow_name(name),
        ..options.clone()
    };
    let mut checkpoint = match store.consumer_position(&shadow_options.name).await? {
        Some(stored) if stored.version > H::VERSION => {
            return Err(newer(&shadow_options.name, stored.version))
        }
        // An interrupted rebuild by this code: resume it.
        Some(stored) if stored.version == H::VERSION => {
            prepare(store, &shadow_options, &mut shadow).await?;
            stored.checkpoint
        }
        // None, or left by older code: whatever shadow tables exist are dropped and made
        // afresh with the checkpoint at 0, in one transaction.
        _ => {
            let mut tx = store.begin().await?;
            shadow
                .reset(&mut tx)
                .await
                .map_err(|e| StoreError::Handler {
                    consumer: shadow_options.name.clone(),
                    from: 0,
                    to: 0,
                    reason: format!("starting its shadow tables afresh: {e}"),
                })?;
            store
                .reset_checkpoint(&mut tx, &shadow_options.name, H::VERSION)
                .await?;
            store.commit_batch(tx).await?;
            0
        }
    };
    let resumed_from = checkpoint;
    progress.advanced(checkpoint, store.head().await?);
    loop {
        if shutdown.is_cancelled() {
            return Ok(RebuildOutcome::Interrupted {
                consumer: name.to_owned(),
                checkpoint,
            });
        }
        store.check_lease(lease).await?;
        let batch = store.read_log(checkpoint, options.batch_size).await?;
        match apply(store, &shadow_options, &mut shadow, checkpoint, batch).await? {
            Some(next) => checkpoint = next,
            // Caught up: nothing past the shadow's checkpoint, and the lease keeps the live
            // consumer from moving on meanwhile.
            None => break,
        }
        progress.advanced(checkpoint, store.head().await?);
    }
    store.check_lease(lease).await?;
    let built = ConsumerPosition {
        checkpoint,
        version: H::VERSION,
    };
    let mut tx = store.begin().await?;
    for (live, aside) in live_tables.iter().zip(&shadow_tables) {
        tx.execute(
            Table::drop()
                .table(Alias::new(live))
                .if_exists()
                .to_owned()
                .into(),
        )
        .await?;
        tx.execute(
            Table::rename()
                .table(Alias::new(aside), Alias::new(live))
                .to_owned()
                .into(),
        )
        .await?;
    }
    // The live tables as the live handler keeps them (their indexes under the live names).
    handler
        .prepare(&mut tx)
        .await
        .map_err(|e| StoreError::ReadModel(format!("preparing {name} after the swap: {e}")))?;
    store
        .promote_checkpoint(&mut tx, name, &shadow_options.name, built)
        .await?;
    store.commit_batch(tx).await?;
    Ok(RebuildOutcome::Swapped(Rebuilt {
        consumer: name.to_owned(),
        position: built,
        resumed_from,
        elapsed: started.elapsed(),
    }))
}
