//! Why an export or import did not happen, naming the file, line and position concerned.

use std::path::PathBuf;

use rectiflow_engine::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// The file is not a verifiable export; nothing was written.
    #[error("{} line {line}: {reason}; nothing was imported", path.display())]
    Refused {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The export could not be written.
    #[error("cannot write the export: {0}")]
    Write(#[source] std::io::Error),
    /// Import only fills an empty store: merging two histories would renumber one of them
    /// and break its chain.
    #[error(
        "the store already holds {events} events; import only into an empty store (a new \
         database or SQLite file); nothing was imported"
    )]
    NotEmpty { events: u64 },
    /// PostgreSQL: another process holds the sequencer lock (a running `rectiflow serve`, or
    /// another import), and would sequence rows while the import writes its own positions.
    #[error(
        "another process is sequencing or importing into this database (is `rectiflow serve` \
         running on it?); stop it and import again; nothing was imported"
    )]
    SequencerRunning,
    #[error("invalid range: {0}")]
    InvalidRange(String),
    /// The database refused a write or a read. For an import, its one transaction was rolled
    /// back, so the store is empty as before.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for TransferError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(StoreError::backend(error))
    }
}
