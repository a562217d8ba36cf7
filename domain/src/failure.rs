//! Refusal or failure: how every aggregate's error says which it is.
//!
//! A command the rules refuse (a deadline already passed, a request from the wrong unit) is the
//! sender's to fix: a 4xx, with a stable code. A port the command needed that did not answer
//! (the identity vault, today the only port that can fail) is nobody's mistake but the
//! operator's: a 5xx, worth retrying, and never to be reported as the sender's fault. Every
//! aggregate error implements [`DomainError`], so one executor can tell the two apart without
//! knowing the aggregate.

/// A port the command needed failed: not the sender's mistake (a 5xx, never a 4xx).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{port} unavailable: {reason}")]
pub struct PortUnavailable {
    /// Which port, e.g. `"identity_vault"`.
    pub port: &'static str,
    /// What the port said, for the operator (a port must put no personal data in it).
    pub reason: String,
}

/// What every aggregate's error type is: a stable code for integrators, and whether the
/// failure was a port's rather than a refusal by the rules.
pub trait DomainError: std::error::Error + Send + Sync + 'static {
    /// A stable dotted code, namespaced by aggregate (`item.not_yet_due`).
    fn code(&self) -> &'static str;

    /// The port that failed, when the command failed for that reason rather than being
    /// refused; `None` for every refusal.
    fn unavailable(&self) -> Option<&PortUnavailable> {
        None
    }
}
