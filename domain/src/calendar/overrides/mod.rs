//! # A county's calendar declarations (县级工作日调整)
//!
//! China's arrangement is the same for the whole country; a county may still declare a day of
//! its own a working day or a day off — a local holiday, a day off for flood control (防汛), a
//! make-up day of its own — with a reason. The declarations of one county are one stream:
//! aggregate type [`CountyOverrides::TYPE`](cqrs_es::Aggregate::TYPE) = `"county_calendar"`,
//! stream id = the county's [`CountyId`](crate::values::CountyId) (e.g. `zhuxi`).
//!
//! - A date is declared at most once: to change a declaration, revoke it first, so the log
//!   says plainly that the county changed its mind, and why.
//! - Declaring in a published year what China's arrangement already says changes nothing and
//!   is refused. In an unpublished (unknown) year any declaration is accepted: it makes that
//!   one day certain, where the Monday–Friday fallback only guesses; the year stays unknown.
//! - A declaration takes effect for decisions taken after it; instants already stored in
//!   events are never recomputed.
//!
//! The calendar a campaign counts with is [`CountyCalendar`](crate::calendar::CountyCalendar),
//! built from this aggregate's state.

mod admission;
mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{CountyOverrides, Declaration};
pub use commands::{DeclaredDay, OverrideCommand};
pub use errors::OverrideError;
pub use events::OverrideEvent;
