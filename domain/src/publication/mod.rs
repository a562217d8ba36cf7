//! # Publication: 周调度、月通报、季考核 published as facts
//!
//! The rhythm of the campaign — the weekly dispatch (周调度) of each task force, the monthly
//! bulletin (月通报) county-wide and per task force, the quarterly assessment (季考核)
//! county-wide — is published as events, one stream per kind, campaign, period and scope,
//! keyed by [`publication_id`] (`bulletin~qunfu-2026~2026-03~county`). So a second
//! publication of the same period is a second command on the same stream, and is refused:
//! once published a publication never changes (DOMAIN.md "Publications as facts").
//!
//! - **What it carries**: its period `[start, cut-off)` (a week, a calendar month, a quarter
//!   in the campaign's time zone, see [`period_label`]), the log position P its inputs were
//!   read at with the chain digest at P ([`LogPoint`]), and its [`Figures`]: counts, rates,
//!   the overdue ranking, the bottom units, the units named for criticism (点名), and for an
//!   assessment each unit's score and grade.
//! - **Computing the figures is not this aggregate's job** (the projections do it, from the
//!   log at P); it refuses figures no correct computation could produce ([`check_figures`]).
//! - **When it falls due is the aggregate's to say** ([`due_at`]): 09:00 local (the rhythm's
//!   time) of the first working day on or after the cut-off's local date — for a dispatch, its
//!   nominal Monday's — on the campaign's calendar. No command names it, so no wrong due
//!   instant can hide lateness; the event records it, the rhythm, and `calendar_unknown`.
//! - **Late, never skipped**: a bulletin or assessment missed during downtime is published
//!   late and says so (`late`: on a later local day than due); a dispatch inside the catch-up
//!   window is published late, one older is recorded as skipped (and no longer published).
//!   Two nominal dispatches moved onto the same day make one dispatch naming both.
//! - **Corrections (更正)**: a new publication on a new stream (`…~correction-n`, see
//!   [`correction_id`]) of the same kind, period and scope, naming the one it corrects; the
//!   corrected one is not touched, and admonishments resting on it stand unless withdrawn.

mod admission;
mod aggregate;
mod check;
mod commands;
mod decide;
mod due;
mod errors;
mod events;
mod figures;
mod kind;
mod period;
mod rules;
mod stream;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{Publication, PublicationStatus};
pub use check::check_figures;
pub use commands::{PublicationCommand, Publish, Skip};
pub use due::{catch_up_until, due_at, first_working_day_at, is_late, local_instant, nominal_day};
pub use errors::{FiguresError, PublicationError};
pub use events::{Correction, PublicationEvent};
pub use figures::{
    weigh, Counts, DispatchLists, Figures, OverdueCount, Ranked, Tally, UnitRow, UnitScore,
};
pub use kind::{ChainDigest, LogPoint, Period, PublicationKind, PublicationScope};
pub use period::period_label;
pub use rules::FigureRules;
pub use stream::{correction_id, publication_id, StreamName};
