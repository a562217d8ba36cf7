//! Importing an export into an empty store, in two passes: verify the whole file, then write.

use std::future::Future;
use std::path::Path;

use super::error::TransferError;
use super::file::{check_file, ChainReader};
use super::progress::Progress;
use crate::integrity::ChainDigest;
use rectiflow_engine::model::LoggedEvent;
use rectiflow_engine::EventStore;
use rectiflow_engine::StoreError;
use uuid::Uuid;

/// Events written per batch (one statement each on PostgreSQL).
pub(crate) const BATCH: usize = 2_000;

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub events: u64,
    /// The chain hash at the last imported position: `verify` and `digest` on the store give
    /// the same as on the source.
    pub head: ChainDigest,
}

/// A store that can take an import (each backend implements it in its own folder).
pub trait ImportTarget: EventStore {
    type Sink: ImportSink;

    /// How many events the store holds (an import needs 0).
    fn stored_events(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Takes whatever lock keeps other writers of positions away, checks again that the store
    /// is empty, and returns the writer of the imported rows.
    fn begin_import(&self) -> impl Future<Output = Result<Self::Sink, TransferError>> + Send;
}

/// Writes imported rows with their own positions and hashes, batch by batch, in order, all in
/// one transaction: nothing is visible to any reader or writer until [`ImportSink::finish`],
/// and an import that stops for any reason — an error, a dropped future, a killed process —
/// leaves the store as it was.
pub trait ImportSink: Send {
    /// Writes `batch` (dense positions following the previous batch's).
    fn write(
        &mut self,
        batch: &[LoggedEvent],
    ) -> impl Future<Output = Result<BatchWritten, StoreError>> + Send;

    /// Commits the import, making it visible at once, and releases the locks.
    fn finish(self, head: u64) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Rolls the import back and releases the locks, leaving the store empty again.
    fn abort(self) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// What [`ImportSink::write`] did with a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchWritten {
    /// Every event of the batch was written.
    All,
    /// The event at `position` carries the id of an event written before it (at `first`, when
    /// the store can tell): event ids are unique, so the file cannot be imported. A chain
    /// cannot catch this — the chain of a file with a repeated id verifies — so the store's
    /// unique key does, and the sink reports it instead of failing, to name the event.
    DuplicateEventId {
        position: u64,
        event_id: Uuid,
        first: Option<u64>,
    },
}

impl BatchWritten {
    /// The first event of `batch` that a write found missing, given the positions of `batch`
    /// that are stored after it: the event the store skipped for its repeated id.
    pub(crate) fn skipped<'a>(batch: &'a [LoggedEvent], stored: &[u64]) -> Option<&'a LoggedEvent> {
        let stored: std::collections::HashSet<u64> = stored.iter().copied().collect();
        batch
            .iter()
            .find(|logged| !stored.contains(&logged.position))
    }
}

/// Imports the export at `path` into `store`, which must be empty. The whole file is verified
/// first (every line an event, positions dense from 1, every chain hash as recomputed), and a
/// file that does not verify is refused before anything is written. Then the rows are written
/// with their positions, hashes, event ids, stream versions and recorded-at times, so the
/// store verifies to the same digest as the source. The chain is recomputed again while
/// writing, so a file changed between the passes is caught. The writing is one transaction
/// on both backends: a file the store refuses part-way (a repeated event id, a repeated stream
/// version) or an import killed part-way leaves the store empty, never a prefix of the file.
pub async fn import<S: ImportTarget>(
    store: &S,
    path: &Path,
    progress: &Progress,
) -> Result<ImportSummary, TransferError> {
    // Refuse early, before reading what may be a large file.
    let events = store.stored_events().await?;
    if events > 0 {
        return Err(TransferError::NotEmpty { events });
    }
    // Hashing a large file is CPU work: keep it off the async workers.
    let checked = {
        let owned = path.to_owned();
        let progress = progress.clone();
        tokio::task::spawn_blocking(move || check_file(&owned, &progress))
            .await
            .map_err(|e| TransferError::Read {
                path: path.to_owned(),
                source: std::io::Error::other(e),
            })??
    };
    let mut sink = store.begin_import().await?;
    match write_all(&mut sink, path, &checked.head, progress).await {
        Ok(()) => {
            sink.finish(checked.head.position).await?;
            progress.finish();
            Ok(ImportSummary {
                events: checked.events,
                head: checked.head,
            })
        }
        Err(error) => {
            progress.finish();
            if let Err(cleanup) = sink.abort().await {
                tracing::error!(%cleanup, "could not remove the rows of a failed import");
            }
            Err(error)
        }
    }
}

async fn write_all<K: ImportSink>(
    sink: &mut K,
    path: &Path,
    checked: &ChainDigest,
    progress: &Progress,
) -> Result<(), TransferError> {
    progress.start("importing", Some(checked.position));
    let mut reader = ChainReader::open(path)?;
    let mut batch = Vec::with_capacity(BATCH);
    let mut batches = 0u64;
    loop {
        let logged = reader.next_event()?;
        let end = logged.is_none();
        batch.extend(logged);
        if batch.len() == BATCH || (end && !batch.is_empty()) {
            if let BatchWritten::DuplicateEventId {
                position,
                event_id,
                first,
            } = sink.write(&batch).await?
            {
                let earlier = first.map_or_else(
                    || "an event before it".to_owned(),
                    |first| format!("the event at position {first}"),
                );
                return Err(TransferError::Refused {
                    path: path.to_owned(),
                    line: position,
                    reason: format!(
                        "position {position}: event id {event_id} is already the id of \
                         {earlier}; event ids are unique, so the file cannot be imported"
                    ),
                });
            }
            progress.advance(batch.len() as u64);
            batch.clear();
            batches += 1;
            crate::failpoint::import_batch_written(batches);
        }
        if end {
            break;
        }
    }
    if reader.head() != *checked {
        return Err(TransferError::Refused {
            path: path.to_owned(),
            line: reader.head().position,
            reason: format!(
                "the file changed while it was imported (checked: {checked}; read: {})",
                reader.head()
            ),
        });
    }
    Ok(())
}
