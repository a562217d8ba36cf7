//! # Schedule (排程): the campaign's rhythm as aggregates
//!
//! One stream per schedule of a campaign (TYPE `schedule`, stream id [`schedule_id`] =
//! `<campaign>:<kind>`, e.g. `qunfu-2026:monthly-bulletin`): the weekly dispatch (周调度), the
//! monthly bulletin (月通报) and the quarterly assessment (季考核). When each falls due is the
//! campaign's rhythm settings on its working-day calendar (the scheduler crate computes it);
//! what a schedule keeps is what an administrator decided about it — the dates it runs between,
//! paused with a note, resumed, triggered now, backfilled over a past range, deleted — and
//! every occurrence it fired or skipped.
//!
//! **Exactly once.** An occurrence is identified by the schedule and its nominal time (the last
//! it stands for, when two moved onto one day make one). Firing appends
//! [`ScheduleEvent::OccurrenceFired`] to the schedule's stream at the version the firing
//! process loaded; a second process that fires the same occurrence either loses the append
//! (the store's version check) or, reloading, is refused here with
//! [`ScheduleError::AlreadyDone`] — so any number of processes may run the scheduler. The
//! action (the publication) then goes to a stream whose id the occurrence names, so a process
//! killed between the two is completed by the next one without acting twice.
//!
//! Only the schedule itself (`schedule:<stream id>`, [`actor_of`]) fires or skips its
//! occurrences; an administrator does the rest (DOMAIN.md: settings are the admin's).

mod admission;
mod aggregate;
mod commands;
mod errors;
mod events;
mod occurrence;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{Awaiting, Completed, Done, Schedule, ScheduleState, MAX_BACKFILL_DAYS};
pub use commands::{ScheduleCommand, ScheduleKind, SkipReason};
pub use errors::ScheduleError;
pub use events::ScheduleEvent;

use crate::values::{CampaignId, PersonId, ScheduleId, ValueError};

/// The stream id of `campaign`'s schedule of `kind`.
pub fn schedule_id(campaign: &CampaignId, kind: ScheduleKind) -> Result<ScheduleId, ValueError> {
    ScheduleId::parse(format!("{campaign}:{}", kind.as_str()))
}

/// The system actor a schedule fires its occurrences as: `schedule:<stream id>`.
pub fn actor_of(schedule: &ScheduleId) -> Result<PersonId, ValueError> {
    PersonId::parse(format!("schedule:{schedule}"))
}
