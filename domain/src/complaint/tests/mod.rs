//! Given/when/then tests of the complaint aggregate, and of the response-deadline arithmetic.
//!
//! Shared fixtures in `fixtures`; one file per group of commands.

mod deadline;
mod erasure;
mod fixtures;
mod handler;
mod receive;
mod resolve;
mod respond;
mod responder;
mod reveal;
mod roles;
mod scope;
mod transfer;
mod wire;
