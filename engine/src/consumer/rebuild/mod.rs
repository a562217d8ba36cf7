//! Rebuilding read models aside and swapping them in: readers never see a half-built table.
//!
//! A rebuild runs each consumer's handler in its shadow form ([`Handler::shadow`]), writing
//! tables named with [`SHADOW_SUFFIX`] under a checkpoint of their own ([`shadow_name`]), from
//! position 0 and batch by batch — each batch and the shadow's checkpoint in one transaction, as
//! any consumer. Once a read finds nothing past the shadows' checkpoints, one transaction drops
//! the live tables, renames the shadows' to their names, and hands each shadow's checkpoint and
//! version to its live consumer ([`ConsumerStore::promote_checkpoint`]). All of it happens
//! under the live consumers' leases, so they write nothing meanwhile and each swapped-in model
//! is exactly as far as its checkpoint says.
//!
//! Consumers rebuilt together ([`Rebuild`]) share one pass over the log: each page is read
//! once and handed to every shadow (a consumer that resumed further on gets only the events
//! past its own checkpoint), so rebuilding every projection costs one read of the log, not one
//! per projection — and the rebuilt models are swapped in at the same position, together.
//!
//! An interrupted rebuild (a shutdown, a crash, a failing batch) leaves the live models as they
//! were and each shadow at its last committed batch; the next rebuild resumes from there if it
//! runs the same code version, and starts that shadow afresh otherwise. Written once: the
//! handlers see only [`ReadModels`], the swap is sea-query statements.
//!
//! [`ReadModels`]: crate::readmodel::ReadModels

mod aside;
mod pass;

use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::{ConsumerOptions, ConsumerPosition, ConsumerStore, Handler};
use crate::error::StoreError;
use crate::shutdown::pause;
use aside::{Aside, Member};

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
    /// How long this run took, from holding the leases to the swap's commit.
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

    /// The rebuild stands at `checkpoint` (every shadow at or past it), the log's head at
    /// `head`: once before the first batch, then after each.
    fn advanced(&mut self, checkpoint: u64, head: u64) {
        let _ = (checkpoint, head);
    }
}

/// Hears nothing.
impl RebuildProgress for () {}

/// Consumers rebuilt together, in one pass over the log (see the module docs).
pub struct Rebuild<'h, S: ConsumerStore> {
    members: Vec<Box<dyn Member<S> + 'h>>,
    batch_size: u32,
}

impl<S: ConsumerStore> Default for Rebuild<'_, S> {
    fn default() -> Self {
        Self {
            members: Vec::new(),
            batch_size: ConsumerOptions::DEFAULT_REBUILD_BATCH_SIZE,
        }
    }
}

impl<'h, S: ConsumerStore> Rebuild<'h, S> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Events read and applied per transaction. A rebuild writes each touched row once per
    /// batch, so larger batches write less; the default is
    /// [`ConsumerOptions::DEFAULT_REBUILD_BATCH_SIZE`].
    pub fn batch_size(mut self, events: u32) -> Self {
        self.batch_size = events.max(1);
        self
    }

    /// Adds the consumer named `name`: `handler` is its live form, whose [`Handler::shadow`]
    /// is built. (Batch sizes are the rebuild's, [`Rebuild::batch_size`].)
    pub fn consumer<H: Handler + 'h>(mut self, name: impl Into<String>, handler: H) -> Self {
        self.members.push(Box::new(Aside::<H, H>::new(
            ConsumerOptions::new(name),
            handler,
        )));
        self
    }

    /// Adds a consumer whose live handler the caller keeps (a runner's).
    fn borrowing<H: Handler + 'h>(mut self, options: ConsumerOptions, handler: &'h mut H) -> Self {
        self.members
            .push(Box::new(Aside::<H, &'h mut H>::new(options, handler)));
        self
    }

    /// The consumers' names, in the order added.
    pub fn names(&self) -> Vec<&str> {
        self.members.iter().map(|m| m.name()).collect()
    }

    /// Takes every consumer's lease in the order of their names (waiting while another
    /// instance holds one; the same order everywhere, so two rebuilds never wait on each
    /// other), builds every shadow in one pass over the log, swaps them all in in one
    /// transaction (which also builds their indexes), releases the leases. The live consumers
    /// write nothing while their leases are held. One outcome per consumer, in the order
    /// added: all swapped, or all interrupted (shutdown came first). Fails with
    /// [`StoreError::NewerCodeOwnsConsumer`] (swapping nothing) if newer code owns a consumer
    /// or its shadow, and with [`StoreError::Misuse`] if a handler keeps no tables to rebuild
    /// aside or a consumer is named twice.
    pub async fn run<P: RebuildProgress>(
        mut self,
        store: &S,
        shutdown: &CancellationToken,
        progress: &mut P,
    ) -> Result<Vec<RebuildOutcome>, StoreError> {
        // Names apart from the members (held across waits, a member need not be `Sync`);
        // leases taken in name order, kept by member index.
        let names: Vec<String> = self.members.iter().map(|m| m.name().to_owned()).collect();
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_by(|&a, &b| names[a].cmp(&names[b]));
        if let Some(twice) = order.windows(2).find(|w| names[w[0]] == names[w[1]]) {
            return Err(StoreError::Misuse(format!(
                "consumer {} is rebuilt twice in one rebuild",
                names[twice[0]]
            )));
        }
        let mut leases: Vec<Option<S::Lease>> = names.iter().map(|_| None).collect();
        for &i in &order {
            match lease(store, &names[i], shutdown, progress).await {
                Ok(Some(lease)) => leases[i] = Some(lease),
                outcome => {
                    release(store, &names, leases).await;
                    outcome?;
                    return interrupted(store, &names).await;
                }
            }
        }
        let started = Instant::now();
        let mut held: Vec<&mut S::Lease> = leases.iter_mut().flatten().collect();
        let outcome = pass::one_pass(
            store,
            &mut self.members,
            &mut held,
            self.batch_size,
            shutdown,
            progress,
            started,
        )
        .await;
        release(store, &names, leases).await;
        outcome
    }
}

/// Releases the leases held, each under its consumer's name.
async fn release<S: ConsumerStore>(store: &S, names: &[String], leases: Vec<Option<S::Lease>>) {
    for (name, lease) in names.iter().zip(leases) {
        if let Some(lease) = lease {
            store.release(name, lease).await;
        }
    }
}

/// Rebuilds `handler`'s read model aside and swaps it in: a [`Rebuild`] of one consumer, in
/// batches of `options.rebuild_batch_size` events.
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
    let outcomes = Rebuild::new()
        .batch_size(options.rebuild_batch_size)
        .borrowing(options.clone(), handler)
        .run(store, shutdown, progress)
        .await?;
    single(outcomes, &options.name)
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
    let mut members = Rebuild::new().borrowing(options.clone(), handler).members;
    let outcomes = pass::one_pass(
        store,
        &mut members,
        &mut [lease],
        options.rebuild_batch_size.max(1),
        shutdown,
        progress,
        Instant::now(),
    )
    .await?;
    single(outcomes, &options.name)
}

fn single(mut outcomes: Vec<RebuildOutcome>, consumer: &str) -> Result<RebuildOutcome, StoreError> {
    match (outcomes.pop(), outcomes.is_empty()) {
        (Some(outcome), true) => Ok(outcome),
        _ => Err(StoreError::Misuse(format!(
            "a rebuild of {consumer} alone did not end with one outcome"
        ))),
    }
}

/// Waits for `consumer`'s lease; `None` if shutdown came first.
async fn lease<S: ConsumerStore, P: RebuildProgress>(
    store: &S,
    consumer: &str,
    shutdown: &CancellationToken,
    progress: &mut P,
) -> Result<Option<S::Lease>, StoreError> {
    let mut standby = None;
    let mut told = false;
    loop {
        if shutdown.is_cancelled() {
            return Ok(None);
        }
        if let Some(lease) = store.try_lease(consumer, &mut standby).await? {
            return Ok(Some(lease));
        }
        if !told {
            progress.waiting_for_lease(consumer);
            told = true;
        }
        if !pause(shutdown, LEASE_POLL).await {
            return Ok(None);
        }
    }
}

/// How often a rebuild tries again for a lease another instance holds.
const LEASE_POLL: Duration = Duration::from_secs(1);

/// A rebuild stopped before it held every lease: where each shadow stands.
async fn interrupted<S: ConsumerStore>(
    store: &S,
    names: &[String],
) -> Result<Vec<RebuildOutcome>, StoreError> {
    let mut outcomes = Vec::with_capacity(names.len());
    for name in names {
        outcomes.push(RebuildOutcome::Interrupted {
            consumer: name.clone(),
            checkpoint: store.load_checkpoint(&shadow_name(name)).await?,
        });
    }
    Ok(outcomes)
}
