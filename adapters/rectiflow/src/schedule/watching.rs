//! The deadline watcher `serve` runs: the items due read from the projections' item watch
//! ([`items_due`]), their facts sent with the policies' ports.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rectiflow_engine::{StoreError, Worker};
use rectiflow_projections::due_work::{items_due, WatchedFact};
use rectiflow_projections::policies::roster::PolicyPorts;
use rectiflow_scheduler::watching::{self, DueFact, DueItem, DueItems, Watcher};
use rectiflow_store::Store;

/// The worker's name in the supervisor and the logs.
pub const WORKER: &str = "deadline-watcher";

/// The item watch as the watcher's port.
pub struct ItemWatchDue<S> {
    store: S,
}

impl<S: Store> DueItems for ItemWatchDue<S> {
    async fn due(
        &self,
        now: DateTime<Utc>,
        after: Option<(DateTime<Utc>, String)>,
        limit: u32,
    ) -> Result<Vec<DueItem>, StoreError> {
        let after = after.as_ref().map(|(at, item)| (*at, item.as_str()));
        let rows = items_due(&self.store, now, after, limit).await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let facts = row
                    .due_by(now)
                    .into_iter()
                    .map(|fact| match fact {
                        WatchedFact::AcknowledgementOverdue => DueFact::AcknowledgementOverdue,
                        WatchedFact::DeadlineWarning => DueFact::DeadlineWarning,
                        WatchedFact::Overdue => DueFact::Overdue,
                    })
                    .collect();
                Some(DueItem {
                    next_due_at: row.next_due_at?,
                    item: row.item,
                    facts,
                    position: row.position,
                })
            })
            .collect())
    }
}

/// The watcher on the policies' ports (their executor, clock and services).
pub fn watcher<S: Store>(ports: &PolicyPorts<S>) -> Watcher<S, ItemWatchDue<S>> {
    let due = ItemWatchDue {
        store: ports.exec.store().clone(),
    };
    Watcher::new(ports.exec.clone(), ports.services.clone(), due)
}

/// The supervised worker running the watcher's loop every `poll`.
pub fn worker<S: Store>(ports: &PolicyPorts<S>, poll: Duration) -> Worker {
    let watcher = Arc::new(watcher(ports));
    Worker::restarting(WORKER, move |shutdown| {
        watching::worker::run(Arc::clone(&watcher), poll, shutdown)
    })
}
