//! 群众满意度测评 — the survey rounds as an assessment reads them (DOMAIN.md "Assessment"): per
//! round (one per campaign, quarter, field and unit), the unit, the quarter and, once closed,
//! when it closed, its sample size and its sample-weighted mean. A round not closed by the
//! quarter's cut-off does not count, nor does another quarter's.

use chrono::{DateTime, Utc};
use rectiflow_domain::assessment::AssessmentPeriod;
use rectiflow_domain::survey::{Quarter, SurveyEvent};
use rectiflow_domain::values::{Score, UnitId};
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

use crate::figures::SurveyRound;
use crate::projector::RowProjection;
use crate::table::{Column, ColumnKind, TableSpec};

/// One survey round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RoundRow {
    pub round: String,
    pub campaign: String,
    pub quarter: Quarter,
    /// The field (`medical_insurance`, …): whose task force the round belongs to where it
    /// names none.
    pub field: String,
    pub task_force: Option<String>,
    pub unit: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub sample_size: i64,
    /// The mean score (0–100) as its JSON number: a column is a portable scalar, and a
    /// decimal is none; `null` until closed with answers.
    #[serde(with = "crate::json_text")]
    #[schemars(with = "Option<Score>")]
    pub mean: Option<Score>,
    pub position: i64,
}

impl RoundRow {
    /// The round's mean and sample for a unit's standing over `[start, cut_off)` (单位整改态势,
    /// the campaign to date): a round of `campaign` closed with answers within it, whatever its
    /// quarter — the standing has no quarter, and a round counts once it is closed.
    pub fn closed_within(
        &self,
        campaign: &str,
        start: DateTime<Utc>,
        cut_off: DateTime<Utc>,
    ) -> Option<(Score, u32)> {
        let closed = self.closed_at?;
        if self.campaign != campaign || closed < start || closed >= cut_off || self.sample_size <= 0
        {
            return None;
        }
        Some((
            self.mean?,
            u32::try_from(self.sample_size).unwrap_or(u32::MAX),
        ))
    }

    /// The round as `period`'s assessment counts it, if it counts
    /// ([`AssessmentPeriod::counts_survey_round`]).
    pub fn counted_in(&self, period: &AssessmentPeriod) -> Option<SurveyRound> {
        if !period.counts_survey_round(self.quarter, self.closed_at) {
            return None;
        }
        Some(SurveyRound {
            unit: UnitId::parse(self.unit.as_str()).ok()?,
            mean: self.mean?,
            sample: u32::try_from(self.sample_size).unwrap_or(u32::MAX),
        })
    }
}

/// The rounds' fold and table.
pub struct SurveyRounds;

impl RowProjection for SurveyRounds {
    const NAME: &'static str = "survey-rounds";
    const STREAM_TYPE: &'static str = "survey";
    const TABLE: TableSpec = TableSpec {
        name: "survey_rounds",
        key: "round",
        columns: &[
            Column::required("round", ColumnKind::Text),
            Column::required("campaign", ColumnKind::Text),
            Column::required("quarter", ColumnKind::Text),
            Column::required("field", ColumnKind::Text),
            Column::optional("task_force", ColumnKind::Text),
            Column::required("unit", ColumnKind::Text),
            Column::optional("closed_at", ColumnKind::Timestamp),
            Column::required("sample_size", ColumnKind::Integer),
            Column::required("mean", ColumnKind::Json),
            Column::required("position", ColumnKind::Integer),
        ],
    };
    /// 2: the round's field; 3: a campaign's own field named like a source's is written
    /// `other:<name>`.
    const VERSION: u32 = 3;
    type Event = SurveyEvent;
    type Row = RoundRow;

    fn fold(
        row: Option<RoundRow>,
        stream_id: &str,
        event: SurveyEvent,
        logged: &LoggedEvent,
    ) -> Option<RoundRow> {
        let position = i64::try_from(logged.position).unwrap_or(i64::MAX);
        let mut row = match (row, event) {
            (
                _,
                SurveyEvent::RoundOpened {
                    campaign,
                    quarter,
                    field,
                    task_force,
                    unit,
                    ..
                },
            ) => RoundRow {
                round: stream_id.to_owned(),
                campaign: campaign.as_str().to_owned(),
                quarter,
                field: crate::complaint_board::field_name(&field),
                task_force: task_force.map(|t| t.as_str().to_owned()),
                unit: unit.as_str().to_owned(),
                closed_at: None,
                sample_size: 0,
                mean: None,
                position,
            },
            (None, _) => return None,
            (Some(row), SurveyEvent::ScoreRecorded { .. }) => row,
            (
                Some(mut row),
                SurveyEvent::RoundClosed {
                    sample_size,
                    mean,
                    at,
                    ..
                },
            ) => {
                row.closed_at = Some(at);
                row.sample_size = i64::try_from(sample_size).unwrap_or(i64::MAX);
                row.mean = mean;
                row
            }
        };
        row.position = position;
        Some(row)
    }
}

#[cfg(test)]
mod tests;
