//! # The log's tail, read once for every subscriber of a process
//!
//! Every SSE stream and webhook subscription follows the log from its own position. Near the
//! head they all want the same few events at the same moment: each change of the head wakes
//! every one of them. Read separately, a hundred streams make a hundred identical queries per
//! commit, and the database spends on them what the writers needed.
//!
//! The tail keeps the most recent events of the log ([`CAPACITY`] of them, dense, in position
//! order) in memory. A reader inside it is served from memory — also a short page, when it
//! reaches the head this process knows of and someone read the log lately; a reader at its
//! end asks for more, and one of them — one at a time — reads the log after the tail's end
//! and appends what it found, while the others wait and then take the same events. A reader
//! behind the tail (catching up from far back) reads the log itself, as before, until it
//! reaches the tail.
//!
//! What a reader is given is exactly what the log holds at those positions: the log is
//! append-only and dense, and the tail appends only the page that follows its last position
//! (a page read by a reader ahead of the window — the window fell behind while nobody read —
//! starts it afresh there), so nothing is lost, repeated or reordered. The events are as the
//! store reads them; what leaves is still the public view, so a sealed field held here never
//! reaches a subscriber.
//!
//! Each event is kept as a [`Tailed`]: with what every subscriber makes of it alike — where it
//! belongs ([`Scope`]) and its CloudEvent with the JSON of it — made once, by the first who
//! asks, instead of once per subscriber. Each subscriber still applies its own filter and read
//! rule to the scope.

use std::collections::VecDeque;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use rectiflow_domain::event::Scope;
use rectiflow_engine::{LoggedEvent, StoreError};
use rectiflow_store::Store;
use tokio::sync::Mutex;
use tokio::time::{Duration, Instant};

use super::audience::scope_of;
use super::cloudevent::CloudEvent;

/// An event's CloudEvent and its JSON, as every channel sends it.
#[derive(Debug)]
pub struct Envelope {
    pub cloud: CloudEvent,
    pub json: String,
}

/// One event of the log with what every subscriber makes of it alike, made once.
#[derive(Debug)]
pub struct Tailed {
    pub event: LoggedEvent,
    scope: OnceLock<Scope>,
    /// The envelope made for a source (the process's), or why the event may not leave.
    envelope: OnceLock<(String, Result<Arc<Envelope>, String>)>,
}

impl Tailed {
    pub fn new(event: LoggedEvent) -> Self {
        Self {
            event,
            scope: OnceLock::new(),
            envelope: OnceLock::new(),
        }
    }

    /// Where the event belongs ([`scope_of`]).
    pub fn scope(&self) -> &Scope {
        self.scope.get_or_init(|| scope_of(&self.event))
    }

    /// The event's envelope as `source` sends it, or why it may not leave (the catalogue's
    /// reason).
    pub fn envelope(&self, source: &str) -> Result<Arc<Envelope>, String> {
        let (made_for, made) = self
            .envelope
            .get_or_init(|| (source.to_owned(), envelope(&self.event, source)));
        if made_for == source {
            made.clone()
        } else {
            envelope(&self.event, source)
        }
    }
}

fn envelope(event: &LoggedEvent, source: &str) -> Result<Arc<Envelope>, String> {
    let cloud = CloudEvent::of(event, source).map_err(|e| e.to_string())?;
    let json = serde_json::to_string(&cloud).map_err(|e| format!("the event as JSON: {e}"))?;
    Ok(Arc::new(Envelope { cloud, json }))
}

/// The fewest events the reader at the end reads on, whatever its own batch: the readers
/// behind it take the rest from memory.
const READ_AHEAD: u32 = 256;

/// How lately a reader must have read on from the log for a short page that reaches the known
/// head to be taken as all there is.
const FRESH: Duration = Duration::from_millis(250);

/// The events kept: enough for every subscriber near the head to read from memory through a
/// burst of commits — a few MiB of JSON for the county's usual events of a few hundred bytes.
pub const CAPACITY: usize = 4_096;

/// The recent events of the log, shared by the process's subscribers.
#[derive(Debug)]
pub struct Tail {
    window: RwLock<VecDeque<Arc<Tailed>>>,
    capacity: usize,
    /// Held by the one reader that reads the log for everyone.
    reading: Mutex<()>,
    /// When a reader last read on from the log: a short page that reaches the head this
    /// process knows of is all there is, provided someone looked lately (the head it knows is
    /// a hint, which a lost notification can leave behind).
    read_on: std::sync::Mutex<Option<Instant>>,
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
            read_on: std::sync::Mutex::new(None),
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
    ) -> Result<Vec<Arc<Tailed>>, StoreError> {
        let wanted = limit as usize;
        // The head as this process knows it when the reader comes: the reader was woken for
        // it (its own wake-up was reset before it asked), and a later one wakes it again.
        let known = *store.watch_head().borrow();
        match self.cached(after, limit) {
            Some(events) if events.len() == wanted || self.reaches(&events, after, known) => {
                return Ok(events)
            }
            None if self.behind(after) => {
                let events = store.read_log(after, limit).await?;
                return Ok(tailed(events));
            }
            // At the window's end, which is the head as known and looked at lately.
            None if self.reaches(&[], after, known) => return Ok(Vec::new()),
            _ => {}
        }
        // At the tail's end, past it (the tail fell behind the head while nobody read), or
        // the tail empty: one reader reads on from here for everyone.
        let _reading = self.reading.lock().await;
        if self.behind(after) {
            // The window moved on past it while it waited: read the log itself, leaving the
            // window where the readers near the head need it.
            let events = store.read_log(after, limit).await?;
            return Ok(tailed(events));
        }
        let mut events = self.cached(after, limit).unwrap_or_default();
        if events.len() == wanted || self.reaches(&events, after, known) {
            return Ok(events); // another reader read on meanwhile
        }
        let from = events.last().map_or(after, |e| e.event.position);
        let more = (wanted - events.len()) as u32;
        let page = store.read_log(from, more.max(READ_AHEAD)).await?;
        *self.read_on.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
        let appended = self.append(from, page);
        events.extend(appended.into_iter().take(more as usize));
        Ok(events)
    }

    /// Whether `events` (read after `after`) reach `known`, the head this process knows of,
    /// and a reader read on from the log within [`FRESH`]: then they are all there is.
    fn reaches(&self, events: &[Arc<Tailed>], after: u64, known: u64) -> bool {
        let end = events.last().map_or(after, |e| e.event.position);
        let fresh = self
            .read_on
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some_and(|at| at.elapsed() < FRESH);
        end >= known && fresh
    }

    /// The events after `after` if the tail holds the next one; `None` when it does not (the
    /// reader is behind the tail, or at or past its end).
    fn cached(&self, after: u64, limit: u32) -> Option<Vec<Arc<Tailed>>> {
        let window = self.window.read().unwrap_or_else(PoisonError::into_inner);
        let first = window.front()?.event.position;
        let last = window.back()?.event.position;
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
            .is_some_and(|first| after + 1 < first.event.position)
    }

    /// Appends `page` (the events after `from`), keeping the window dense: a page that does not
    /// follow the window's end starts it afresh. Returns the page as kept.
    fn append(&self, from: u64, page: Vec<LoggedEvent>) -> Vec<Arc<Tailed>> {
        let page = tailed(page);
        if page.is_empty() {
            return page;
        }
        let mut window = self.window.write().unwrap_or_else(PoisonError::into_inner);
        if window.back().map(|e| e.event.position) != Some(from) {
            window.clear();
        }
        for (expected, event) in (from + 1..).zip(&page) {
            if event.event.position != expected {
                // Not dense (cannot happen with a sound store): keep nothing rather than hand
                // out a gap.
                window.clear();
                return page;
            }
            window.push_back(Arc::clone(event));
        }
        while window.len() > self.capacity {
            window.pop_front();
        }
        page
    }
}

/// Events as the tail hands them out.
fn tailed(events: Vec<LoggedEvent>) -> Vec<Arc<Tailed>> {
    events
        .into_iter()
        .map(|e| Arc::new(Tailed::new(e)))
        .collect()
}

#[cfg(test)]
mod tests;
