//! Due work: what the scheduler's deadline watchers look at — for each item, the instants its
//! deadline facts fall due (签收 overdue, the warning window opening, 逾期); for each complaint
//! its response, for each data alert its triage — kept from the instants the events already
//! store, with the earliest armed one in `next_due_at` (indexed), so a watcher reads
//! "everything due by now" as one index range, whatever the number of open items.
//!
//! A watch is armed by the event that sets its instant (assignment, extension, relapse,
//! reassignment) and disarmed by the fact it waits for, or by the item's end (closed,
//! withdrawn). Everything subtler — a clock stopped by a sign-off request, a warning window
//! already closed — is the aggregate's to judge: it refuses a fact it would not record, and
//! the watcher does not ask again about the same row until the stream moves (`position`).

mod alert;
mod complaint;
mod item;
mod query;

#[cfg(test)]
mod tests;

pub use alert::{alerts_due, AlertWatch, AlertWatchRow};
pub use complaint::{complaints_due, ComplaintWatch, ComplaintWatchRow};
pub use item::{items_due, ItemWatch, ItemWatchRow, WatchedFact};

/// The first instant after `now` anything a watch holds falls due: what a driver stepping time
/// by hand moves the clock to next.
pub async fn next_due_after<S: rectiflow_engine::ReadModelStore>(
    store: &S,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, rectiflow_engine::StoreError> {
    let mut next = Vec::new();
    for column in [
        "acknowledgement_due_at",
        "warning_at",
        "overdue_at",
        "reinspection_due_at",
    ] {
        next.push(query::next_after::<S, ItemWatch>(store, column, now).await?);
    }
    next.push(query::next_after::<S, ComplaintWatch>(store, "next_due_at", now).await?);
    next.push(query::next_after::<S, AlertWatch>(store, "next_due_at", now).await?);
    Ok(next.into_iter().flatten().min())
}
