//! # rectiflow-projections
//!
//! Read models of the campaign as folds over the global log, and the policies that turn facts
//! into commands. Each is a checkpointed consumer ([`rectiflow_engine::consumer`]) written once
//! for every backend: its writes are sea-query statements applied through
//! [`rectiflow_engine::readmodel::ReadModels`] in the transaction that moves its checkpoint.
//! This crate depends on the domain and the engine only — no database driver.
