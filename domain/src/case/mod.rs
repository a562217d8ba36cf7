//! # Case (案件): clue → investigation → system repair (问题线索-案件查办-制度修复)
//!
//! One stream per case, keyed by its [`CaseId`](crate::values::CaseId). The clue (线索) and the
//! case opened on it live in the same stream, so the case's whole story — where the clue came
//! from, both investigations, the repair items it spawned, closure and publication — is read
//! from one place and decided under one optimistic-concurrency check.
//!
//! - A clue comes from a complaint, a data alert (e.g. the medical-insurance monitoring
//!   platform flags abnormal treatment), an inspection or an audit: [`CaseCommand::RegisterClue`].
//!   It records the campaign's task force for its field, whose secretariat runs it (and which
//!   every event of the case names in its metadata); a field without one refuses the clue.
//!   It is dismissed with reasons ([`CaseCommand::DismissClue`]) or opened as a case.
//! - A case opened on it runs **two investigations (一案双查)**: the direct wrongdoer and the
//!   supervising department's failure of duty ([`InvestigationTrack`]). Each ends with findings
//!   (the persons named, the amount involved as [`Yuan`](crate::values::Yuan)) and a
//!   [`Disposition`]. A joint case team (专案组) of departments may work it
//!   ([`CaseCommand::RecordJointTeam`]).
//! - System repair (制度修复): the case spawns items of the issue list for the supervising
//!   department ([`CaseEvent::RepairItemSpawned`]); a policy registers each item and, when the
//!   item is signed off, reports it back with [`CaseCommand::RecordRepairItemClosed`] — or the
//!   secretariat records, with reasons, that no repair is needed
//!   ([`CaseCommand::RecordNoRepairNeeded`]).
//! - The case closes only when both investigations are concluded, every repair item it
//!   spawned is recorded closed or withdrawn, and system repair was done (a repair item closed,
//!   or no repair needed on record). A repair item that relapses after closure reopens the
//!   case ([`CaseEvent::CaseReopened`]). A closed case may be published as a typical case
//!   (典型案例).
//! - Outcome indicators (成效指标) of the case — funds recovered, people affected, subsidies
//!   returned — are recorded once the case is opened, each with its evidence, and add to its
//!   totals ([`CaseCommand::RecordOutcome`]); a correction deducts with a reason.

mod admission;
mod aggregate;
mod commands;
mod decide;
mod errors;
mod events;
mod outcome;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{
    Case, CaseStatus, Clue, Dismissal, Investigation, NoRepairNeeded, RepairItem, TypicalCase,
};
pub use commands::{CaseCommand, ClueSource, Disposition, InvestigationTrack};
pub use errors::CaseError;
pub use events::CaseEvent;
