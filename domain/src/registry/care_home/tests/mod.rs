//! Given/when/then tests of the care home, one file per rule.

mod blacklist;
mod fixtures;
mod rating;
mod rectification;
mod revocation;
mod wire;
