//! Given/when/then tests of the campaign aggregate, one file per topic; shared fixtures in
//! `fixtures`.

mod closing;
mod creation;
mod fixtures;
mod settings;
mod task_forces;
mod wire;
