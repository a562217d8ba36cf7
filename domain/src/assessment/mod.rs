//! The arithmetic of bulletins and assessments (月通报、季考核), as pure functions the
//! projections call, so every report computes a rate, a satisfaction or a grade the same way.
//! What counts in an assessment, and over which period, is [`AssessmentPeriod`]'s (`period`).

mod period;

pub use period::{AssessmentPeriod, DecidedAccountability, Deductions};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::settings::{AssessmentWeights, GradeThresholds, SatisfactionWeights};
use crate::values::{Rating, Score};

/// A rate with its parts kept, so reports can show "12 / 15".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rate {
    pub numerator: u64,
    pub denominator: u64,
}

impl Rate {
    pub fn new(numerator: u64, denominator: u64) -> Self {
        Self {
            numerator,
            denominator,
        }
    }

    /// The rate in percent, or `None` — "not applicable" — when the denominator is zero: a unit
    /// with no items due has neither completed nor failed to complete anything.
    pub fn percent(self) -> Option<f64> {
        (self.denominator > 0).then(|| 100.0 * self.numerator as f64 / self.denominator as f64)
    }
}

/// Satisfaction (群众满意度) on the 0–100 scale: the sample-weighted mean of survey scores and
/// the mean of complaint ratings (1–5 mapped to 0–100), combined with the campaign's weights
/// (default 70/30). A source with no data is not applicable and its weight goes to the other;
/// with neither, satisfaction itself is not applicable.
pub fn satisfaction(
    surveys: &[(Score, u32)],
    ratings: &[Rating],
    weights: &SatisfactionWeights,
) -> Option<f64> {
    let sample: u64 = surveys.iter().map(|(_, n)| u64::from(*n)).sum();
    let survey_mean = (sample > 0).then(|| {
        surveys
            .iter()
            .map(|(score, n)| score.get() * f64::from(*n))
            .sum::<f64>()
            / sample as f64
    });
    let rating_mean = (!ratings.is_empty())
        .then(|| ratings.iter().map(|r| r.as_score().get()).sum::<f64>() / ratings.len() as f64);
    weighted_mean(&[
        (survey_mean, weights.surveys),
        (rating_mean, weights.complaint_ratings),
    ])
}

/// The weighted mean of the parts that apply; `None` when none applies (or all weights are 0).
fn weighted_mean(parts: &[(Option<f64>, f64)]) -> Option<f64> {
    let (sum, weight) = parts
        .iter()
        .filter_map(|(value, weight)| value.map(|v| (v * weight, *weight)))
        .fold((0.0, 0.0), |(s, w), (v, x)| (s + v, w + x));
    (weight > 0.0).then(|| sum / weight)
}

/// What a unit's quarterly assessment is made of (DOMAIN.md "Assessment"), grouped by the
/// period each part covers, so a caller cannot take a figure of the quarter for one to date:
/// each group names its period, and [`AssessmentPeriod`] says what falls in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AssessmentInputs {
    pub to_date: RatesToDate,
    pub in_quarter: QuarterFigures,
    /// Counted by [`AssessmentPeriod::deductions`].
    pub deductions: Deductions,
}

/// The rates taken **to date** at the quarter's cut-off: from the campaign's start, not from
/// the quarter's ([`AssessmentPeriod::to_date`]). `None`, or a zero denominator, is not
/// applicable. The same rates as a bulletin's `completion_rate` and `on_time_rate` to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RatesToDate {
    /// Items closed by the cut-off among those whose deadline in force (as at the cut-off)
    /// passed before it ÷ those items.
    pub completion_rate: Option<Rate>,
    /// Items closed on time ÷ items closed, by the cut-off.
    pub on_time_rate: Option<Rate>,
}

/// The figures **of the quarter**, `[start, cut-off)` ([`AssessmentPeriod::in_quarter`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct QuarterFigures {
    /// Complaints whose response fell due in the quarter and were answered before their due
    /// instant ÷ those complaints, for the unit that had to respond at the due instant.
    pub response_rate: Option<Rate>,
    /// [`satisfaction`], 0–100: the quarter's closed survey rounds of the unit
    /// ([`AssessmentPeriod::counts_survey_round`]), weighted by sample size, blended with the
    /// complaint ratings recorded in the quarter.
    pub satisfaction: Option<f64>,
}

/// 优秀 / 良好 / 合格 / 不合格.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Excellent,
    Good,
    Pass,
    Fail,
}

impl Grade {
    /// The name users read (中文): 优秀, 良好, 合格, 不合格.
    pub fn label(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Good => "良好",
            Grade::Pass => "合格",
            Grade::Fail => "不合格",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Assessment {
    /// 0–100 after deductions; `None` when no part applies (nothing to assess).
    pub score: Option<f64>,
    pub grade: Option<Grade>,
}

/// Scores a unit: the weighted mean of the parts that apply (a part that is not applicable
/// spreads its weight proportionally over the others), scaled to 100, minus the deductions for
/// admonishments and accountability decisions, floored at 0; then graded by the thresholds.
pub fn assess(
    inputs: &AssessmentInputs,
    weights: &AssessmentWeights,
    grades: &GradeThresholds,
) -> Assessment {
    let percent = |rate: Option<Rate>| rate.and_then(Rate::percent);
    let base = weighted_mean(&[
        (
            percent(inputs.to_date.completion_rate),
            weights.completion_rate,
        ),
        (
            percent(inputs.to_date.on_time_rate),
            weights.on_time_closure_rate,
        ),
        (
            percent(inputs.in_quarter.response_rate),
            weights.complaint_response_rate,
        ),
        (inputs.in_quarter.satisfaction, weights.satisfaction),
    ]);
    let Deductions {
        admonishments,
        accountability_decisions,
    } = inputs.deductions;
    let deductions = f64::from(admonishments) * weights.per_admonishment
        + f64::from(accountability_decisions) * weights.per_accountability_referral;
    // A unit with no applicable part is not graded — unless it has deductions: then it is
    // scored from a full 100 (DOMAIN.md "Assessment"), so an admonished unit with nothing to
    // measure cannot escape its deductions.
    let score = match base {
        Some(base) => Some((base - deductions).clamp(0.0, 100.0)),
        None if deductions > 0.0 => Some((100.0 - deductions).clamp(0.0, 100.0)),
        None => None,
    };
    Assessment {
        score,
        grade: score.map(|s| grade(s, grades)),
    }
}

pub fn grade(score: f64, grades: &GradeThresholds) -> Grade {
    if score >= grades.excellent {
        Grade::Excellent
    } else if score >= grades.good {
        Grade::Good
    } else if score >= grades.pass {
        Grade::Pass
    } else {
        Grade::Fail
    }
}

/// "Within two quarters": a unit's admonishment at `now` is its second within the window when
/// an earlier one falls within the `window_days` (182 by default) before it — both instants as
/// [`Admonishment::window_instant`](crate::admonishment::Admonishment::window_instant) gives
/// them (the cut-offs of the publications they rest on). A second one proposes accountability
/// of persons (问责).
pub fn within_referral_window(
    earlier: DateTime<Utc>,
    now: DateTime<Utc>,
    window_days: u32,
) -> bool {
    earlier <= now && now - earlier <= Duration::days(i64::from(window_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn a_rate_over_nothing_is_not_applicable() {
        assert_eq!(Rate::new(0, 0).percent(), None);
        assert!(close(Rate::new(3, 4).percent(), 75.0));
    }

    #[test]
    fn satisfaction_weighs_surveys_by_sample_and_blends_ratings_70_30() {
        let w = SatisfactionWeights::default();
        let surveys = [
            (Score::parse(90.0).unwrap_or_else(|_| unreachable!()), 300),
            (Score::parse(60.0).unwrap_or_else(|_| unreachable!()), 100),
        ];
        let ratings =
            [Rating::parse(5), Rating::parse(3)].map(|r| r.unwrap_or_else(|_| unreachable!()));
        // surveys: (90*300 + 60*100)/400 = 82.5; ratings: (100 + 50)/2 = 75; 0.7*82.5 + 0.3*75.
        assert!(close(satisfaction(&surveys, &ratings, &w), 80.25));
        // Without ratings the surveys carry the whole weight; with nothing, not applicable.
        assert!(close(satisfaction(&surveys, &[], &w), 82.5));
        assert_eq!(satisfaction(&[], &[], &w), None);
    }

    /// Inputs from percentages (as `n / 100`), `None` for not applicable.
    fn inputs(
        completion: Option<u64>,
        on_time: Option<u64>,
        response: Option<u64>,
        satisfaction: Option<f64>,
        (admonishments, accountability_decisions): (u32, u32),
    ) -> AssessmentInputs {
        let rate = |p: Option<u64>| p.map(|p| Rate::new(p, 100));
        AssessmentInputs {
            to_date: RatesToDate {
                completion_rate: rate(completion),
                on_time_rate: rate(on_time),
            },
            in_quarter: QuarterFigures {
                response_rate: rate(response),
                satisfaction,
            },
            deductions: Deductions {
                admonishments,
                accountability_decisions,
            },
        }
    }

    #[test]
    fn a_part_that_does_not_apply_spreads_its_weight_over_the_others() {
        let inputs = inputs(Some(100), Some(50), None, Some(80.0), (0, 0));
        let a = assess(
            &inputs,
            &AssessmentWeights::default(),
            &GradeThresholds::default(),
        );
        // (25*100 + 25*50 + 35*80) / 85 = 77.06… (DOMAIN.md weights 25/25/15/35)
        assert!(close(a.score, 6550.0 / 85.0));
        assert_eq!(a.grade, Some(Grade::Pass));
        // A rate over nothing (0 / 0) is not applicable either, as `None` is.
        let zero = AssessmentInputs {
            in_quarter: QuarterFigures {
                response_rate: Some(Rate::new(0, 0)),
                ..inputs.in_quarter.clone()
            },
            ..inputs
        };
        assert_eq!(
            assess(
                &zero,
                &AssessmentWeights::default(),
                &GradeThresholds::default()
            ),
            a
        );
    }

    /// Nothing applicable: not graded, unless deductions apply — then 100 − deductions.
    #[test]
    fn a_unit_with_deductions_and_nothing_applicable_is_graded_from_100() {
        let nothing = inputs(None, None, None, None, (0, 0));
        let (weights, grades) = (AssessmentWeights::default(), GradeThresholds::default());
        assert_eq!(assess(&nothing, &weights, &grades).score, None);
        let admonished = inputs(None, None, None, None, (2, 1));
        let a = assess(&admonished, &weights, &grades);
        assert!(close(a.score, 80.0), "{:?}", a.score);
        assert_eq!(a.grade, Some(Grade::Good));
    }

    #[test]
    fn deductions_and_grades_follow_the_defaults() {
        let full = inputs(Some(100), Some(100), Some(100), Some(100.0), (1, 1));
        let a = assess(
            &full,
            &AssessmentWeights::default(),
            &GradeThresholds::default(),
        );
        assert!(close(a.score, 85.0));
        assert_eq!(a.grade, Some(Grade::Good));
        let g = GradeThresholds::default();
        assert_eq!(grade(90.0, &g), Grade::Excellent);
        assert_eq!(grade(79.99, &g), Grade::Pass);
        assert_eq!(grade(59.99, &g), Grade::Fail);
        let nothing = inputs(None, None, None, None, (3, 0));
        // Nothing applicable but three admonishments: 100 − 15.
        assert_eq!(
            assess(&nothing, &AssessmentWeights::default(), &g).grade,
            Some(Grade::Good)
        );
    }

    #[test]
    fn two_quarters_means_182_days() {
        let t = |d: u32| {
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or_else(|| unreachable!())
                + Duration::days(i64::from(d))
        };
        assert!(within_referral_window(t(0), t(182), 182));
        assert!(!within_referral_window(t(0), t(183), 182));
        assert!(!within_referral_window(t(10), t(0), 182));
    }
}
