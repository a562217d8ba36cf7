//! # rectiflow-engine
//!
//! The machinery between the campaign's rules and a database, with no database in it:
//! - the ports of storage ([`EventStore`], [`consumer::ConsumerStore`],
//!   [`readmodel::ReadModels`]) that each backend implements in `adapters/store`;
//! - the command [`Executor`]: load → check the expected version → `handle` → one atomic
//!   commit of events, idempotency record and due snapshot;
//! - the [`consumer`] runner, which follows the global log exactly once for projections,
//!   policies and subscriptions, written once for every backend;
//! - the [`supervisor`] of background workers.
//!
//! Dependencies point inwards: this crate knows the domain; the adapters know this crate.

pub mod as_of;
pub mod calendar;
pub mod consumer;
pub mod directory;
pub mod error;
pub mod executor;
pub mod item_codes;
pub mod model;
pub mod readmodel;
pub mod settings;
pub mod shutdown;
pub mod store;
pub mod supervisor;
pub mod trace;

pub use error::{BackendError, StoreError};
pub use executor::{
    Batch, CommandContext, EventField, ExecuteError, Executor, IdempotencyKey, Outcome, Recorded,
};
pub use model::{LoggedEvent, Metadata, RecordedEvent, StreamRef, TraceContext};
pub use readmodel::{ReadModelStore, ReadModels};
pub use rectiflow_domain::FoldVersion;
pub use shutdown::CancellationToken;
pub use store::{EventStore, Loaded};
pub use supervisor::{OnFailure, Stopped, Supervisor, SupervisorError, Worker, WorkerError};
