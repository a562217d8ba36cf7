//! Loading an aggregate: the snapshot and the events after it, upcast and decoded.

use chrono::{DateTime, Utc};
use cqrs_es::persist::SerializedEvent;
use cqrs_es::{Aggregate, DomainEvent};
use rectiflow_domain::FoldVersion;

use super::{Executor, Recorded};
use crate::error::StoreError;
use crate::model::{LoggedEvent, RecordedEvent, StreamRef};
use crate::store::{EventStore, Loaded};

/// An aggregate as loaded: its state, its version, and whether the stored snapshot was passed
/// over (unreadable, or made by another fold), so the next commit should replace it.
pub(super) struct Folded<A> {
    pub aggregate: A,
    pub version: u64,
    pub snapshot_stale: bool,
}

impl<S: EventStore> Executor<S> {
    /// The aggregate `stream_id` of type `A` and its version (0 and the default state if the
    /// stream has no events).
    pub async fn load<A: Aggregate + FoldVersion>(
        &self,
        stream_id: &str,
    ) -> Result<(A, u64), StoreError> {
        let stream = StreamRef::new(A::TYPE, stream_id);
        let loaded = self.store.load_latest(&stream).await;
        let folded = self.load_from::<A>(&stream, loaded).await?;
        Ok((folded.aggregate, folded.version))
    }

    /// The aggregate `stream_id` of type `A` as it stood at `as_of` — its events recorded at
    /// or before that instant, folded from the first (a snapshot is of the latest version) —
    /// and its version then (0 and the default state if it did not exist yet). Time travel
    /// for reads: the instant is the one each event was stamped with (the domain's clock, so a
    /// rehearsal travels in its own time).
    pub async fn load_as_of<A: Aggregate>(
        &self,
        stream_id: &str,
        as_of: DateTime<Utc>,
    ) -> Result<(A, u64), StoreError> {
        let stream = StreamRef::new(A::TYPE, stream_id);
        let events = self.store.load_events(&stream, 0).await?;
        let mut aggregate = A::default();
        let mut version = 0;
        for recorded in events.into_iter().take_while(|e| e.recorded_at <= as_of) {
            version = recorded.stream_version;
            aggregate.apply(self.decode::<A>(recorded)?.event);
        }
        Ok((aggregate, version))
    }

    /// Folds what was loaded of `stream` into the aggregate. A snapshot is used only if it was
    /// made by this fold ([`FoldVersion`]) and still reads as the aggregate; otherwise the
    /// stream is replayed from its first event.
    pub(super) async fn load_from<A: Aggregate + FoldVersion>(
        &self,
        stream: &StreamRef,
        loaded: Result<Loaded, StoreError>,
    ) -> Result<Folded<A>, StoreError> {
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
        let mut snapshot_stale = false;
        let (mut aggregate, mut version) = match snapshot {
            Some(snapshot) if snapshot.fold_version != A::FOLD_VERSION => {
                // Made by another fold: its state holds that fold's results, not this one's.
                tracing::info!(%stream, snapshot = snapshot.fold_version, fold = A::FOLD_VERSION,
                    "snapshot made by another fold version; replaying the stream");
                snapshot_stale = true;
                events = self.store.load_events(&stream, 0).await?;
                (A::default(), 0)
            }
            Some(snapshot) => match serde_json::from_value::<A>(snapshot.state) {
                Ok(aggregate) => (aggregate, snapshot.version),
                Err(error) => {
                    // The aggregate's shape changed since the snapshot: replay from the start.
                    tracing::warn!(%stream, %error, "snapshot unreadable; replaying the stream");
                    snapshot_stale = true;
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
        Ok(Folded {
            aggregate,
            version,
            snapshot_stale,
        })
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
}
