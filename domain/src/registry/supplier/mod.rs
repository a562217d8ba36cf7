//! # Supplier (供应商) and its blacklisting (供应商黑名单)
//!
//! A blacklisting names its basis (the case or the item that established the collusion or
//! bribery), a reason and a period of local dates. The period is turned into instants when the
//! supplier is listed — from 00:00 of the first day to 24:00 of the last day in the campaign's
//! time zone — and those instants are stored in the event, so the award check needs no settings
//! and a later change of time zone never rewrites a listing.
//!
//! One-vote veto (一票否决): [`SupplierCommand::CheckAward`] is refused with
//! [`SupplierError::Blacklisted`] while a listing is in force at the command's instant;
//! otherwise it records [`SupplierEvent::AwardCleared`], the fact the procurement record cites.

mod admission;
mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{Listing, Supplier};
pub use commands::{BlacklistBasis, SupplierCommand};
pub use errors::SupplierError;
pub use events::SupplierEvent;
