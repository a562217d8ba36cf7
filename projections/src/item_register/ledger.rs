//! The ledger's read-time values (DOMAIN.md "The issue list" and "Definitions"): the colour,
//! the overdue flag and the days overdue as of an instant, derived from the row's stored facts
//! and never stored themselves — so a row rebuilt from the log reads the same as the live one
//! at every instant.

use chrono::{DateTime, Utc};
use rectiflow_domain::item::{Colour, Episode, FaultDecision, ItemState};

use super::{EpisodeRuling, ItemEntry};

impl ItemEntry {
    /// The instant the item's clock stopped (DOMAIN.md, "the clock stops at a sign-off request
    /// that is later verified"): the pending sign-off request, when it came before the deadline
    /// in force passed. `None` when no request is pending, or it came late. As
    /// `Item::clock_stopped_at`.
    pub fn clock_stopped_at(&self) -> Option<DateTime<Utc>> {
        if self.state != ItemState::PendingSignOff {
            return None;
        }
        let requested_at = self.sign_off_requested_at?;
        let passes_at = self.deadline_passes_at?;
        (requested_at < passes_at).then_some(requested_at)
    }

    /// The instant the deadline in force is judged at: `now`, or the instant the clock stopped
    /// if that came first.
    fn judged_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.clock_stopped_at()
            .map_or(now, |stopped| stopped.min(now))
    }

    /// The ruling on the episode of the deadline in force, as it stands at `now`: a ruling
    /// counts from the instant it was recorded, never retroactively (DOMAIN.md, "Publications
    /// as facts"), and a ruling on an earlier deadline or a relapse never carries over.
    pub fn deadline_ruling_at(&self, now: DateTime<Utc>) -> Option<&EpisodeRuling> {
        let number = u32::try_from(self.deadline_number)
            .ok()
            .filter(|n| *n > 0)?;
        self.rulings
            .iter()
            .find(|r| r.episode == Episode::Deadline { number } && r.at <= now)
    }

    /// 免责 at `now`: the episode of the deadline in force was exempted by a ruling recorded
    /// by then.
    pub fn exempt_at(&self, now: DateTime<Utc>) -> bool {
        self.deadline_ruling_at(now)
            .is_some_and(|r| r.decision == FaultDecision::Exempt)
    }

    /// The warning colour at `now` (挂图作战; DOMAIN.md "The issue list": colours are derived,
    /// never stored), the rule `Item::colour` implements, with the threshold recorded at
    /// registration:
    /// - closed, withdrawn or unassigned items are green;
    /// - a stopped clock shows the colour of the instant it stopped;
    /// - red when overdue for the deadline in force: the fact was recorded, or the instant
    ///   judged is at or past the instant the deadline passes (the scheduler may lag; the
    ///   colour does not);
    /// - yellow inside the warning window, or after `yellow_after_send_backs` send-backs;
    /// - green otherwise.
    ///
    /// An exempted episode stays red: 免责 changes what counts against the unit, not the
    /// item's standing on the wall chart.
    pub fn colour_at(&self, now: DateTime<Utc>) -> Colour {
        let now = self.judged_at(now);
        if !self.state.has_running_deadline() {
            return Colour::Green;
        }
        let Some(passes_at) = self.deadline_passes_at else {
            return Colour::Green;
        };
        let in_warning = self.warning_at.is_some_and(|warning_at| now >= warning_at);
        if self.overdue || now >= passes_at {
            Colour::Red
        } else if in_warning || self.send_backs >= self.yellow_after_send_backs {
            Colour::Yellow
        } else {
            Colour::Green
        }
    }

    /// Overdue at `now`, as DOMAIN.md "Definitions" counts it at a cut-off: open, its deadline
    /// in force passed before `now`, and not waiting on a sign-off request made before that
    /// deadline passed. An exempted item is still overdue here; it counts 0
    /// ([`exempt_at`](Self::exempt_at)). (The colour turns red at the very instant the deadline
    /// passes; a cut-off at that instant does not count the item yet.)
    pub fn overdue_at(&self, now: DateTime<Utc>) -> bool {
        self.state.is_open()
            && self
                .deadline_passes_at
                .is_some_and(|passes_at| passes_at < self.judged_at(now))
    }

    /// Days overdue at `now`, DOMAIN.md "Definitions": whole days from the instant the
    /// deadline in force passed to `now`, rounded down; 0 when not
    /// [overdue](Self::overdue_at) at `now` or when that deadline's episode was exempted by a
    /// ruling recorded by then.
    pub fn days_overdue_at(&self, now: DateTime<Utc>) -> i64 {
        match self.deadline_passes_at {
            Some(passes_at) if self.overdue_at(now) && !self.exempt_at(now) => {
                (now - passes_at).num_days()
            }
            _ => 0,
        }
    }
}
