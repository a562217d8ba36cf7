//! The clock stops at a sign-off request (DOMAIN.md, items): an item whose request came before
//! the deadline in force is judged on time when that request is verified, however long
//! verification takes. While such a request waits past the deadline, no overdue fact (or
//! warning) is recorded and the item does not show red; if it is sent back after the deadline,
//! the overdue fact is recorded at the send-back, effective at the instant the deadline passed.

use chrono::{DateTime, Utc};

use super::Item;
use crate::item::state::ItemState;

impl Item {
    /// The instant the item's clock stopped: the pending sign-off request, when it came before
    /// the deadline in force passed. `None` when no request is pending, or it came late.
    pub fn clock_stopped_at(&self) -> Option<DateTime<Utc>> {
        if self.state != ItemState::PendingSignOff {
            return None;
        }
        let requested_at = self.sign_off_requested_at?;
        let current = self.deadlines.last()?;
        (requested_at < current.passes_at).then_some(requested_at)
    }

    /// The instant the item's deadlines are judged at: `now`, or the instant its clock
    /// stopped if that came first.
    pub(super) fn judged_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.clock_stopped_at()
            .map_or(now, |stopped| stopped.min(now))
    }
}
