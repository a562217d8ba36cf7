//! What happened to a survey round.

use chrono::{DateTime, Utc};

use crate::event::PublicView;
use serde::{Deserialize, Serialize};

use crate::settings::Field;
use crate::values::{CampaignId, PersonId, Score, SurveyId, TaskForceId, UnitId};

use super::quarter::Quarter;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum SurveyEvent {
    /// `quarter_starts_at` and `quarter_ends_at` bound the quarter in the campaign's time zone
    /// as in force at opening: scores are recorded at instants in `[starts, ends)`.
    /// `task_force` is the campaign's task force for `field`, whose secretariat runs the round:
    /// always named since it existed (a round is refused without one); `None` only in rounds
    /// opened before.
    RoundOpened {
        round: SurveyId,
        campaign: CampaignId,
        quarter: Quarter,
        field: Field,
        #[serde(default)]
        task_force: Option<TaskForceId>,
        unit: UnitId,
        quarter_starts_at: DateTime<Utc>,
        quarter_ends_at: DateTime<Utc>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    ScoreRecorded {
        score: Score,
        sample_size: u32,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The round's totals at closing: the number of respondents and the sample-weighted mean
    /// (`None` when no score was recorded — "not applicable" for the assessment).
    RoundClosed {
        sample_size: u64,
        mean: Option<Score>,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(SurveyEvent {
    RoundOpened => "rectiflow.survey.round_opened",
    ScoreRecorded => "rectiflow.survey.score_recorded",
    RoundClosed => "rectiflow.survey.round_closed",
});

crate::event::attributed!(SurveyEvent {
    RoundOpened,
    ScoreRecorded,
    RoundClosed
});

/// Nothing in these events is sealed: the whole event is public.
impl PublicView for SurveyEvent {}
