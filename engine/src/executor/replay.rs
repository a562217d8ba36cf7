//! Answering a repeated keyed command with its first outcome.

use cqrs_es::Aggregate;

use super::{CommandContext, ExecuteError, Executor, IdempotencyKey, Outcome};
use crate::model::{IdempotencyRecord, StreamRef};
use crate::store::EventStore;

impl<S: EventStore> Executor<S> {
    pub(super) async fn replay<A: Aggregate>(
        &self,
        context: &CommandContext,
        key: &IdempotencyKey,
        stream: &StreamRef,
        command_hash: &str,
    ) -> Result<Option<Outcome<A::Event>>, ExecuteError<A::Error>> {
        let Some(record) = self
            .store
            .find_idempotency(context.actor.as_str(), key.as_str())
            .await?
        else {
            return Ok(None);
        };
        self.replay_record::<A>(key, stream, command_hash, record)
            .await
            .map(Some)
    }

    /// The stored outcome of the command that took `key` — if it was this same command: its
    /// events, or its refusal.
    pub(super) async fn replay_record<A: Aggregate>(
        &self,
        key: &IdempotencyKey,
        stream: &StreamRef,
        command_hash: &str,
        record: IdempotencyRecord,
    ) -> Result<Outcome<A::Event>, ExecuteError<A::Error>> {
        if record.command_hash != command_hash || record.stream != *stream {
            return Err(ExecuteError::IdempotencyKeyReused {
                key: key.as_str().to_owned(),
            });
        }
        // The rules refused it the first time: the same refusal, without executing it again.
        if let Some(code) = record.refusal {
            return Err(ExecuteError::RefusalReplayed { code });
        }
        let events = self
            .store
            .load_range(stream, record.from_version, record.to_version)
            .await?
            .into_iter()
            .map(|recorded| self.decode::<A>(recorded))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Outcome {
            stream: stream.clone(),
            version: record.to_version,
            events,
            replayed: true,
        })
    }
}
