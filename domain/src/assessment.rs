//! The arithmetic of bulletins and assessments (月通报、季考核), as pure functions the
//! projections call, so every report computes a rate, a satisfaction or a grade the same way.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::settings::{AssessmentWeights, GradeThresholds, SatisfactionWeights};
use crate::values::{Rating, Score};

/// A rate with its parts kept, so reports can show "12 / 15".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// What a unit's quarterly assessment is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentInputs {
    /// Items closed / items due in the quarter (exempt items left out, mitigated ones weighted).
    pub completion: Option<f64>,
    /// Closed on time / closed.
    pub on_time_closure: Option<f64>,
    /// Complaints answered within their deadline / complaints due.
    pub complaint_response: Option<f64>,
    /// [`satisfaction`], 0–100.
    pub satisfaction: Option<f64>,
    pub admonishments: u32,
    pub accountability_referrals: u32,
}

/// 优秀 / 良好 / 合格 / 不合格.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Excellent,
    Good,
    Pass,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    let base = weighted_mean(&[
        (inputs.completion, weights.completion_rate),
        (inputs.on_time_closure, weights.on_time_closure_rate),
        (inputs.complaint_response, weights.complaint_response_rate),
        (inputs.satisfaction, weights.satisfaction),
    ]);
    let deductions = f64::from(inputs.admonishments) * weights.per_admonishment
        + f64::from(inputs.accountability_referrals) * weights.per_accountability_referral;
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

    #[test]
    fn a_part_that_does_not_apply_spreads_its_weight_over_the_others() {
        let inputs = AssessmentInputs {
            completion: Some(100.0),
            on_time_closure: Some(50.0),
            complaint_response: None,
            satisfaction: Some(80.0),
            admonishments: 0,
            accountability_referrals: 0,
        };
        let a = assess(
            &inputs,
            &AssessmentWeights::default(),
            &GradeThresholds::default(),
        );
        // (25*100 + 25*50 + 35*80) / 85 = 77.06… (DOMAIN.md weights 25/25/15/35)
        assert!(close(a.score, 6550.0 / 85.0));
        assert_eq!(a.grade, Some(Grade::Pass));
    }

    /// Nothing applicable: not graded, unless deductions apply — then 100 − deductions.
    #[test]
    fn a_unit_with_deductions_and_nothing_applicable_is_graded_from_100() {
        let nothing = AssessmentInputs {
            completion: None,
            on_time_closure: None,
            complaint_response: None,
            satisfaction: None,
            admonishments: 0,
            accountability_referrals: 0,
        };
        let (weights, grades) = (AssessmentWeights::default(), GradeThresholds::default());
        assert_eq!(assess(&nothing, &weights, &grades).score, None);
        let admonished = AssessmentInputs {
            admonishments: 2,
            accountability_referrals: 1,
            ..nothing
        };
        let a = assess(&admonished, &weights, &grades);
        assert!(close(a.score, 80.0), "{:?}", a.score);
        assert_eq!(a.grade, Some(Grade::Good));
    }

    #[test]
    fn deductions_and_grades_follow_the_defaults() {
        let full = AssessmentInputs {
            completion: Some(100.0),
            on_time_closure: Some(100.0),
            complaint_response: Some(100.0),
            satisfaction: Some(100.0),
            admonishments: 1,
            accountability_referrals: 1,
        };
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
        let nothing = AssessmentInputs {
            completion: None,
            on_time_closure: None,
            complaint_response: None,
            satisfaction: None,
            admonishments: 3,
            accountability_referrals: 0,
        };
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
