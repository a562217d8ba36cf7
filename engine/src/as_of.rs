//! "As of T" (time travel, DOMAIN.md "Publications as facts"): the log position P that stood
//! at an instant — the last position recorded at or before T.
//!
//! Found by bisection over the log, one event read per step (≈ 20 reads for a million
//! events), with no index of its own: positions are assigned in commit order, and an event's
//! recorded instant is its command's stamp, so recorded instants rise with positions — up to
//! the few milliseconds by which two concurrent writers' stamps can cross their commit order.
//! Within that margin P is the boundary of the ascending run, which is what an "as of"
//! question to the second can mean.

use chrono::{DateTime, Utc};

use crate::error::StoreError;
use crate::store::EventStore;

/// The last log position whose event was recorded at or before `instant` (0 if none was).
pub async fn position_at<S: EventStore>(
    store: &S,
    instant: DateTime<Utc>,
) -> Result<u64, StoreError> {
    // Invariant: the event at `low` (or the empty log's start, 0) was recorded at or before
    // `instant`; every position above `high` after it.
    let (mut low, mut high) = (0, store.head().await?);
    while low < high {
        let middle = low + (high - low).div_ceil(2);
        let recorded_at = match store.read_log(middle - 1, 1).await?.first() {
            Some(event) if event.position == middle => event.event.recorded_at,
            _ => {
                return Err(StoreError::corrupt(
                    format!("log position {middle}"),
                    "no event there, below the head",
                ))
            }
        };
        if recorded_at <= instant {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    Ok(low)
}
