//! How an item stands against its deadline in force at an instant (DOMAIN.md "The issue list"
//! and "Definitions"): overdue or not, the days overdue, and the 容错 ruling on the episode —
//! the one judgement the ledger (at the reader's `now`) and the publications (at their
//! cut-off) both make, so a ledger read at a bulletin's cut-off and the bulletin agree item by
//! item.

use chrono::{DateTime, Utc};
use rectiflow_domain::item::{Episode, FaultDecision, ItemState};

use crate::item_register::EpisodeRuling;

/// The facts of one item that decide where it stands against its deadline, borrowed from a
/// ledger row or from an item's state as of a cut-off.
#[derive(Debug, Clone, Copy)]
pub struct DeadlineClock<'a> {
    pub state: ItemState,
    /// Which deadline is in force: its `Episode::Deadline` number (0 before assignment).
    pub deadline_number: i64,
    /// The instant the deadline in force passes (24:00 local of its date).
    pub passes_at: Option<DateTime<Utc>>,
    /// The pending sign-off request's instant, if one is pending.
    pub requested_at: Option<DateTime<Utc>>,
    /// Every ruling on the item's episodes, with the instant each was recorded.
    pub rulings: &'a [EpisodeRuling],
}

impl<'a> DeadlineClock<'a> {
    /// The instant the item's clock stopped (DOMAIN.md, "the clock stops at a sign-off request
    /// that is later verified"): the pending sign-off request, when it came before the deadline
    /// in force passed. `None` when no request is pending, or it came late. As
    /// `Item::clock_stopped_at`.
    pub fn clock_stopped_at(&self) -> Option<DateTime<Utc>> {
        if self.state != ItemState::PendingSignOff {
            return None;
        }
        let requested_at = self.requested_at?;
        let passes_at = self.passes_at?;
        (requested_at < passes_at).then_some(requested_at)
    }

    /// The instant the deadline in force is judged at: `now`, or the instant the clock stopped
    /// if that came first.
    pub fn judged_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.clock_stopped_at()
            .map_or(now, |stopped| stopped.min(now))
    }

    /// The ruling on the episode of the deadline in force, as it stands at `now`: a ruling
    /// counts from the instant it was recorded, never retroactively (DOMAIN.md, "Publications
    /// as facts"), and a ruling on an earlier deadline or a relapse never carries over.
    pub fn ruling_at(&self, now: DateTime<Utc>) -> Option<&'a EpisodeRuling> {
        let number = u32::try_from(self.deadline_number)
            .ok()
            .filter(|n| *n > 0)?;
        self.rulings
            .iter()
            .find(|r| r.episode == Episode::Deadline { number } && r.at <= now)
    }

    /// The decision on the episode of the deadline in force, as it stands at `now`.
    pub fn decision_at(&self, now: DateTime<Utc>) -> Option<FaultDecision> {
        self.ruling_at(now).map(|r| r.decision)
    }

    /// 免责 at `now`: the episode of the deadline in force was exempted by a ruling recorded
    /// by then.
    pub fn exempt_at(&self, now: DateTime<Utc>) -> bool {
        self.decision_at(now) == Some(FaultDecision::Exempt)
    }

    /// Overdue at `now`, as DOMAIN.md "Definitions" counts it at a cut-off: open, its deadline
    /// in force passed before `now`, and not waiting on a sign-off request made before that
    /// deadline passed. An exempted item is still overdue here; it counts 0
    /// ([`exempt_at`](Self::exempt_at)). (The colour turns red at the very instant the deadline
    /// passes; a cut-off at that instant does not count the item yet.)
    pub fn overdue_at(&self, now: DateTime<Utc>) -> bool {
        self.state.is_open()
            && self
                .passes_at
                .is_some_and(|passes_at| passes_at < self.judged_at(now))
    }

    /// Days overdue at `now`, DOMAIN.md "Definitions": whole days from the instant the
    /// deadline in force passed to `now`, rounded down; 0 when not
    /// [overdue](Self::overdue_at) at `now` or when that deadline's episode was exempted by a
    /// ruling recorded by then.
    pub fn days_overdue_at(&self, now: DateTime<Utc>) -> i64 {
        match self.passes_at {
            Some(passes_at) if self.overdue_at(now) && !self.exempt_at(now) => {
                (now - passes_at).num_days()
            }
            _ => 0,
        }
    }
}
