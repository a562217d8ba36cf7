//! The identity-vault port: how complainants are protected (保护举报人).
//!
//! A complainant's identity and contact details must never appear in clear in the event log,
//! yet the secretariat must be able to read them, and they must be erasable for good without
//! rewriting the log (crypto-shredding). The same holds for what the complainant wrote and
//! sent: a complaint's own words or a photo can name the person as surely as their name does.
//! So the domain never sees a key: it hands the complaint's secret part — identity, text,
//! attachments — to the vault, which encrypts it with a key of its own per complaint and
//! returns only a pseudonymous reference and the ciphertext. Erasing the key forgets the person;
//! the events, their hashes and the chain stay intact and verifiable. A redacted summary, written
//! by the receiver, stays readable.

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

use crate::failure::PortUnavailable;
use crate::values::EvidenceRef;

/// What a complainant tells about themselves. Lives only in memory on its way to the vault.
/// Its `Debug` form is redacted, so logging a command that carries it cannot leak the person.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ComplainantIdentity {
    pub name: String,
    pub contact: String,
}

impl std::fmt::Debug for ComplainantIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ComplainantIdentity(<redacted>)")
    }
}

/// The part of a complaint that is sealed: who complained (if they said), what they wrote, and
/// what they sent. Its `Debug` form is redacted too.
#[derive(Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ComplaintSecret {
    pub complainant: Option<ComplainantIdentity>,
    pub content: String,
    pub attachments: Vec<EvidenceRef>,
}

impl std::fmt::Debug for ComplaintSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ComplaintSecret(<redacted>)")
    }
}

/// A secret as it may be stored in an event: an opaque key reference and ciphertext.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Sealed {
    /// Pseudonymous reference to the per-complaint key held outside the log.
    pub key_ref: String,
    /// Ciphertext (base64 or hex, as the vault chooses); useless once the key is erased.
    pub ciphertext: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("身份信息保管库：{0}")]
pub struct VaultError(pub String);

/// The name the identity vault goes by in a [`PortUnavailable`].
pub const IDENTITY_VAULT: &str = "identity_vault";

/// A vault that fails is a port that failed, never a refusal of the command.
impl From<VaultError> for PortUnavailable {
    fn from(error: VaultError) -> Self {
        PortUnavailable {
            port: IDENTITY_VAULT,
            reason: error.0,
        }
    }
}

pub type VaultFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, VaultError>> + Send + 'a>>;

pub trait IdentityVault: Send + Sync {
    /// Seals `secret` with the key of `subject` (a complaint id), creating the key on first
    /// use. Idempotent per subject: a command retried after a lost race seals with the same key
    /// again rather than leaving a second, orphan key behind.
    fn seal<'a>(&'a self, subject: &'a str, secret: &'a ComplaintSecret)
        -> VaultFuture<'a, Sealed>;

    /// Destroys the key behind `key_ref`; every ciphertext sealed with it becomes unreadable.
    fn erase<'a>(&'a self, key_ref: &'a str) -> VaultFuture<'a, ()>;
}
