//! Aggregates followed at their latest version without reloading them whole.
//!
//! The ports every command consults — the organisation (roles), the campaigns (settings), the
//! county's calendar — must be read at their latest version, never a lagging view. Loading
//! such a stream costs its snapshot and up to a hundred events, decoded and folded, on every
//! command. A [`Followed`] keeps the last state it folded and its version, and asks the store
//! only for the events after that version: none, usually (one short query), else just the new
//! ones, applied to a copy. Still the latest version — the store is asked every time — at the
//! price of one indexed read that returns nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cqrs_es::Aggregate;
use rectiflow_domain::FoldVersion;

use super::Executor;
use crate::error::StoreError;
use crate::model::StreamRef;
use crate::store::EventStore;

/// The aggregates of type `A` read so far, by stream id, each with the version it stands at.
pub struct Followed<A> {
    last: Mutex<HashMap<String, (Arc<A>, u64)>>,
}

impl<A> Default for Followed<A> {
    fn default() -> Self {
        Self {
            last: Mutex::new(HashMap::new()),
        }
    }
}

impl<A: Aggregate + FoldVersion + Clone> Followed<A> {
    /// Aggregate `stream_id` at its latest version.
    pub async fn latest<S: EventStore>(
        &self,
        executor: &Executor<S>,
        stream_id: &str,
    ) -> Result<Arc<A>, StoreError> {
        let known = self
            .last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(stream_id)
            .cloned();
        let (aggregate, version) = match known {
            None => {
                let (aggregate, version) = executor.load::<A>(stream_id).await?;
                (Arc::new(aggregate), version)
            }
            Some((aggregate, version)) => {
                let stream = StreamRef::new(A::TYPE, stream_id);
                let newer = executor.store().load_events(&stream, version).await?;
                if newer.is_empty() {
                    return Ok(aggregate);
                }
                let mut folded = (*aggregate).clone();
                let mut at = version;
                for recorded in newer {
                    at = recorded.stream_version;
                    folded.apply(executor.decode::<A>(recorded)?.event);
                }
                (Arc::new(folded), at)
            }
        };
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Another caller may have read a later version meanwhile: keep the later. A stream
        // with no events is not kept: the ids asked for come from commands, and remembering
        // every unknown one would grow without bound.
        match last.get(stream_id) {
            Some((_, kept)) if *kept > version => {}
            _ if version == 0 => {}
            _ => {
                last.insert(stream_id.to_owned(), (Arc::clone(&aggregate), version));
            }
        }
        Ok(aggregate)
    }
}
