//! The embedded SQLite backend: the default, needing no other service. Everything SQLite-
//! specific lives in this folder — its SQL, migrations, consumer leases, import and audit.
//!
//! SQLite allows one writer at a time; every commit takes the write lock at its start
//! (`BEGIN IMMEDIATE`), so commit order is simply the order of those transactions. The commit
//! itself checks the stream version, assigns the next global positions and chains the hashes —
//! no sequencer is needed, and readers see a position only once its transaction committed.
//! Writers of one process queue for that lock in the process ([`writer`]), not in SQLite's
//! busy handler.

mod audit;
mod consumer;
mod erasure;
mod event_ids;
mod import;
mod migrate;
mod readmodel;
mod store;
mod streams;
mod writer;

pub use consumer::LocalLease;
pub use import::SqliteSink;
pub use readmodel::{SqliteScratch, SqliteTx};
pub use store::SqliteStore;
