//! # Item (问题清单条目) — a line of the issue list
//!
//! "清单化管理 / 挂图作战 / 销号管理": every problem is a line in a ledger with a responsible
//! unit, a responsible person, a deadline (时间表) and measures (路线图); it leaves the ledger
//! only by sign-off (销号). See DOMAIN.md "The issue list (问题清单) and its items".
//!
//! Stream: aggregate type `"item"`, stream id = the [`ItemCode`](crate::values::ItemCode)
//! (e.g. `YB-2026-0001`), so the store refuses a second item with the same code.
//!
//! ## Definitions
//! - A **deadline** is a local date: due by 24:00 of that date in the campaign's time zone
//!   ([`Deadline::passes_at`](crate::values::Deadline::passes_at)). The time zone is fixed in
//!   [`ItemEvent::ItemRegistered`]; all due instants are computed in `handle` with the settings
//!   and calendar of that moment and stored in the events, with the setting values they used
//!   ([`DeadlineSettings`], [`ExtensionSettings`], `reinspection_days`…), so a later change
//!   never rewrites the past.
//! - **签收 due**: 24:00 local of the N-th working day after the local date of assignment (or
//!   reopening), N = `acknowledgement_working_days`.
//! - **Warning window**: from the start of the local day N working days before the deadline
//!   (N = `warning_working_days`), but never before the deadline was set, until it passes.
//! - **Unknown calendar**: when counting a 签收 or warning window looks at a day of a year
//!   China has not published an arrangement for, Monday–Friday is assumed and the event says
//!   so (`calendar_unknown`), as do the 签收-overdue and warning facts that rest on it.
//! - **Overdue 签收**: recorded once per assignment or reopening, by the scheduler or, when the
//!   unit's 签收 comes first but late, ahead of that 签收 — whichever comes first.
//! - **Overdue (逾期)** is a fact, not a state: recorded at most once per deadline in force,
//!   only once the deadline has passed and the item is neither closed nor withdrawn, carrying
//!   the instant it passed as `effective_at` even when recorded later. A command that moves
//!   the deadline or ends the item (sign-off, extension approval, withdrawal, re-inspection)
//!   at or after that instant records the missing fact first, so it is never lost to a
//!   scheduler that had not run yet.
//! - **Extension (延期)**: requested before the deadline in force, with a reason and a later
//!   date; at most `max_extensions` approved. Every deadline is kept ([`Item::deadlines`]).
//! - **On time** = closed (verified) before the deadline in force passed; the closure also
//!   records whether it came after the original deadline.
//! - **Colour** is derived by [`Item::colour`], never stored.
//! - **Fault tolerance (容错纠错)** applies to an item that was overdue, relapsed or closed late.
//! - **Carry-over (结转)**: an open item moves to a later campaign by an explicit command,
//!   keeping its code (the stream id), its history and the deadline in force; its campaign
//!   (and so the scope of its events) is the new one from then on.
//! - **Outcome indicators (成效指标)**: each record adds to the item's totals with its own
//!   evidence; a correction deducts with a reason; a verified sign-off adds the indicators
//!   its request carried. Never on a withdrawn item.
//! - **Segregation of duties**: verification, send-back, extension approval and denial,
//!   re-inspection, fault-tolerance rulings and withdrawal of an assigned item are refused to the responsible person and the
//!   members of the responsible unit; unit-side requests (签收, progress, extension, sign-off)
//!   are accepted only from them.

mod aggregate;
mod commands;
mod errors;
mod events;
mod settings_used;
mod state;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{
    Assignment, CarryOver, Closure, DeadlineOrigin, DeadlineRecord, Item, PendingExtension,
    Progress, Registration, Ruling,
};
pub use commands::{
    AssignItem, Episode, FaultCause, FaultDecision, ItemCommand, ItemRequest, ItemSource,
    Milestone, RegisterItem, ReinspectionOutcome, Severity, SignOffElement, SignOffRequest,
    WithdrawalGround,
};
pub use errors::ItemError;
pub use events::ItemEvent;
pub use settings_used::{DeadlineSettings, ExtensionSettings};
pub use state::{Colour, ItemState};
