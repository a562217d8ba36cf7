//! The working-day calendar (工作日历).
//!
//! Acknowledgement windows, warning windows and most complaint response deadlines are counted
//! in working days. Which days are working days is a fact of the outside world — China moves
//! holidays and declares make-up working days (调休) every year, and a county may declare its
//! own — so the aggregates ask the [`WorkingCalendar`] port, and store what they computed.
//!
//! - [`port`]: the port and the arithmetic ([`add_working_days`], [`sub_working_days`]), which
//!   also says whether it had to guess ([`Reckoned`]).
//! - [`cn`]: China's statutory arrangement, vendored one file a year, and [`ChinaCalendar`];
//!   a year without a file is unknown and falls back to Monday–Friday.
//! - [`overrides`]: the county's own declarations, an aggregate (one stream per county).
//! - [`CountyCalendar`]: what a campaign counts with — the arrangement with the county's
//!   declarations on top.
//! - [`FixedCalendar`]: a calendar spelled out in full, for tests and for campaigns that
//!   configure their own days.

pub mod cn;
mod county;
mod fixed;
pub mod overrides;
mod port;

#[cfg(test)]
mod tests;

pub use cn::ChinaCalendar;
pub use county::CountyCalendar;
pub use fixed::FixedCalendar;
pub use port::{
    add_working_days, is_monday_to_friday, sub_working_days, CalendarFuture, Reckoned,
    WorkingCalendar,
};
