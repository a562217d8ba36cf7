//! One pass over the log for every consumer of a rebuild: a page read once (the next one read
//! while this one is applied) and handed to every shadow at once, each folding it in a
//! transaction of its own with its checkpoint; then every shadow swapped in, in one more.

use std::time::Instant;

use tokio_util::sync::CancellationToken;

use super::super::runner::check_dense;
use super::super::{ConsumerPosition, ConsumerStore};
use super::aside::Member;
use super::{RebuildOutcome, RebuildProgress, Rebuilt};
use crate::error::StoreError;
use crate::model::LoggedEvent;

/// Builds every member's shadow up to the log's head and swaps them in, under `leases` (held by
/// the caller, one per member). `started` is when the rebuild began (its leases held).
pub(super) async fn one_pass<S, P>(
    store: &S,
    members: &mut [Box<dyn Member<S> + '_>],
    leases: &mut [&mut S::Lease],
    batch_size: u32,
    shutdown: &CancellationToken,
    progress: &mut P,
    started: Instant,
) -> Result<Vec<RebuildOutcome>, StoreError>
where
    S: ConsumerStore,
    P: RebuildProgress,
{
    // Where each shadow stands: 0, or where an interrupted rebuild of the same code stopped.
    let mut at = Vec::with_capacity(members.len());
    for member in members.iter_mut() {
        at.push(member.open(store).await?);
    }
    let resumed_from = at.clone();
    let mut cursor = at.iter().copied().min().unwrap_or_default();
    progress.advanced(cursor, store.head().await?);
    let mut ahead = ReadAhead(None);
    loop {
        if shutdown.is_cancelled() {
            return Ok(members
                .iter()
                .zip(at)
                .map(|(member, checkpoint)| RebuildOutcome::Interrupted {
                    consumer: member.name().to_owned(),
                    checkpoint,
                })
                .collect());
        }
        for lease in leases.iter_mut() {
            store.check_lease(lease).await?;
        }
        let batch = match ahead.0.take() {
            Some(read) => read.await.map_err(|e| {
                StoreError::corrupt(
                    format!("log after {cursor}"),
                    format!("read-ahead failed: {e}"),
                )
            })??,
            None => store.read_log(cursor, batch_size).await?,
        };
        // Caught up: nothing past the shadows' checkpoints, and the leases keep the live
        // consumers from moving on meanwhile.
        let Some(last) = batch.last().map(|e| e.position) else {
            break;
        };
        check_dense(cursor, &batch)?;
        if batch.len() == batch_size as usize {
            let reader = store.clone();
            ahead.0 = Some(tokio::spawn(async move {
                reader.read_log(last, batch_size).await
            }));
        }
        // Each shadow in a transaction of its own, all at once where the database takes
        // writers side by side: one's statements run in the database while another folds, and
        // a batch costs about its slowest shadow.
        let applied = members.iter_mut().zip(&at).map(|(member, from)| {
            let batch = &batch;
            async move {
                // A shadow that resumed further on skips what it already holds.
                let holds = usize::try_from(from.saturating_sub(cursor)).unwrap_or(usize::MAX);
                match batch.get(holds..) {
                    Some(events) if !events.is_empty() => {
                        let mut tx = store.begin().await?;
                        member.apply(store, &mut tx, *from, events).await?;
                        store.commit_batch(tx).await
                    }
                    _ => Ok(()),
                }
            }
        });
        if S::CONCURRENT_WRITERS {
            futures::future::try_join_all(applied).await?;
        } else {
            for apply in applied {
                apply.await?;
            }
        }
        for from in &mut at {
            *from = (*from).max(last);
        }
        cursor = last;
        progress.advanced(cursor, store.head().await?);
    }
    for lease in leases.iter_mut() {
        store.check_lease(lease).await?;
    }
    let mut tx = store.begin().await?;
    for (member, built) in members.iter_mut().zip(&at) {
        member.swap(store, &mut tx, *built).await?;
    }
    store.commit_batch(tx).await?;
    let elapsed = started.elapsed();
    Ok(members
        .iter()
        .zip(at.into_iter().zip(resumed_from))
        .map(|(member, (checkpoint, resumed_from))| {
            RebuildOutcome::Swapped(Rebuilt {
                consumer: member.name().to_owned(),
                position: ConsumerPosition {
                    checkpoint,
                    version: member.version(),
                },
                resumed_from,
                elapsed,
            })
        })
        .collect())
}

/// The next page being read in the background; a pass that ends early (shutdown, an error)
/// stops the read rather than leave it holding a connection.
struct ReadAhead(Option<tokio::task::JoinHandle<Result<Vec<LoggedEvent>, StoreError>>>);

impl Drop for ReadAhead {
    fn drop(&mut self) {
        if let Some(read) = self.0.take() {
            read.abort();
        }
    }
}
