//! The command executor: load → check the expected version → `handle` → commit.
//!
//! Ours rather than cqrs-es's `CqrsFramework`, which takes no expected version, returns
//! nothing, and (through `PersistedEventStore`) applies events a second time when it snapshots:
//! `EventSink::write` already applied them, so a counter committed 13 times reloads as 21.
//! Here the snapshot is the aggregate exactly as it stands after `handle`, and the events, the
//! snapshot and the idempotency record are committed in one transaction.

use std::collections::BTreeMap;
use std::sync::Arc;

use cqrs_es::event_sink::EventSink;
use cqrs_es::persist::{EventUpcaster, SerializedEvent};
use cqrs_es::{Aggregate, DomainEvent};
use rectiflow_domain::clock::Clock;
use rectiflow_domain::values::PersonId;
use rectiflow_domain::{Addressed, Command, Stamp};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::chain::canonical_json;
use crate::error::StoreError;
use crate::model::{
    to_micros, Commit, IdempotencyRecord, LoggedEvent, Metadata, NewEvent, RecordedEvent, Snapshot,
    StreamRef, TraceContext,
};
use crate::store::{EventStore, Loaded};

/// How many times a command without an expected version is retried after losing a race.
const RETRIES_ON_CONFLICT: usize = 3;

/// A client-chosen key that makes a command safe to send twice (`Idempotency-Key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// 1 to 255 visible ASCII characters.
    pub fn parse(value: impl Into<String>) -> Result<Self, String> {
        let value = value.into();
        if value.is_empty() || value.len() > 255 || !value.chars().all(|c| c.is_ascii_graphic()) {
            return Err(format!(
                "idempotency key {value:?} must be 1 to 255 visible ASCII characters"
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who sends a command and in which conversation; stamped into every event's metadata.
#[derive(Debug, Clone)]
pub struct CommandContext {
    pub actor: PersonId,
    pub correlation_id: Option<Uuid>,
    pub causation_id: Option<Uuid>,
    pub trace: Option<TraceContext>,
    pub campaign_id: Option<String>,
    pub idempotency_key: Option<IdempotencyKey>,
}

impl CommandContext {
    pub fn new(actor: PersonId) -> Self {
        Self {
            actor,
            correlation_id: None,
            causation_id: None,
            trace: None,
            campaign_id: None,
            idempotency_key: None,
        }
    }

    pub fn with_idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }
}

/// An event of a stream, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded<E> {
    pub version: u64,
    pub event_id: Uuid,
    pub event: E,
}

/// What a command did.
#[derive(Debug, Clone)]
pub struct Outcome<E> {
    pub stream: StreamRef,
    /// The stream's version after the command.
    pub version: u64,
    pub events: Vec<Recorded<E>>,
    /// True when this is the stored outcome of an earlier command with the same idempotency
    /// key: nothing was written this time.
    pub replayed: bool,
}

/// Why a command was not carried out.
#[derive(Debug, thiserror::Error)]
pub enum ExecuteError<E: std::error::Error> {
    /// The aggregate refused the command (a domain rule).
    #[error(transparent)]
    Rejected(E),
    /// The stream is not at the version the caller expected.
    #[error("conflict on {stream}: expected version {expected}, actual {actual}")]
    Conflict {
        stream: StreamRef,
        expected: u64,
        actual: u64,
    },
    #[error("idempotency key {key:?} was already used for a different command")]
    IdempotencyKeyReused { key: String },
    /// The command names another stream than the one it was sent to.
    #[error("the command is for {named}, not for {stream}")]
    WrongStream { stream: StreamRef, named: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One attempt's fixed facts: who asks what of which stream.
#[derive(Clone, Copy)]
struct Request<'a> {
    context: &'a CommandContext,
    stream: &'a StreamRef,
    expected_version: Option<u64>,
    command_hash: &'a str,
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

    /// Snapshot every `n` events (0 turns snapshots off).
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

    /// The aggregate `stream_id` of type `A` and its version (0 and the default state if the
    /// stream has no events).
    pub async fn load<A: Aggregate>(&self, stream_id: &str) -> Result<(A, u64), StoreError> {
        let stream = StreamRef::new(A::TYPE, stream_id);
        let loaded = self.store.load_latest(&stream).await;
        self.load_from::<A>(&stream, loaded).await
    }

    /// Folds what was loaded of `stream` into the aggregate.
    async fn load_from<A: Aggregate>(
        &self,
        stream: &StreamRef,
        loaded: Result<Loaded, StoreError>,
    ) -> Result<(A, u64), StoreError> {
        let stream = stream.clone();
        let (snapshot, mut events) = match loaded {
            Ok(loaded) => loaded,
            // A snapshot is only a shortcut: if it cannot be read, replay the events alone (a
            // fault that is not the snapshot's shows up again here and is returned).
            Err(error) => {
                tracing::warn!(%stream, %error, "loading with the snapshot failed; replaying");
                (None, self.store.load_events(&stream, 0).await?)
            }
        };
        let (mut aggregate, mut version) = match snapshot {
            Some(snapshot) => match serde_json::from_value::<A>(snapshot.state) {
                Ok(aggregate) => (aggregate, snapshot.version),
                Err(error) => {
                    // The aggregate's shape changed since the snapshot: replay from the start.
                    tracing::warn!(%stream, %error, "snapshot unreadable; replaying the stream");
                    events = self.store.load_events(&stream, 0).await?;
                    (A::default(), 0)
                }
            },
            None => (A::default(), 0),
        };
        for recorded in events {
            version = recorded.stream_version;
            aggregate.apply(self.decode::<A>(recorded)?.event);
        }
        Ok((aggregate, version))
    }

    /// Decodes a stored event of `A`, upcasting old schema versions first.
    pub fn decode<A: Aggregate>(
        &self,
        recorded: RecordedEvent,
    ) -> Result<Recorded<A::Event>, StoreError> {
        let location = format!(
            "{} version {} (event {})",
            recorded.stream, recorded.stream_version, recorded.event_id
        );
        let mut serialized = SerializedEvent {
            aggregate_id: recorded.stream.stream_id,
            sequence: usize::try_from(recorded.stream_version).unwrap_or(usize::MAX),
            aggregate_type: recorded.stream.stream_type,
            event_type: recorded.event_type,
            event_version: recorded.schema_version,
            payload: recorded.payload,
            metadata: recorded.metadata,
        };
        if let Some(upcasters) = self.upcasters.get(A::TYPE) {
            for upcaster in upcasters {
                if upcaster.can_upcast(&serialized.event_type, &serialized.event_version) {
                    serialized = upcaster.upcast(serialized);
                }
            }
        }
        let event: A::Event = serde_json::from_value(serialized.payload).map_err(|e| {
            StoreError::corrupt(
                &location,
                format!(
                    "not a {} event of type {}: {e}",
                    A::TYPE,
                    serialized.event_type
                ),
            )
        })?;
        if event.event_type() != serialized.event_type {
            return Err(StoreError::corrupt(
                &location,
                format!(
                    "stored as {} but the payload is a {}",
                    serialized.event_type,
                    event.event_type()
                ),
            ));
        }
        Ok(Recorded {
            version: recorded.stream_version,
            event_id: recorded.event_id,
            event,
        })
    }

    /// Decodes an event read from the global log; an error names its log position.
    pub fn decode_logged<A: Aggregate>(
        &self,
        logged: &LoggedEvent,
    ) -> Result<Recorded<A::Event>, StoreError> {
        self.decode::<A>(logged.event.clone())
            .map_err(|error| match error {
                StoreError::Corrupt { location, reason } => StoreError::Corrupt {
                    location: format!("log position {} ({location})", logged.position),
                    reason,
                },
                other => other,
            })
    }

    /// Executes `body` on aggregate `stream_id`. With `expected_version`, the stream must be at
    /// exactly that version; without, the command applies to the latest state and is retried
    /// if another writer commits first.
    #[tracing::instrument(skip_all, fields(aggregate = A::TYPE, stream_id))]
    pub async fn execute<A, C>(
        &self,
        context: &CommandContext,
        stream_id: &str,
        expected_version: Option<u64>,
        body: C,
        services: &A::Services,
    ) -> Result<Outcome<A::Event>, ExecuteError<A::Error>>
    where
        A: Aggregate<Command = Command<C>>,
        C: Serialize + Clone + Addressed,
    {
        let stream = StreamRef::new(A::TYPE, stream_id);
        if let Some(named) = body.addressed_to() {
            if named != stream_id {
                return Err(ExecuteError::WrongStream {
                    stream,
                    named: named.to_owned(),
                });
            }
        }
        let command_hash = command_hash(&stream, &body)?;
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
            // Whenever this attempt lost a race — a conflict, a taken key, or a refusal that a
            // concurrent twin of this keyed command may have caused ("already closed") — the
            // twin's stored outcome, if there is one, is the answer: a client retrying while
            // its first request is still in flight gets that first outcome.
            let lost_race = matches!(
                result,
                Err(ExecuteError::Conflict { .. })
                    | Err(ExecuteError::Rejected(_))
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

    async fn replay<A: Aggregate>(
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

    /// The stored outcome of the command that took `key` — if it was this same command.
    async fn replay_record<A: Aggregate>(
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

    async fn try_execute<A, C>(
        &self,
        request: &Request<'_>,
        body: C,
        services: &A::Services,
        loaded: Result<Loaded, StoreError>,
    ) -> Result<Outcome<A::Event>, ExecuteError<A::Error>>
    where
        A: Aggregate<Command = Command<C>>,
    {
        let Request {
            context,
            stream,
            expected_version,
            command_hash,
        } = *request;
        let (mut aggregate, version) = self.load_from::<A>(stream, loaded).await?;
        if let Some(expected) = expected_version {
            if expected != version {
                return Err(ExecuteError::Conflict {
                    stream: stream.clone(),
                    expected,
                    actual: version,
                });
            }
        }
        let now = to_micros(self.clock.now());
        let command = Command::new(
            Stamp {
                at: now,
                actor: context.actor.clone(),
            },
            body,
        );
        let sink = EventSink::<A>::default();
        aggregate
            .handle(command, services, &sink)
            .await
            .map_err(ExecuteError::Rejected)?;
        let events = sink.collect().await;
        let metadata = serde_json::to_value(Metadata {
            actor: context.actor.as_str().to_owned(),
            correlation_id: context.correlation_id,
            causation_id: context.causation_id,
            trace: context.trace.clone(),
            campaign_id: context.campaign_id.clone(),
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
        let new_version = version + events.len() as u64;
        let snapshot = if self.snapshot_every > 0
            && new_version / self.snapshot_every > version / self.snapshot_every
        {
            match serde_json::to_value(&aggregate) {
                Ok(state) => Some(Snapshot {
                    version: new_version,
                    state,
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
                created_at: now,
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
        if !new_events.is_empty() || idempotency.is_some() {
            let commit = Commit {
                stream: stream.clone(),
                expected_version: version,
                events: new_events,
                snapshot,
                idempotency,
            };
            match self.store.commit(commit).await {
                Ok(_) => {}
                Err(StoreError::Conflict {
                    stream,
                    expected,
                    actual,
                }) => {
                    return Err(ExecuteError::Conflict {
                        stream,
                        expected: expected_version.unwrap_or(expected),
                        actual,
                    })
                }
                Err(other) => return Err(other.into()),
            }
        }
        Ok(Outcome {
            stream: stream.clone(),
            version: new_version,
            events: recorded,
            replayed: false,
        })
    }
}

fn command_hash<C: Serialize>(stream: &StreamRef, body: &C) -> Result<String, StoreError> {
    let body = serde_json::to_value(body)?;
    let mut hasher = Sha256::new();
    hasher.update(stream.stream_type.as_bytes());
    hasher.update([0]);
    hasher.update(stream.stream_id.as_bytes());
    hasher.update([0]);
    hasher.update(canonical_json(&body));
    Ok(hex::encode(hasher.finalize()))
}
