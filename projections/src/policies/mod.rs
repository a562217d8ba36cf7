//! Policies: checkpointed consumers that turn facts into commands (DOMAIN.md, "Roles and
//! permissions": a policy issues exactly the commands its rule names, recorded as
//! `policy:<name>` on behalf of the event that caused them).
//!
//! A policy acts in [`Handler::react`](rectiflow_engine::consumer::Handler::react), before its
//! batch's transaction, and writes nothing in `handle`: its checkpoint is its memory, and it is
//! never rebuilt from zero (its `VERSION` never changes). What it does runs at least once — a
//! crash before the checkpoint moves, a second process, a checkpoint reset — so every command
//! goes to a stream whose id the cause names (a natural key: an item code, a case id), and the
//! policy first asks that stream whether the effect is already there. Unlike an idempotency key
//! (kept 48 hours) a natural key never expires, however old the cause. A refusal that means
//! "already done" counts as done; any other refusal by the rules is logged and the policy moves
//! on, so a rule's refusal never holds the log; a port or the store that failed is a
//! [`HandlerError`](rectiflow_engine::consumer::HandlerError), and the runner retries the batch.
//!
//! The policies: admonishment at each published bulletin and assessment ([`admonishment`]),
//! accountability on a unit's repeated admonishment ([`accountability`]), a case's repair
//! items ([`repair_items`]), and the clues and items substantiated complaints and escalated
//! alerts name ([`escalations`]).

pub mod accountability;
pub mod acting;
pub mod admonishment;
pub mod escalations;
mod once;
pub mod registering;
pub mod repair_items;
pub mod roster;

pub use once::{act, Once};
pub use roster::{PolicyPorts, PolicyVisitor};
