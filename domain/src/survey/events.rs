//! What happened to a survey round.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use crate::settings::Field;
use crate::values::{CampaignId, PersonId, Score, UnitId};

use super::quarter::Quarter;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SurveyEvent {
    RoundOpened {
        campaign: CampaignId,
        quarter: Quarter,
        field: Field,
        unit: UnitId,
        opened_by: PersonId,
        opened_at: DateTime<Utc>,
    },
    ScoreRecorded {
        score: Score,
        sample_size: u32,
        recorded_by: PersonId,
        recorded_at: DateTime<Utc>,
    },
    /// The round's totals at closing: the number of respondents and the sample-weighted mean
    /// (`None` when no score was recorded — "not applicable" for the assessment).
    RoundClosed {
        sample_size: u64,
        mean: Option<Score>,
        closed_by: PersonId,
        closed_at: DateTime<Utc>,
    },
}

impl DomainEvent for SurveyEvent {
    fn event_type(&self) -> String {
        match self {
            SurveyEvent::RoundOpened { .. } => "RoundOpened",
            SurveyEvent::ScoreRecorded { .. } => "ScoreRecorded",
            SurveyEvent::RoundClosed { .. } => "RoundClosed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0".to_owned()
    }
}
