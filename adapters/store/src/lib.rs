//! # rectiflow-store
//!
//! The backends of the engine's storage ports ([`rectiflow_engine`]), each in its own folder:
//! - [`postgres`]: events committed by concurrent writers, positions assigned gap-safely by the
//!   [`postgres::sequencer`] without serialising them;
//! - [`sqlite`]: the embedded default, positions assigned in the commit.
//!
//! Beside them, what the backends share: the log's hash [`chain`], its [`integrity`] checks
//! (`verify`, `digest`), [`transfer`] (export and import), the identity [`vault`], and the
//! keyed [`fingerprint`] of idempotent commands (its secret kept outside the database).
//! [`AnyStore`] opens whichever backend a URL names; the binary chooses once and runs the
//! application generically on it.

pub mod any;
pub mod chain;
mod columns;
mod counts;
mod event_ids;
pub mod failpoint;
mod fault;
pub mod fingerprint;
pub mod integrity;
mod migrate;
pub mod mode;
pub mod postgres;
mod refusal;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tokens;
pub mod transfer;
pub mod vault;
pub mod webhooks;

pub use any::{AnyStore, Store, DEFAULT_DATABASE_URL};
pub use fingerprint::{FingerprintKey, KeyFileError};
pub use postgres::{PgSettings, PgStore};
pub use sqlite::SqliteStore;
pub use tokens::TokenBook;
pub use vault::KeyVault;
pub use webhooks::WebhookBook;
