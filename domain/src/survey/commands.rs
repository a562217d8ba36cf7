//! What may be asked of a survey round.

use serde::{Deserialize, Serialize};

use crate::settings::Field;
use crate::values::{CampaignId, Score, SurveyId, UnitId};

use super::quarter::Quarter;

/// The body of a survey command; it travels as [`crate::Command<SurveyCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SurveyCommand {
    /// Opens the round for `unit` in `field` for `quarter`. `round` is this stream's id and
    /// must be [`round_id`](super::round_id) of the other four: one round per campaign,
    /// quarter, field and unit.
    OpenRound {
        round: SurveyId,
        campaign: CampaignId,
        quarter: Quarter,
        field: Field,
        unit: UnitId,
    },
    /// Records an aggregated score (0–100) from `sample_size` respondents (at least one),
    /// within the round's quarter (local time of the campaign). A round may collect several
    /// (e.g. one per survey method or batch).
    RecordScore { score: Score, sample_size: u32 },
    /// Closes the round; no score may be added afterwards.
    CloseRound,
}

impl SurveyCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            SurveyCommand::OpenRound { .. } => "open_round",
            SurveyCommand::RecordScore { .. } => "record_score",
            SurveyCommand::CloseRound => "close_round",
        }
    }

    /// The name users read (中文).
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` by [`name`](Self::name);
    /// `name` itself if no request is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "open_round" => "开启满意度测评",
            "record_score" => "录入测评得分",
            "close_round" => "结束满意度测评",
            other => other,
        }
    }
}
