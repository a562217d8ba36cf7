//! The command executor: load → check the expected version → `handle` → commit.
//!
//! Ours rather than cqrs-es's `CqrsFramework`, which takes no expected version, returns
//! nothing, and (through `PersistedEventStore`) applies events a second time when it snapshots:
//! `EventSink::write` already applied them, so a counter committed 13 times reloads as 21.
//! Here the snapshot is the aggregate exactly as it stands after `handle`, and the events, the
//! snapshot and the idempotency record are committed in one transaction.
//!
//! A keyed command's record keeps its first outcome — the events, or the rules' refusal (see
//! [`refusal`]) — so a repeat gets that outcome again and the key can never be used for
//! another command. A port or the store that failed leaves no record: a retry may succeed.

mod batch;
mod context;
mod followed;
mod load;
mod nul;
mod outcome;
mod refusal;
mod replay;

use std::collections::BTreeMap;
use std::sync::Arc;

use cqrs_es::event_sink::EventSink;
use cqrs_es::persist::EventUpcaster;
use cqrs_es::{Aggregate, DomainEvent};
use rectiflow_domain::clock::Clock;
use rectiflow_domain::event::Scoped;
use rectiflow_domain::{Addressed, Command, DomainError, FoldVersion, Stamp};
use serde::Serialize;
use uuid::Uuid;

pub use batch::Batch;
pub use context::{CommandContext, IdempotencyKey};
pub use followed::Followed;
pub use nul::EventField;
pub use outcome::{ExecuteError, Outcome, Recorded};

use crate::error::StoreError;
use crate::model::{to_micros, Commit, IdempotencyRecord, Metadata, NewEvent, Snapshot, StreamRef};
use crate::store::{EventStore, Loaded};
use chrono::Utc;
use load::Folded;

/// How many times a command without an expected version is retried after losing a race.
const RETRIES_ON_CONFLICT: usize = 3;

/// One attempt's fixed facts: who asks what of which stream.
#[derive(Clone, Copy)]
struct Request<'a> {
    context: &'a CommandContext,
    stream: &'a StreamRef,
    expected_version: Option<u64>,
    command_hash: &'a str,
}

/// What deciding a command produced, before anything is written: the commit that writes its
/// events (none when nothing is to be written) and the outcome to tell.
struct Decided<E> {
    commit: Option<Commit>,
    outcome: Outcome<E>,
}

/// Loads aggregates and executes commands against a store.
pub struct Executor<S> {
    store: S,
    clock: Arc<dyn Clock>,
    snapshot_every: u64,
    upcasters: Arc<BTreeMap<String, Vec<Arc<dyn EventUpcaster>>>>,
}

impl<S: Clone> Clone for Executor<S> {
    fn clone(&self) -> Self {
        Self {
            store: self.store.clone(),
            clock: self.clock.clone(),
            snapshot_every: self.snapshot_every,
            upcasters: self.upcasters.clone(),
        }
    }
}

impl<S: EventStore> Executor<S> {
    /// An executor taking a snapshot every 100 events of a stream.
    pub fn new(store: S, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            snapshot_every: 100,
            upcasters: Arc::new(BTreeMap::new()),
        }
    }

    /// Snapshot every `n` events (0 turns snapshots off). A stream whose stored snapshot was
    /// passed over on load (made by another fold version, or unreadable) is snapshotted at its
    /// next commit instead, so it is replayed once rather than up to `n` times.
    pub fn with_snapshot_every(mut self, n: u64) -> Self {
        self.snapshot_every = n;
        self
    }

    /// Upcasters for the events of aggregate type `stream_type`, applied in order on load.
    pub fn with_upcasters(
        mut self,
        stream_type: &str,
        upcasters: Vec<Box<dyn EventUpcaster>>,
    ) -> Self {
        // Copy the map: clones of this executor keep the registrations they had.
        let mut map = (*self.upcasters).clone();
        map.insert(
            stream_type.to_owned(),
            upcasters.into_iter().map(Arc::from).collect(),
        );
        self.upcasters = Arc::new(map);
        self
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Executes `body` on aggregate `stream_id`. With `expected_version`, the stream must be at
    /// exactly that version; without, the command applies to the latest state and is retried
    /// if another writer commits first.
    #[tracing::instrument(skip_all, fields(aggregate = A::TYPE, stream_id = tracing::field::Empty))]
    pub async fn execute<A, C>(
        &self,
        context: &CommandContext,
        stream_id: &str,
        expected_version: Option<u64>,
        body: C,
        services: &A::Services,
    ) -> Result<Outcome<A::Event>, ExecuteError<A::Error>>
    where
        A: Aggregate<Command = Command<C>> + FoldVersion + Scoped,
        A::Error: DomainError,
        C: Serialize + Clone + Addressed,
    {
        let result = self
            .carry_out::<A, C>(context, stream_id, expected_version, body, services)
            .await;
        outcome::count(A::TYPE, &result);
        result
    }

    /// [`Self::execute`], before its outcome is counted.
    async fn carry_out<A, C>(
        &self,
        context: &CommandContext,
        stream_id: &str,
        expected_version: Option<u64>,
        body: C,
        services: &A::Services,
    ) -> Result<Outcome<A::Event>, ExecuteError<A::Error>>
    where
        A: Aggregate<Command = Command<C>> + FoldVersion + Scoped,
        A::Error: DomainError,
        C: Serialize + Clone + Addressed,
    {
        tracing::Span::current().record("stream_id", stream_id);
        let stream = StreamRef::new(A::TYPE, stream_id);
        if let Some(named) = body.addressed_to() {
            if named != stream_id {
                return Err(ExecuteError::WrongStream {
                    stream,
                    named: named.to_owned(),
                });
            }
        }
        // Only a keyed command keeps a fingerprint; computing one for every command would cost
        // each write a serialisation and a hash for nothing.
        let command_hash = match &context.idempotency_key {
            Some(_) => {
                let body = serde_json::to_value(&body).map_err(StoreError::from)?;
                self.store.fingerprint(&stream, &body)?
            }
            None => String::new(),
        };
        // A keyed command asks for its earlier record and the stream in one go.
        let mut preloaded = None;
        if let Some(key) = &context.idempotency_key {
            let loaded = self
                .store
                .load_for_keyed_command(&stream, context.actor.as_str(), key.as_str())
                .await;
            match loaded {
                Ok((Some(record), _)) => {
                    return self
                        .replay_record::<A>(key, &stream, &command_hash, record)
                        .await
                }
                Ok((None, loaded)) => preloaded = Some(Ok(loaded)),
                Err(error) => preloaded = Some(Err(error)),
            }
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let loaded = match preloaded.take() {
                Some(loaded) => loaded,
                None => self.store.load_latest(&stream).await,
            };
            let request = Request {
                context,
                stream: &stream,
                expected_version,
                command_hash: &command_hash,
            };
            let result = self
                .try_execute::<A, C>(&request, body.clone(), services, loaded)
                .await;
            // Whenever this attempt lost a race — a conflict, or a taken key — the twin's stored
            // outcome, if there is one, is the answer: a client retrying while its first
            // request is still in flight gets that first outcome. A refusal that a concurrent
            // twin caused ("already closed") lands here too: remembering it finds the key taken.
            // A keyed refusal that reaches this point was remembered: it is the first outcome.
            let lost_race = matches!(
                result,
                Err(ExecuteError::Conflict { .. })
                    | Err(ExecuteError::Store(StoreError::IdempotencyKeyReused { .. }))
            );
            if lost_race {
                if let Some(key) = &context.idempotency_key {
                    if let Some(outcome) = self
                        .replay::<A>(context, key, &stream, &command_hash)
                        .await?
                    {
                        return Ok(outcome);
                    }
                }
            }
            match result {
                Err(ExecuteError::Conflict { .. })
                    if expected_version.is_none() && attempt <= RETRIES_ON_CONFLICT =>
                {
                    continue
                }
                Err(ExecuteError::Store(StoreError::IdempotencyKeyReused { key, .. })) => {
                    // The key is taken, by a command that is not this one.
                    return Err(ExecuteError::IdempotencyKeyReused { key });
                }
                other => return other,
            }
        }
    }

    async fn try_execute<A, C>(
        &self,
        request: &Request<'_>,
        body: C,
        services: &A::Services,
        loaded: Result<Loaded, StoreError>,
    ) -> Result<Outcome<A::Event>, ExecuteError<A::Error>>
    where
        A: Aggregate<Command = Command<C>> + FoldVersion + Scoped,
        A::Error: DomainError,
    {
        let mut folded = self.load_from::<A>(request.stream, loaded).await?;
        let version = folded.version;
        if let Some(expected) = request.expected_version {
            if expected != version {
                return Err(ExecuteError::Conflict {
                    stream: request.stream.clone(),
                    expected,
                    actual: version,
                });
            }
        }
        let now = to_micros(self.clock.now());
        match self.decide(request, body, services, &mut folded, now).await {
            Ok(decided) => {
                if let Some(commit) = decided.commit {
                    self.commit(commit, request.expected_version).await?;
                }
                Ok(decided.outcome)
            }
            Err(ExecuteError::Refused(error)) => {
                // A keyed refusal is kept before it is told, so a repeat cannot succeed later.
                self.remember_refusal(request, version, error.code())
                    .await?;
                Err(ExecuteError::Refused(error))
            }
            Err(other) => Err(other),
        }
    }

    /// Decides `body` on the aggregate as `folded` at `now`, applying the events to it, and
    /// returns the commit that would write them. Writes nothing itself. A refusal leaves the
    /// aggregate as it was: every aggregate's `handle` decides before it applies anything
    /// (the domain's `handling`).
    async fn decide<A, C>(
        &self,
        request: &Request<'_>,
        body: C,
        services: &A::Services,
        folded: &mut Folded<A>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Decided<A::Event>, ExecuteError<A::Error>>
    where
        A: Aggregate<Command = Command<C>> + FoldVersion + Scoped,
        A::Error: DomainError,
    {
        let Request {
            context,
            stream,
            command_hash,
            ..
        } = *request;
        let (aggregate, version) = (&mut folded.aggregate, folded.version);
        let command = Command::new(
            Stamp {
                at: now,
                actor: context.actor.clone(),
            },
            body,
        );
        let sink = EventSink::<A>::default();
        if let Err(error) = aggregate.handle(command, services, &sink).await {
            if let Some(port) = error.unavailable() {
                return Err(ExecuteError::Unavailable(port.clone()));
            }
            return Err(ExecuteError::Refused(error));
        }
        let events = sink.collect().await;
        // Read after the events were applied, so the event that registers a stream already
        // carries where it belongs.
        let scope = aggregate.scope();
        let metadata = serde_json::to_value(Metadata {
            actor: context.actor.as_str().to_owned(),
            correlation_id: context.correlation_id,
            causation_id: context.causation_id,
            trace: context.trace.clone(),
            campaign: scope.campaign.map(|c| c.as_str().to_owned()),
            task_force: scope.task_force.map(|t| t.as_str().to_owned()),
            field: scope.field,
            units: scope.units.iter().map(|u| u.as_str().to_owned()).collect(),
        })
        .map_err(StoreError::from)?;
        let mut new_events = Vec::with_capacity(events.len());
        for event in &events {
            new_events.push(NewEvent {
                event_id: Uuid::now_v7(),
                event_type: event.event_type(),
                schema_version: event.event_version(),
                payload: serde_json::to_value(event).map_err(StoreError::from)?,
                metadata: metadata.clone(),
                recorded_at: now,
            });
        }
        if let Some((event_type, field, pointer)) = nul::find_nul(&new_events) {
            return Err(ExecuteError::NulCharacter {
                stream: stream.clone(),
                event_type,
                field,
                pointer,
            });
        }
        let new_version = version + events.len() as u64;
        let snapshot = if self.snapshot_every > 0
            && (new_version / self.snapshot_every > version / self.snapshot_every
                || folded.snapshot_stale)
        {
            match serde_json::to_value(&*aggregate) {
                Ok(state) => Some(Snapshot {
                    version: new_version,
                    state,
                    fold_version: A::FOLD_VERSION,
                }),
                Err(error) => {
                    // A snapshot is only a shortcut; the command itself stands.
                    tracing::warn!(%stream, %error, "aggregate state cannot be snapshotted");
                    None
                }
            }
        } else {
            None
        };
        let idempotency = context
            .idempotency_key
            .as_ref()
            .map(|key| IdempotencyRecord {
                actor: context.actor.as_str().to_owned(),
                key: key.as_str().to_owned(),
                command_hash: command_hash.to_owned(),
                stream: stream.clone(),
                from_version: version,
                to_version: new_version,
                // When the service remembered the key: retention is the service's business,
                // on the wall clock, even when the domain runs on a simulated one (演练).
                created_at: to_micros(Utc::now()),
                refusal: None,
            });
        let recorded = new_events
            .iter()
            .zip(events)
            .enumerate()
            .map(|(i, (new, event))| Recorded {
                version: version + 1 + i as u64,
                event_id: new.event_id,
                event,
            })
            .collect();
        let commit = (!new_events.is_empty() || idempotency.is_some()).then(|| Commit {
            stream: stream.clone(),
            expected_version: version,
            events: new_events,
            snapshot,
            idempotency,
        });
        Ok(Decided {
            commit,
            outcome: Outcome {
                stream: stream.clone(),
                version: new_version,
                events: recorded,
                replayed: false,
            },
        })
    }

    /// Commits; a stream that moved is a conflict against the caller's expected version.
    async fn commit<E: std::error::Error>(
        &self,
        commit: Commit,
        expected_version: Option<u64>,
    ) -> Result<(), ExecuteError<E>> {
        match self.store.commit(commit).await {
            Ok(_) => Ok(()),
            Err(StoreError::Conflict {
                stream,
                expected,
                actual,
            }) => Err(ExecuteError::Conflict {
                stream,
                expected: expected_version.unwrap_or(expected),
                actual,
            }),
            Err(other) => Err(other.into()),
        }
    }
}
