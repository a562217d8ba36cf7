//! Given/when/then tests of the publication aggregate.
//!
//! Shared fixtures in `fixtures`; one file per rule group.

mod correct;
mod due;
mod figures;
mod fixtures;
mod period;
mod publish;
mod roles;
mod rules;
mod skip;
mod wire;
