//! Reading the log for one subscriber: the events after its position that its filter asks for
//! and its principal may follow, as CloudEvents, a batch at a time. Every channel reads the
//! log this way; what differs is how it waits for more and where it keeps its position.

use std::sync::Arc;

use rectiflow_store::Store;
use uuid::Uuid;

use super::audience::Audience;
use super::filter::Filter;
use super::tail::{Envelope, Tail};
use crate::api::problem::Problem;

/// An event a subscriber is owed.
#[derive(Debug, Clone)]
pub enum Outgoing {
    /// Its CloudEvent and the JSON of it, made once per process ([`Tail`]).
    Event(Arc<Envelope>),
    /// One the catalogue cannot publish (a type or schema version it does not know, a payload
    /// not tagged with its variant): it never leaves half-sealed, and the channel says so —
    /// a webhook parks it (or pauses), a stream passes it over with a warning and a count.
    Unpublished {
        position: u64,
        event_id: Uuid,
        reason: String,
    },
}

impl Outgoing {
    pub fn position(&self) -> u64 {
        match self {
            Self::Event(event) => event.cloud.position.parse().unwrap_or_default(),
            Self::Unpublished { position, .. } => *position,
        }
    }
}

/// The events of one log batch a subscriber is owed, and how far the batch read.
#[derive(Debug, Default)]
pub struct Page {
    pub events: Vec<Outgoing>,
    /// The position of the last event read, owed or passed over (the cursor moves past what
    /// the filter or the audience left out, so it is not read again).
    pub read_to: u64,
    /// How many events the log batch held: fewer than asked for means the reader is at the
    /// head.
    pub read: usize,
}

/// Reads up to `limit` events after `after` (through the process's [`Tail`]) and keeps those
/// `filter` and `audience` admit.
pub async fn page<S: Store>(
    tail: &Tail,
    store: &S,
    after: u64,
    limit: u32,
    filter: &Filter,
    audience: &mut Audience<'_, S>,
    source: &str,
) -> Result<Page, Problem> {
    let batch = tail
        .read(store, after, limit)
        .await
        .map_err(|e| Problem::unavailable(e.to_string()))?;
    let mut page = Page {
        events: Vec::new(),
        read_to: after,
        read: batch.len(),
    };
    for tailed in &batch {
        let event = &tailed.event;
        page.read_to = event.position;
        let scope = tailed.scope();
        if !filter.admits(event, scope) || !audience.admits(event, scope).await? {
            continue;
        }
        page.events.push(match tailed.envelope(source) {
            Ok(envelope) => Outgoing::Event(envelope),
            Err(unpublished) => {
                metrics::counter!("rectiflow_events_unpublished_total").increment(1);
                tracing::warn!(
                    position = event.position,
                    %unpublished,
                    "an event the catalogue cannot publish is not sent"
                );
                Outgoing::Unpublished {
                    position: event.position,
                    event_id: event.event.event_id,
                    reason: unpublished,
                }
            }
        });
    }
    Ok(page)
}
