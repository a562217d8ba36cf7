//! The deadline watcher `serve` runs: what is due read from the projections' item, complaint
//! and alert watches ([`items_due`], [`complaints_due`], [`alerts_due`]), each fact sent with
//! the policies' ports.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rectiflow_engine::{StoreError, Worker};
use rectiflow_projections::due_work::{alerts_due, complaints_due, items_due, WatchedFact};
use rectiflow_projections::policies::roster::PolicyPorts;
use rectiflow_scheduler::watching::{self, Due, DueFact, DueWork, WatchList, Watcher};
use rectiflow_store::Store;

/// The worker's name in the supervisor and the logs.
pub const WORKER: &str = "deadline-watcher";

/// The projections' watches as the watcher's port.
pub struct Watches<S> {
    store: S,
}

impl<S: Store> DueWork for Watches<S> {
    async fn due(
        &self,
        list: WatchList,
        now: DateTime<Utc>,
        after: Option<(DateTime<Utc>, String)>,
        limit: u32,
    ) -> Result<Vec<Due>, StoreError> {
        let after = after.as_ref().map(|(at, id)| (*at, id.as_str()));
        let store = &self.store;
        let due = |stream_id: String, next: Option<DateTime<Utc>>, facts, position| {
            next.map(|next_due_at| Due {
                stream_id,
                next_due_at,
                facts,
                position,
            })
        };
        Ok(match list {
            WatchList::Items => items_due(store, now, after, limit)
                .await?
                .into_iter()
                .filter_map(|row| {
                    let facts = row.due_by(now).into_iter().map(item_fact).collect();
                    due(row.item, row.next_due_at, facts, row.position)
                })
                .collect(),
            WatchList::Complaints => complaints_due(store, now, after, limit)
                .await?
                .into_iter()
                .filter_map(|row| {
                    let facts = vec![DueFact::ResponseMissed];
                    due(row.complaint, row.next_due_at, facts, row.position)
                })
                .collect(),
            WatchList::Alerts => alerts_due(store, now, after, limit)
                .await?
                .into_iter()
                .filter_map(|row| {
                    let facts = vec![DueFact::TriageMissed];
                    due(row.alert, row.next_due_at, facts, row.position)
                })
                .collect(),
        })
    }
}

fn item_fact(fact: WatchedFact) -> DueFact {
    match fact {
        WatchedFact::AcknowledgementOverdue => DueFact::AcknowledgementOverdue,
        WatchedFact::DeadlineWarning => DueFact::DeadlineWarning,
        WatchedFact::Overdue => DueFact::Overdue,
        WatchedFact::ReinspectionDue => DueFact::ReinspectionDue,
    }
}

/// The watcher on the policies' ports (their executor, clock and services).
pub fn watcher<S: Store>(ports: &PolicyPorts<S>) -> Watcher<S, Watches<S>> {
    let due = Watches {
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
