//! Moving the log between stores: export to NDJSON, import into an empty store.
//!
//! An export is the log itself — one [`LoggedEvent`](crate::LoggedEvent) per line with its
//! position and chain hash — so the file carries its own proof: import recomputes the chain
//! before writing anything, and the store it fills verifies to the same digest as the source,
//! whichever backend each one runs on. Both directions stream in batches: memory stays flat
//! whatever the log's length.

mod error;
mod export;
mod file;
mod import;
mod progress;

pub use error::TransferError;
pub use export::{export, ExportSummary};
pub use file::{check_file, FileSummary};
pub use import::{import, BatchWritten, ImportSink, ImportSummary, ImportTarget};
pub use progress::Progress;
