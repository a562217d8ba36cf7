//! The board's read-time values (DOMAIN.md "Complaints": a missed response is a fact; every
//! window ends at an instant — an act strictly before it is in time, at or after it late):
//! where the response stands as of an instant, derived from the row's stored facts and never
//! stored, so a row rebuilt from the log reads the same as the live one at every instant.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ComplaintEntry;

/// Where a complaint's response stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStanding {
    /// Unanswered, and the due instant is still ahead.
    Pending,
    /// Answered strictly before the due instant.
    InTime,
    /// Answered at or after the due instant.
    Late,
    /// Unanswered at or after the due instant (逾期未答复): breached, whether or not the
    /// schedule has recorded the missed response yet.
    Unanswered,
}

impl ComplaintEntry {
    /// Where the response stands at `now` (at or after the row's last event). An answer is
    /// judged as the event recorded it; an unanswered complaint is breached from its due
    /// instant on — the recorded fact, or the due instant passed before the schedule ran
    /// (it may lag; the board does not).
    pub fn response_standing_at(&self, now: DateTime<Utc>) -> ResponseStanding {
        match self.responded_in_time {
            Some(true) => ResponseStanding::InTime,
            Some(false) => ResponseStanding::Late,
            None if self.response_missed || now >= self.response_due_at => {
                ResponseStanding::Unanswered
            }
            None => ResponseStanding::Pending,
        }
    }

    /// The response deadline was breached as of `now`: answered late, or still unanswered at
    /// or after the due instant.
    pub fn response_breached_at(&self, now: DateTime<Utc>) -> bool {
        matches!(
            self.response_standing_at(now),
            ResponseStanding::Late | ResponseStanding::Unanswered
        )
    }

    /// Overdue at `now`: still unanswered, and the due instant has passed.
    pub fn response_overdue_at(&self, now: DateTime<Utc>) -> bool {
        self.response_standing_at(now) == ResponseStanding::Unanswered
    }
}
