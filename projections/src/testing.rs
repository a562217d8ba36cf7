//! What the folds' tests share: a log entry around an event, as a fold sees it.

use chrono::{TimeZone, Utc};
use rectiflow_engine::{LoggedEvent, RecordedEvent, StreamRef};

/// The `position`-th event of the stream `stream_type`/`stream_id`: only its place in the log
/// and its stream matter to a fold (events carry their own instants).
pub fn logged(stream_type: &str, stream_id: &str, position: u64) -> LoggedEvent {
    LoggedEvent {
        position,
        hash: String::new(),
        event: RecordedEvent {
            stream: StreamRef::new(stream_type, stream_id),
            stream_version: position,
            event_id: Default::default(),
            event_type: String::new(),
            schema_version: "1".into(),
            payload: serde_json::Value::Null,
            metadata: serde_json::Value::Null,
            recorded_at: Utc.timestamp_opt(0, 0).single().unwrap_or_default(),
        },
    }
}
