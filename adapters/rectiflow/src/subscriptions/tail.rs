//! # The log's tail, read once for every subscriber of a process
//!
//! Every SSE stream and webhook subscription follows the log from its own position. Near the
//! head they all want the same few events at the same moment: each change of the head wakes
//! every one of them. Read separately, a hundred streams make a hundred identical queries per
//! commit, and the database spends on them what the writers needed.
//!
//! The tail keeps the most recent events of the log ([`CAPACITY`] of them, dense, in position
//! order) in memory. A reader inside it is served from memory; a reader at its end asks for
//! more, and one of them — one at a time — reads the log after the tail's end and appends what
//! it found, while the others wait and then take the same events. A reader behind the tail
//! (catching up from far back) reads the log itself, as before, until it reaches the tail.
//! What a reader is given is exactly what the log holds at those positions: the log is
//! append-only and dense, and the tail appends only the page that follows its last position —
//! a page read by a reader ahead of the window (the window fell behind while nobody read)
//! starts it afresh there — so nothing is lost, repeated or reordered. The events are as the store reads
//! them; what leaves is still each subscriber's public view, made per subscriber, so a sealed
//! field held here never reaches a subscriber.

use std::collections::VecDeque;
use std::sync::{Arc, PoisonError, RwLock};

use rectiflow_engine::{LoggedEvent, StoreError};
use rectiflow_store::Store;
use tokio::sync::Mutex;

/// The fewest events the reader at the end reads on, whatever its own batch: the readers
/// behind it take the rest from memory.
const READ_AHEAD: u32 = 256;

/// The events kept: enough for every subscriber near the head to read from memory through a
/// burst of commits — a few MiB of JSON for the county's usual events of a few hundred bytes.
pub const CAPACITY: usize = 4_096;

/// The recent events of the log, shared by the process's subscribers.
#[derive(Debug)]
pub struct Tail {
    window: RwLock<VecDeque<Arc<LoggedEvent>>>,
    capacity: usize,
    /// Held by the one reader that reads the log for everyone.
    reading: Mutex<()>,
}

impl Default for Tail {
    fn default() -> Self {
        Self::new(CAPACITY)
    }
}

impl Tail {
    /// A tail keeping up to `capacity` events.
    pub fn new(capacity: usize) -> Self {
        Self {
            window: RwLock::default(),
            capacity: capacity.max(1),
            reading: Mutex::new(()),
        }
    }

    /// Up to `limit` events of the log after position `after`, from the tail when it holds
    /// them, else from the store. Fewer than `limit` only when the log holds no more: a page
    /// the window cuts short is filled by reading on, so a reader that gets a short page is
    /// at the head, as [`crate::subscriptions::follow::Page::read`] tells its callers.
    pub async fn read<S: Store>(
        &self,
        store: &S,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Arc<LoggedEvent>>, StoreError> {
        let wanted = limit as usize;
        match self.cached(after, limit) {
            Some(events) if events.len() == wanted => return Ok(events),
            None if self.behind(after) => {
                let events = store.read_log(after, limit).await?;
                return Ok(events.into_iter().map(Arc::new).collect());
            }
            _ => {}
        }
        // At the tail's end, past it (the tail fell behind the head while nobody read), or
        // the tail empty: one reader reads on from here for everyone.
        let _reading = self.reading.lock().await;
        if self.behind(after) {
            // The window moved on past it while it waited: read the log itself, leaving the
            // window where the readers near the head need it.
            let events = store.read_log(after, limit).await?;
            return Ok(events.into_iter().map(Arc::new).collect());
        }
        let mut events = self.cached(after, limit).unwrap_or_default();
        if events.len() == wanted {
            return Ok(events); // another reader read on meanwhile
        }
        let from = events.last().map_or(after, |e| e.position);
        let more = (wanted - events.len()) as u32;
        let page = store.read_log(from, more.max(READ_AHEAD)).await?;
        self.append(from, &page);
        events.extend(page.into_iter().take(more as usize).map(Arc::new));
        Ok(events)
    }

    /// The events after `after` if the tail holds the next one; `None` when it does not (the
    /// reader is behind the tail, or at or past its end).
    fn cached(&self, after: u64, limit: u32) -> Option<Vec<Arc<LoggedEvent>>> {
        let window = self.window.read().unwrap_or_else(PoisonError::into_inner);
        let first = window.front()?.position;
        let last = window.back()?.position;
        if after < first.saturating_sub(1) || after >= last {
            return None;
        }
        let skip = usize::try_from(after + 1 - first).ok()?;
        Some(
            window
                .iter()
                .skip(skip)
                .take(limit as usize)
                .cloned()
                .collect(),
        )
    }

    /// Whether `after` lies before what the tail holds (so the log is read directly).
    fn behind(&self, after: u64) -> bool {
        self.window
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .front()
            .is_some_and(|first| after + 1 < first.position)
    }

    /// Appends `page` (the events after `from`), keeping the window dense: a page that does not
    /// follow the window's end starts it afresh.
    fn append(&self, from: u64, page: &[LoggedEvent]) {
        if page.is_empty() {
            return;
        }
        let mut window = self.window.write().unwrap_or_else(PoisonError::into_inner);
        if window.back().map(|e| e.position) != Some(from) {
            window.clear();
        }
        for (expected, event) in (from + 1..).zip(page) {
            if event.position != expected {
                // Not dense (cannot happen with a sound store): keep nothing rather than hand
                // out a gap.
                window.clear();
                return;
            }
            window.push_back(Arc::new(event.clone()));
        }
        while window.len() > self.capacity {
            window.pop_front();
        }
    }
}

#[cfg(test)]
mod tests;
