//! A batch: many commands decided in memory, written in one transaction.
//!
//! The executor writes each command as it decides it — one transaction per command, which is
//! what a live service wants. A generator writing a county's worth of history (the demo
//! campaign, the benchmarks' scaled-up logs) wants the opposite: thousands of commands, nobody
//! else writing, and the whole lot on disk in seconds. A [`Batch`] decides each command exactly
//! as [`Executor::execute`] does — the same `handle`, the same metadata, snapshots and checks —
//! on aggregates it keeps in memory once loaded, and keeps the commits; [`Batch::commit`]
//! writes them all with [`EventStore::commit_all`], in the order decided, so the log reads as
//! if each had been executed alone.
//!
//! What a command reads through its services (the organisation, the campaigns, the calendar)
//! comes from the store, not from the batch: commit the batch that creates a unit before
//! deciding commands that name it. Keyed commands are refused (a batch keeps no idempotency
//! records: a repeat could not find its first outcome until the batch is written).

use std::any::Any;
use std::collections::{HashMap, HashSet};

use cqrs_es::Aggregate;
use rectiflow_domain::event::Scoped;
use rectiflow_domain::{Addressed, Command, DomainError, FoldVersion};
use serde::Serialize;

use super::{CommandContext, ExecuteError, Executor, Folded, Outcome, Request};
use crate::error::StoreError;
use crate::model::{to_micros, Commit, StreamRef};
use crate::store::EventStore;

/// An aggregate the batch holds, at the version its pending commits leave it.
struct Held {
    aggregate: Box<dyn Any + Send + Sync>,
    version: u64,
    /// Its stored snapshot was passed over on load: the next commit replaces it.
    snapshot_stale: bool,
}

/// Commands decided in memory, written together by [`Batch::commit`]. Dropping a batch
/// writes nothing.
pub struct Batch<'e, S> {
    executor: &'e Executor<S>,
    held: HashMap<StreamRef, Held>,
    /// Streams whose state the batch no longer knows: a command failed after its events were
    /// applied (a NUL character, an event that would not serialise).
    lost: HashSet<StreamRef>,
    commits: Vec<Commit>,
    events: usize,
}

impl<S: EventStore> Executor<S> {
    /// An empty batch on this executor's store and clock.
    pub fn batch(&self) -> Batch<'_, S> {
        Batch {
            executor: self,
            held: HashMap::new(),
            lost: HashSet::new(),
            commits: Vec::new(),
            events: 0,
        }
    }
}

impl<S: EventStore> Batch<'_, S> {
    /// Decides `body` on aggregate `stream_id` as it stands after the batch's earlier commands,
    /// at the executor's clock. Nothing is written until [`Batch::commit`]; a refusal leaves
    /// the batch as it was.
    pub async fn execute<A, C>(
        &mut self,
        context: &CommandContext,
        stream_id: &str,
        body: C,
        services: &A::Services,
    ) -> Result<Outcome<A::Event>, ExecuteError<A::Error>>
    where
        A: Aggregate<Command = Command<C>> + FoldVersion + Scoped + Sync + 'static,
        A::Error: DomainError,
        C: Serialize + Clone + Addressed,
    {
        let stream = StreamRef::new(A::TYPE, stream_id);
        if context.idempotency_key.is_some() {
            return Err(StoreError::Misuse(format!(
                "a keyed command for {stream} in a batch: a batch keeps no idempotency records"
            ))
            .into());
        }
        if let Some(named) = body.addressed_to() {
            if named != stream_id {
                return Err(ExecuteError::WrongStream {
                    stream,
                    named: named.to_owned(),
                });
            }
        }
        if self.lost.contains(&stream) {
            return Err(StoreError::Misuse(format!(
                "an earlier command on {stream} in this batch failed after deciding: the batch \
                 no longer knows its state"
            ))
            .into());
        }
        let mut folded = match self.held.remove(&stream) {
            Some(held) => match held.aggregate.downcast::<A>() {
                Ok(aggregate) => Folded {
                    aggregate: *aggregate,
                    version: held.version,
                    snapshot_stale: held.snapshot_stale,
                },
                Err(aggregate) => {
                    // Held back as it was: the batch's pending commits still rest on it.
                    self.held.insert(stream.clone(), Held { aggregate, ..held });
                    return Err(StoreError::Misuse(format!(
                        "{stream} is held in the batch as another aggregate type"
                    ))
                    .into());
                }
            },
            None => {
                let loaded = self.executor.store.load_latest(&stream).await;
                self.executor.load_from::<A>(&stream, loaded).await?
            }
        };
        let request = Request {
            context,
            stream: &stream,
            expected_version: None,
            command_hash: "",
        };
        let now = to_micros(self.executor.clock.now());
        let decided = self
            .executor
            .decide(&request, body, services, &mut folded, now)
            .await;
        // A refused command (or one a port failed) left the aggregate as it was: hold it.
        // Any other failure came after its events were applied: the state is lost to the
        // batch, and later commands on the stream are refused.
        let (version, snapshot_stale) = match &decided {
            Ok(decided) => (
                decided.outcome.version,
                folded.snapshot_stale && decided.commit.is_none(),
            ),
            Err(ExecuteError::Refused(_) | ExecuteError::Unavailable(_)) => {
                (folded.version, folded.snapshot_stale)
            }
            Err(_) => {
                self.lost.insert(stream);
                return decided.map(|d| d.outcome);
            }
        };
        self.held.insert(
            stream,
            Held {
                aggregate: Box::new(folded.aggregate),
                version,
                snapshot_stale,
            },
        );
        let decided = decided?;
        if let Some(commit) = decided.commit {
            self.events += commit.events.len();
            self.commits.push(commit);
        }
        Ok(decided.outcome)
    }

    /// How many events the batch would write.
    pub fn events(&self) -> usize {
        self.events
    }

    /// Writes every decided command in one transaction, in the order decided; returns how many
    /// events were written. All or none: a stream another writer moved meanwhile fails the
    /// whole batch with [`StoreError::Conflict`].
    pub async fn commit(self) -> Result<usize, StoreError> {
        if self.commits.is_empty() {
            return Ok(0);
        }
        // Counted once written, as the executor counts its commands: (aggregate, commands,
        // events) per aggregate type.
        let mut written: Vec<(String, u64, u64)> = Vec::new();
        for commit in &self.commits {
            let events = commit.events.len() as u64;
            match written
                .iter_mut()
                .find(|(aggregate, ..)| *aggregate == commit.stream.stream_type)
            {
                Some((_, commands, appended)) => {
                    *commands += 1;
                    *appended += events;
                }
                None => written.push((commit.stream.stream_type.clone(), 1, events)),
            }
        }
        self.executor.store.commit_all(self.commits).await?;
        for (aggregate, commands, events) in written {
            super::outcome::count_written(aggregate, commands, events);
        }
        Ok(self.events)
    }
}
