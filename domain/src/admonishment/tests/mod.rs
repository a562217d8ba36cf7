//! Given/when/then tests of the admonishment aggregate.
//!
//! Shared fixtures in `fixtures`; one file per topic: the policy's trigger and its stream,
//! the evidence of each rule, manual admonishments, the talk (schedule, held, follow-up), the
//! wire format.

mod findings;
mod fixtures;
mod manual;
mod roles;
mod talk;
mod trigger;
mod wire;
mod withdraw;
