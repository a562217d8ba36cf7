//! # rectiflow-projections
//!
//! Read models of the campaign as folds over the global log, and the policies that turn facts
//! into commands ([`policies`]). Each is a checkpointed consumer ([`rectiflow_engine::consumer`]) written
//! once for every backend: its writes are sea-query statements applied through
//! [`rectiflow_engine::readmodel::ReadModels`] in the transaction that moves its checkpoint.
//! This crate depends on the domain and the engine only — no database driver.
//!
//! The shape of a read model: a [`RowProjection`] is a pure fold from one stream's typed events
//! to one row (tested without a database, as the domain is); a [`Projector`] runs it as a
//! consumer, reading and writing rows through a [`TableSpec`]. Every projection is listed
//! once in [`registry`], from which the service runs and rebuilds them.

pub mod accountability_register;
pub mod admonishment_register;
pub mod alert_board;
pub mod board;
mod campaigns;
pub mod case_board;
pub mod complaint_board;
pub mod complaint_history;
mod deadline_clock;
pub mod due_work;
pub mod figures;
pub mod item_history;
pub mod item_register;
mod json_text;
pub mod live;
pub mod policies;
mod projector;
pub mod publishing;
pub mod registry;
pub mod rewind;
pub mod standing;
pub mod survey_rounds;
mod table;
#[cfg(test)]
mod testing;
pub mod todo;

pub use deadline_clock::DeadlineClock;
pub use projector::{Projector, RowProjection};
pub use table::{Column, ColumnKind, TableSpec};
