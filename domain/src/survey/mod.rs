//! # Survey: satisfaction survey rounds (群众满意度测评)
//!
//! The source calls the public's satisfaction the core yardstick of the campaign. A survey round
//! is held per [`Quarter`], field and unit; it records aggregated scores (0–100) with their
//! sample sizes — never individual answers — within its quarter, and is closed when the round
//! ends, after which no score can be added. One stream per round, keyed by its
//! [`SurveyId`](crate::values::SurveyId), which [`round_id`] builds from the campaign, quarter,
//! field and unit: a second round for the same four is refused. The round records the
//! campaign's task force for its field, whose secretariat runs it and which every event of the
//! round names in its metadata; a field without one refuses the round.
//!
//! The quarterly assessment (季考核) folds the closed rounds' sample-weighted means together with
//! complaint ratings, weighted by the campaign settings (default 70/30).

mod admission;
mod aggregate;
mod commands;
mod errors;
mod events;
mod quarter;
mod round;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{RecordedScore, Survey, SurveyStatus};
pub use commands::SurveyCommand;
pub use errors::SurveyError;
pub use events::SurveyEvent;
pub use quarter::Quarter;
pub use round::round_id;
