//! 查阅 — each reveal of a complaint's sealed part is itself recorded (DOMAIN.md, "Protection").
//!
//! The sealed part (the complainant's identity, their own words, their attachments) is for the
//! secretariat of the complaint's task force and the handling unit's designated handler alone
//! (who may ask: `admission.rs`). Reading it leaves a trace in the same tamper-evident log as
//! everything else, so a complainant's protection can be audited: who read, when, and why.
//!
//! The domain does not decrypt: it holds no key and asks the vault nothing here. It decides
//! whether the reveal may happen and records it; the adapter then opens the vault with the
//! event's `key_ref` — **only after the [`ComplaintEvent::Revealed`] event has committed**, one
//! opening per event, never on a refusal or a failed commit. Recording first means a reveal
//! can fail to be served but can never be served unrecorded.

use chrono::{DateTime, Utc};

use crate::values::{PersonId, Text};

use super::aggregate::{Complaint, SecretState};
use super::errors::ComplaintError;
use super::events::ComplaintEvent;

impl Complaint {
    /// The reveal of the sealed part to `by` for `purpose`, in any state after receipt (a
    /// closed complaint may still be read, e.g. for the case it led to). Refused when nothing
    /// is sealed (the complaint was never received) and when the key was erased: there is
    /// nothing left to read, and a reveal on record would claim otherwise.
    pub(super) fn reveal(
        &self,
        purpose: Text,
        by: PersonId,
        at: DateTime<Utc>,
    ) -> Result<ComplaintEvent, ComplaintError> {
        let key_ref = match &self.secret {
            SecretState::None => return Err(ComplaintError::NothingSealed),
            SecretState::Erased { .. } => return Err(ComplaintError::IdentityAlreadyErased),
            SecretState::Sealed { key_ref } => key_ref.clone(),
        };
        Ok(ComplaintEvent::Revealed {
            key_ref,
            purpose,
            by,
            at,
        })
    }
}
