//! The parts of a campaign's settings that group several numbers: assessment weights and
//! grades, satisfaction, admonishment rules, care-home rating.

use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// Quarterly assessment weights (季考核); they need not sum to 100 — the score is normalised by
/// the weights of the parts that apply, so a part whose rate is not applicable (zero
/// denominator) spreads its weight over the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AssessmentWeights {
    pub completion_rate: f64,
    pub on_time_closure_rate: f64,
    pub complaint_response_rate: f64,
    pub satisfaction: f64,
    /// Points deducted per admonishment resting on a publication whose cut-off falls in the
    /// quarter ([`AssessmentPeriod::counts_admonishment`](crate::assessment::AssessmentPeriod::counts_admonishment)).
    pub per_admonishment: f64,
    /// Points deducted per accountability decision (问责) other than 不予问责 decided in the
    /// quarter ([`AssessmentPeriod::counts_decision`](crate::assessment::AssessmentPeriod::counts_decision)).
    /// Named "referral" for its first draft; the name stays, as campaign events record it.
    pub per_accountability_referral: f64,
}

/// DOMAIN.md "Assessment": completion 25, on-time 25, response 15, satisfaction 35 (the
/// source's core yardstick); 5 points per admonishment, 10 per accountability decision.
impl Default for AssessmentWeights {
    fn default() -> Self {
        Self {
            completion_rate: 25.0,
            on_time_closure_rate: 25.0,
            complaint_response_rate: 15.0,
            satisfaction: 35.0,
            per_admonishment: 5.0,
            per_accountability_referral: 10.0,
        }
    }
}

/// Lower bounds of the assessment grades.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GradeThresholds {
    pub excellent: f64,
    pub good: f64,
    pub pass: f64,
}

impl Default for GradeThresholds {
    fn default() -> Self {
        Self {
            excellent: 90.0,
            good: 80.0,
            pass: 60.0,
        }
    }
}

/// How satisfaction is composed: survey scores and complaint ratings (1–5 mapped to 0–100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SatisfactionWeights {
    pub surveys: f64,
    pub complaint_ratings: f64,
}

impl Default for SatisfactionWeights {
    fn default() -> Self {
        Self {
            surveys: 70.0,
            complaint_ratings: 30.0,
        }
    }
}

/// The rules that trigger admonishment (约谈提醒) and accountability (问责).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdmonishmentRules {
    /// A unit with at least this many overdue, non-exempt items is admonished.
    pub overdue_items_threshold: u32,
    /// Units in the bottom N of the overdue ranking…
    pub bottom_of_ranking: u32,
    /// …in this many consecutive monthly bulletins are admonished.
    pub consecutive_bulletins: u32,
    /// A unit graded "fail" in a quarterly assessment is admonished.
    pub admonish_on_fail: bool,
    /// A unit's second admonishment within this many days of the previous one (measured
    /// between the cut-offs they rest on) proposes accountability (问责) of its unit head and
    /// the responsible persons of the items involved ("within two quarters" = 182 days).
    pub referral_window_days: u32,
}

impl Default for AdmonishmentRules {
    fn default() -> Self {
        Self {
            overdue_items_threshold: 3,
            bottom_of_ranking: 3,
            consecutive_bulletins: 2,
            admonish_on_fail: true,
            referral_window_days: 182,
        }
    }
}

/// How a care home's inspection is scored (星级评定): three dimensions weighted into a total of
/// 0–100, which gives its stars.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CareHomeRating {
    pub weights: CareHomeWeights,
    pub bands: StarBands,
}

/// The weights of the three dimensions of a care home's score; relative (the total is the
/// weighted mean), so they need not sum to 100. Ours: equal, where the source is silent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CareHomeWeights {
    /// 硬件设施 — facilities.
    pub facilities: f64,
    /// 服务内容 — services.
    pub services: f64,
    /// 人员资质 — staff qualifications.
    pub staff: f64,
}

impl Default for CareHomeWeights {
    fn default() -> Self {
        Self {
            facilities: 1.0,
            services: 1.0,
            staff: 1.0,
        }
    }
}

/// The lowest total score of each star rating above one star (below `two`: one star).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StarBands {
    pub two: f64,
    pub three: f64,
    pub four: f64,
    pub five: f64,
}

impl Default for StarBands {
    fn default() -> Self {
        Self {
            two: 60.0,
            three: 70.0,
            four: 80.0,
            five: 90.0,
        }
    }
}

impl StarBands {
    /// The stars (1–5) of a total score.
    pub fn stars(&self, total: f64) -> u8 {
        [self.two, self.three, self.four, self.five]
            .iter()
            .filter(|lower| total >= **lower)
            .count() as u8
            + 1
    }
}

/// The rhythm of publications (DOMAIN.md "The rhythm"): when each falls due, and how long a
/// missed weekly dispatch is still worth publishing late.
///
/// A bulletin or an assessment falls due at `publish_at` (local) on the first working day on or
/// after its cut-off's local date; a dispatch at `publish_at` on the first working day on or
/// after its nominal `dispatch_weekday` ([`due_at`](crate::publication::due_at)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rhythm {
    /// The local time of day every publication falls due (the source: 09:00).
    #[serde(default = "default_publish_at")]
    pub publish_at: NaiveTime,
    /// The weekday of the weekly dispatch (周调度), before it is moved to the next working day
    /// (the source: Monday). Serialized as `"Mon"` … `"Sun"`.
    #[serde(default = "default_dispatch_weekday")]
    pub dispatch_weekday: Weekday,
    /// Days (of 24 hours) after it fell due during which a missed dispatch must still be
    /// published, late; older, it is recorded as skipped and can no longer be published. By
    /// default 7 (the scheduler issue): a week's dispatch missed is still made until the next
    /// one is due; a campaign that wants it only while it is mostly about the week ahead sets
    /// fewer.
    #[serde(default = "default_dispatch_catch_up_days")]
    pub dispatch_catch_up_days: u32,
}

fn default_publish_at() -> NaiveTime {
    NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN)
}

fn default_dispatch_weekday() -> Weekday {
    Weekday::Mon
}

fn default_dispatch_catch_up_days() -> u32 {
    7
}

/// DOMAIN.md: Monday 09:00 dispatches, bulletins and assessments at 09:00; a catch-up window
/// of 7 days (the scheduler issue).
impl Default for Rhythm {
    fn default() -> Self {
        Self {
            publish_at: default_publish_at(),
            dispatch_weekday: default_dispatch_weekday(),
            dispatch_catch_up_days: default_dispatch_catch_up_days(),
        }
    }
}
