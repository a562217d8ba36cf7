//! Tamper evidence: recomputing the hash chain and comparing it with what is stored, and with
//! digests published earlier.
//!
//! The chain ([`crate::chain`]) makes every stored hash depend on every event before it, so
//! recomputing it from [`GENESIS`](crate::chain::GENESIS) finds the first position whose
//! content or place no longer matches. A rewrite of both the events and the chain still
//! verifies on its own — which is why a [`ChainDigest`] published outside the database (in a
//! report, a bulletin, a notarised letter) can be checked against the recomputed chain later.

pub(crate) mod audit;
mod digest;
mod error;
mod verify;

pub(crate) use audit::jump;
pub use audit::LogAudit;
pub use digest::ChainDigest;
pub use error::{IntegrityError, Tamper};
pub use verify::{digest_at, verify, VerifyOptions, VerifySummary};
