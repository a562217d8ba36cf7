//! Given/when/then tests of the alert aggregate. Shared fixtures in `fixtures`; one file per
//! group of commands, and the wire.

mod fixtures;
mod missed;
mod receive;
mod roles;
mod triage;
mod wire;
