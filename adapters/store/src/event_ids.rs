//! Event ids are unique in the log on both backends (PostgreSQL's migration 0003; SQLite's
//! 0001, with 0003 keeping one spelling per UUID). A commit that repeats one is refused alike
//! on both as [`StoreError::DuplicateEventId`](rectiflow_engine::StoreError::DuplicateEventId),
//! naming the id: the unique key finds the fault, then the backend looks for the id it tripped
//! on — first within the commit, then among the stored events.

use std::collections::HashSet;

use rectiflow_engine::model::NewEvent;
use uuid::Uuid;

/// The first id that appears twice among `events`, if any.
pub(crate) fn repeated_within(events: &[NewEvent]) -> Option<Uuid> {
    let mut seen = HashSet::with_capacity(events.len());
    events
        .iter()
        .map(|event| event.event_id)
        .find(|id| !seen.insert(*id))
}

/// The first id that appears twice among the events of `commits` (one batch), if any.
pub(crate) fn repeated_across(commits: &[rectiflow_engine::model::Commit]) -> Option<Uuid> {
    let mut seen = HashSet::new();
    commits
        .iter()
        .flat_map(|commit| commit.events.iter().map(|event| event.event_id))
        .find(|id| !seen.insert(*id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn event(id: Uuid) -> NewEvent {
        NewEvent {
            event_id: id,
            event_type: "Added".into(),
            schema_version: "1.0".into(),
            payload: serde_json::Value::Null,
            metadata: serde_json::Value::Null,
            recorded_at: Utc::now(),
        }
    }

    #[test]
    fn finds_the_first_repeated_id() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(repeated_within(&[event(a), event(b)]), None);
        assert_eq!(
            repeated_within(&[event(a), event(b), event(b), event(a)]),
            Some(b)
        );
    }
}
