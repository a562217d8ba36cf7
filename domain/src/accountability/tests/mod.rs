//! Given/when/then tests of the accountability aggregate. Shared fixtures in `fixtures`; one
//! file per command, and the wire.

mod decide;
mod fixtures;
mod propose;
mod roles;
mod wire;
mod withdraw;
