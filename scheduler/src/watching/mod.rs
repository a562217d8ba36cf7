//! # Watching: every item's deadline facts, recorded when they fall due
//!
//! The deadline watcher reads the items whose facts are due by now from a read model indexed
//! by due instant (the [`DueItems`] port: the projections' item watch, one index range however
//! many items are open) and sends each fact's command to its item — `RecordAcknowledgementOverdue`
//! (签收 not in time), `RecordDeadlineWarning` (the warning window opened), `RecordOverdue` (逾期)
//! — as the schedule `schedule:deadlines`. Exactly once comes from the item itself, which
//! records each fact once and refuses it again, not from a schedule stream: any number of
//! processes may watch.
//!
//! The read model only knows when a fact falls due; whether the item records it now (a clock
//! stopped by a sign-off request, a warning window already closed) is the aggregate's to judge.
//! A fact sent — recorded, or refused — is not sent again for the same row until the item
//! moves on (its log position changes): a refusal costs one command, not one per look, and a
//! look before the read model has seen a recorded fact sends nothing twice.

mod look;
pub mod worker;

use std::collections::HashSet;
use std::future::Future;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use rectiflow_domain::services::DomainServices;
use rectiflow_engine::{Executor, StoreError};

pub use look::Watched;

/// The system actor deadline facts are recorded as.
pub const ACTOR: &str = "schedule:deadlines";

/// A deadline fact of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DueFact {
    AcknowledgementOverdue,
    DeadlineWarning,
    Overdue,
}

/// An item with facts due, as the read model has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    /// The item's stream id.
    pub item: String,
    /// The earliest armed due instant: the page key, with `item`.
    pub next_due_at: DateTime<Utc>,
    /// The facts due by the instant asked about, in the order the item records them.
    pub facts: Vec<DueFact>,
    /// The log position of the item's last event the read model has seen.
    pub position: i64,
}

/// The items with facts due by an instant, earliest first, a page at a time.
pub trait DueItems: Send + Sync {
    fn due(
        &self,
        now: DateTime<Utc>,
        after: Option<(DateTime<Utc>, String)>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<DueItem>, StoreError>> + Send;
}

/// Records the items' deadline facts through an executor (its store and clock).
pub struct Watcher<S, D> {
    exec: Executor<S>,
    services: DomainServices,
    due: D,
    /// Facts sent (recorded or refused) for a row as it stood: (item, position, fact) — not
    /// sent again before the read model has seen the item move on.
    asked: Mutex<HashSet<(String, i64, DueFact)>>,
    page: u32,
}

impl<S, D> Watcher<S, D> {
    pub fn new(exec: Executor<S>, services: DomainServices, due: D) -> Self {
        Self {
            exec,
            services,
            due,
            asked: Mutex::new(HashSet::new()),
            page: 500,
        }
    }

    /// Rows read per page (500 unless set).
    pub fn with_page(mut self, page: u32) -> Self {
        self.page = page.max(1);
        self
    }

    pub fn executor(&self) -> &Executor<S> {
        &self.exec
    }
}
