//! The ledger's read-time values (DOMAIN.md "The issue list" and "Definitions"): the colour,
//! the overdue flag and the days overdue as of an instant, derived from the row's stored facts
//! and never stored themselves — so a row rebuilt from the log reads the same as the live one
//! at every instant.

use chrono::{DateTime, Utc};
use rectiflow_domain::item::Colour;

use crate::deadline_clock::DeadlineClock;

use super::{EpisodeRuling, ItemEntry};

impl ItemEntry {
    /// The row's facts that decide where it stands against its deadline in force.
    pub fn clock(&self) -> DeadlineClock<'_> {
        DeadlineClock {
            state: self.state,
            deadline_number: self.deadline_number,
            passes_at: self.deadline_passes_at,
            requested_at: self.sign_off_requested_at,
            rulings: &self.rulings,
        }
    }

    /// See [`DeadlineClock::clock_stopped_at`].
    pub fn clock_stopped_at(&self) -> Option<DateTime<Utc>> {
        self.clock().clock_stopped_at()
    }

    /// See [`DeadlineClock::ruling_at`].
    pub fn deadline_ruling_at(&self, now: DateTime<Utc>) -> Option<&EpisodeRuling> {
        self.clock().ruling_at(now)
    }

    /// See [`DeadlineClock::exempt_at`].
    pub fn exempt_at(&self, now: DateTime<Utc>) -> bool {
        self.clock().exempt_at(now)
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
        let now = self.clock().judged_at(now);
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

    /// See [`DeadlineClock::overdue_at`].
    pub fn overdue_at(&self, now: DateTime<Utc>) -> bool {
        self.clock().overdue_at(now)
    }

    /// See [`DeadlineClock::days_overdue_at`].
    pub fn days_overdue_at(&self, now: DateTime<Utc>) -> i64 {
        self.clock().days_overdue_at(now)
    }
}
