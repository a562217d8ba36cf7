//! Remembering a keyed command's refusal, so the key's first outcome stays its only one.
//!
//! Without it a refused keyed command left no trace: a repeat sent once the state had changed
//! could succeed, and the key could be taken for another command — the retry of a refused
//! request would not be the same request. Like Stripe's idempotency keys, the record keeps the
//! outcome whatever it was, as long as the rules gave it: its stable code, never the error
//! itself (which may quote what the command carried). A port or the store that failed is not
//! an outcome and is not kept: the retry must be able to succeed.

use chrono::Utc;
use rectiflow_domain::DomainError;

use super::{ExecuteError, Executor, Request};
use crate::model::{Commit, IdempotencyRecord};
use crate::store::EventStore;

impl<S: EventStore> Executor<S> {
    /// Records that the rules refused this keyed command (with `code`) at `version`; nothing
    /// for an unkeyed one. The record is committed like any other, guarded by the stream's
    /// version: if the stream moved since it was read, the refusal may be stale and the
    /// attempt is a conflict (retried, or answered by a twin's record, as any other).
    pub(super) async fn remember_refusal<E: DomainError>(
        &self,
        request: &Request<'_>,
        version: u64,
        code: &'static str,
    ) -> Result<(), ExecuteError<E>> {
        let Some(key) = &request.context.idempotency_key else {
            return Ok(());
        };
        let record = IdempotencyRecord {
            actor: request.context.actor.as_str().to_owned(),
            key: key.as_str().to_owned(),
            command_hash: request.command_hash.to_owned(),
            stream: request.stream.clone(),
            from_version: version,
            to_version: version,
            // The wall clock, as for every idempotency record (see `Executor::decide`).
            created_at: crate::model::to_micros(Utc::now()),
            refusal: Some(code.to_owned()),
        };
        let commit = Commit {
            stream: request.stream.clone(),
            expected_version: version,
            events: Vec::new(),
            snapshot: None,
            idempotency: Some(record),
        };
        self.commit(commit, request.expected_version).await
    }
}
