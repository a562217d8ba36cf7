//! # rectiflow-store
//!
//! The event store behind rectiflow, on PostgreSQL or embedded SQLite with one behaviour:
//! - per-aggregate streams with optimistic concurrency, snapshots and idempotent commands,
//!   driven by our [`Executor`] around the cqrs-es `Aggregate` trait;
//! - one global log: every committed event gets a dense, strictly increasing position and a
//!   hash chaining it to every event before it ([`chain`]); on PostgreSQL positions are
//!   assigned gap-safely by the [`postgres::sequencer`] without serialising writers;
//! - checkpointed [`consumer`]s that follow the log exactly once.

pub mod any;
pub mod chain;
pub mod consumer;
pub mod error;
pub mod executor;
pub mod integrity;
mod migrate;
pub mod model;
pub mod postgres;
pub mod sqlite;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;
pub mod transfer;
pub mod vault;

pub use any::{AnyStore, DEFAULT_DATABASE_URL};
pub use error::StoreError;
pub use executor::{CommandContext, ExecuteError, Executor, IdempotencyKey, Outcome, Recorded};
pub use model::{LoggedEvent, Metadata, RecordedEvent, StreamRef, TraceContext};
pub use postgres::{PgSettings, PgStore};
pub use sqlite::SqliteStore;
pub use store::{Backend, EventStore};
pub use tokio_util::sync::CancellationToken;
pub use vault::KeyVault;
