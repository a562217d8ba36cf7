//! The quarterly assessment's scores (季考核, DOMAIN.md "Assessment"): per unit, the completion
//! and on-time rates to date and the response rate of the quarter (from the unit's row of the
//! same publication), satisfaction from the quarter's closed survey round and the complaint
//! ratings recorded in the quarter, and the deductions of the quarter — weighed, scored and
//! graded by the domain's [`assess`].

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rectiflow_domain::assessment::{
    assess, satisfaction, AssessmentInputs, AssessmentPeriod, DecidedAccountability, Grade,
    QuarterFigures, RatesToDate,
};
use rectiflow_domain::publication::{Period, UnitRow, UnitScore};
use rectiflow_domain::settings::{AssessmentWeights, SatisfactionWeights};
use rectiflow_domain::values::{Rating, Score, UnitId};
use serde::Serialize;

use super::FigureInputs;
use crate::complaint_history::ComplaintRow;

/// A unit's survey round of the quarter (群众满意度测评), closed before the cut-off.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRound {
    pub unit: UnitId,
    pub mean: Score,
    pub sample: u32,
}

/// What an assessment reads besides items and complaints, and its weights.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentSources {
    pub quarter: AssessmentPeriod,
    pub weights: AssessmentWeights,
    pub satisfaction: SatisfactionWeights,
    /// The quarter's closed rounds ([`AssessmentPeriod::counts_survey_round`]).
    pub surveys: Vec<SurveyRound>,
    /// Each admonishment of a unit, by the instant it rests on
    /// ([`AssessmentPeriod::counts_admonishment`]).
    pub admonishments: Vec<(UnitId, DateTime<Utc>)>,
    /// Each accountability decision against a person of a unit (the unit the person belonged
    /// to when the grounds arose).
    pub decisions: Vec<(UnitId, DecidedAccountability)>,
}

/// One unit's assessment with what it is made of (DOMAIN.md "Assessment"): each part as the
/// weights weigh it (`None`: not applicable, its weight spread over the parts that apply), the
/// deductions counted in the quarter, and the score and grade they give. The published
/// figures carry the score and grade; this is the breakdown behind them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitAssessment {
    pub unit: UnitId,
    pub inputs: AssessmentInputs,
    pub score: Option<Score>,
    pub grade: Option<Grade>,
}

/// Every unit's assessment: the units with a row, a survey round or a deduction, by unit id.
pub(super) fn assessments(
    inputs: &FigureInputs,
    rows: &[UnitRow],
    complaints: &[ComplaintRow],
    sources: &AssessmentSources,
) -> Vec<UnitAssessment> {
    let Some(grades) = &inputs.rules.grades else {
        return Vec::new();
    };
    let quarter = &sources.quarter;
    let units: BTreeSet<&UnitId> = rows
        .iter()
        .map(|r| &r.unit)
        .chain(sources.surveys.iter().map(|s| &s.unit))
        .chain(sources.admonishments.iter().map(|(u, _)| u))
        .chain(sources.decisions.iter().map(|(u, _)| u))
        .collect();
    units
        .into_iter()
        .map(|unit| {
            let row = rows.iter().find(|r| &r.unit == unit).map(|r| &r.counts);
            let surveys: Vec<(Score, u32)> = sources
                .surveys
                .iter()
                .filter(|s| &s.unit == unit)
                .map(|s| (s.mean, s.sample))
                .collect();
            let ratings = ratings_of(unit, inputs, complaints);
            let parts = AssessmentInputs {
                to_date: RatesToDate {
                    completion_rate: row.and_then(|c| c.completion_rate),
                    on_time_rate: row.and_then(|c| c.on_time_rate),
                },
                in_quarter: QuarterFigures {
                    response_rate: row.and_then(|c| c.response_rate),
                    satisfaction: satisfaction(&surveys, &ratings, &sources.satisfaction),
                },
                deductions: quarter.deductions(
                    sources
                        .admonishments
                        .iter()
                        .filter(|(u, _)| u == unit)
                        .map(|(_, at)| *at),
                    sources
                        .decisions
                        .iter()
                        .filter(|(u, _)| u == unit)
                        .map(|(_, d)| *d),
                ),
            };
            let assessment = assess(&parts, &sources.weights, grades);
            let score = assessment.score.and_then(|s| Score::parse(s).ok());
            UnitAssessment {
                unit: unit.clone(),
                inputs: parts,
                score,
                grade: score.and(assessment.grade),
            }
        })
        .collect()
}

impl UnitAssessment {
    /// The score and grade as the publication states them.
    pub fn published(&self) -> UnitScore {
        UnitScore {
            unit: self.unit.clone(),
            score: self.score,
            grade: self.grade,
        }
    }
}

/// The ratings of the quarter given to complaints `unit` had to respond to when rated.
pub(crate) fn ratings_of(
    unit: &UnitId,
    inputs: &FigureInputs,
    complaints: &[ComplaintRow],
) -> Vec<Rating> {
    let Period { start, cut_off } = inputs.period;
    complaints
        .iter()
        .filter(|c| c.campaign == inputs.campaign.as_str())
        .flat_map(|c| {
            c.ratings_in(start, cut_off, inputs.position)
                .filter(|r| c.responder_at(r.at, inputs.position).0 == unit.as_str())
                .filter_map(|r| Rating::parse(r.value).ok())
                .collect::<Vec<_>>()
        })
        .collect()
}
