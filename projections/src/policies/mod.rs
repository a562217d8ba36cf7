//! Policies: checkpointed consumers that turn facts into commands (DOMAIN.md "Admonishment and
//! accountability", cases, complaints and alerts).
//!
//! A policy acts in [`Handler::react`](rectiflow_engine::consumer::Handler::react), before its
//! batch's transaction, so at least once: each command addresses a stream whose id is derived
//! from what caused it (the admonishment of unit U at publication P, the accountability case
//! of person X on occasion A), and a stream that already holds the effect is left alone — so a
//! replay, a restart or a second process never acts twice, however old the cause. Policies
//! are never rebuilt from zero: their checkpoint is their memory.

pub mod accountability;
mod acting;
pub mod admonishment;

pub use acting::{act, Acted};
