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

/// Writes imported rows with their own positions and hashes, batch by batch, in order.
pub trait ImportSink: Send {
    fn write(
        &mut self,
        batch: &[LoggedEvent],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Makes the import visible and releases the lock.
    fn finish(self, head: u64) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Removes whatever was written and releases the lock, leaving the store empty again.
    fn abort(self) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Imports the export at `path` into `store`, which must be empty. The whole file is verified
/// first (every line an event, positions dense from 1, every chain hash as recomputed), and a
/// file that does not verify is refused before anything is written. Then the rows are written
/// with their positions, hashes, event ids, stream versions and recorded-at times, so the
/// store verifies to the same digest as the source. The chain is recomputed again while
/// writing, so a file changed between the passes is caught, and what was written is removed.
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
    while let Some(logged) = reader.next_event()? {
        batch.push(logged);
        if batch.len() == BATCH {
            sink.write(&batch).await?;
            progress.advance(batch.len() as u64);
            batch.clear();
        }
    }
    if !batch.is_empty() {
        sink.write(&batch).await?;
        progress.advance(batch.len() as u64);
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
