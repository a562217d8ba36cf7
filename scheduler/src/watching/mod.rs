//! # Watching: every deadline fact, recorded when it falls due
//!
//! The deadline watcher reads what is due by now from read models indexed by due instant (the
//! [`DueWork`] port: the projections' item, complaint and alert watches, one index range each
//! however many are open) and sends each fact's command to its stream as the schedule
//! `schedule:deadlines`: to an item `RecordAcknowledgementOverdue` (签收 not in time),
//! `RecordDeadlineWarning` (the warning window opened), `RecordOverdue` (逾期) or, once
//! closed, `RecordReinspectionDue` (回头看 owed); to a complaint `RecordResponseMissed`; to a data alert `RecordTriageMissed`. Exactly once comes
//! from the aggregate itself, which records each fact once and refuses it again, not from a
//! schedule stream: any number of processes may watch.
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

/// A fact sent for a row as it stood.
type Asked = (WatchList, String, i64, DueFact);

/// The system actor deadline facts are recorded as.
pub const ACTOR: &str = "schedule:deadlines";

/// What a watch list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WatchList {
    Items,
    Complaints,
    Alerts,
}

impl WatchList {
    pub const ALL: [WatchList; 3] = [WatchList::Items, WatchList::Complaints, WatchList::Alerts];
}

/// A deadline fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DueFact {
    /// An item's 签收 did not come in time.
    AcknowledgementOverdue,
    /// An item's warning window opened.
    DeadlineWarning,
    /// An item's deadline passed (逾期).
    Overdue,
    /// A closed item's re-inspection (回头看) fell due.
    ReinspectionDue,
    /// A complaint's response window passed unanswered.
    ResponseMissed,
    /// A data alert's triage window passed untriaged.
    TriageMissed,
}

/// A stream with facts due, as its watch has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The stream id (an item's code, a complaint's or an alert's id).
    pub stream_id: String,
    /// The earliest armed due instant: the page key, with `item`.
    pub next_due_at: DateTime<Utc>,
    /// The facts due by the instant asked about, in the order the stream records them.
    pub facts: Vec<DueFact>,
    /// The log position of the stream's last event the read model has seen.
    pub position: i64,
}

/// The streams of a watch list with facts due by an instant, earliest first, a page at a time.
pub trait DueWork: Send + Sync {
    fn due(
        &self,
        list: WatchList,
        now: DateTime<Utc>,
        after: Option<(DateTime<Utc>, String)>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Due>, StoreError>> + Send;
}

/// Records deadline facts through an executor (its store and clock).
pub struct Watcher<S, D> {
    exec: Executor<S>,
    services: DomainServices,
    due: D,
    /// Facts sent (recorded or refused) for a row as it stood: (stream, position, fact) —
    /// not sent again before the read model has seen the stream move on.
    asked: Mutex<HashSet<Asked>>,
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
