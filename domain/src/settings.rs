//! A campaign's settings: every number DOMAIN.md marks *configurable*, with the defaults of
//! the source document (竹溪县 2026) or, where it is silent, ours. Nothing in the aggregates
//! hard-codes one of these; they read them from the [`CampaignSettings`] in force when the
//! command is handled, and record the resulting instants in their events.

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::values::ValueError;

/// The fields of the campaign (整治领域), one task force each in the source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 医保基金 — medical-insurance fund.
    MedicalInsurance,
    /// 校园餐 — school meals.
    SchoolMeals,
    /// 养老服务 — elderly care.
    ElderlyCare,
    /// 国资国企 — state-owned assets and enterprises.
    StateAssets,
    /// Any further field a campaign adds.
    Other(String),
}

/// How long the receiving unit has to respond to a complaint (首接负责制).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "value")]
pub enum ResponseWindow {
    /// Elapsed hours from receipt (the source: 24 hours for school meals).
    Hours(u32),
    /// Working days from the day of receipt: due by 24:00 local of the n-th working day after it.
    WorkingDays(u32),
}

/// Quarterly assessment weights (季考核); they need not sum to 100 — the score is normalised by
/// the weights of the parts that apply, so a part whose rate is not applicable (zero
/// denominator) spreads its weight over the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentWeights {
    pub completion_rate: f64,
    pub on_time_closure_rate: f64,
    pub complaint_response_rate: f64,
    pub satisfaction: f64,
    /// Points deducted per admonishment in the quarter.
    pub per_admonishment: f64,
    /// Points deducted per accountability referral (问责) in the quarter.
    pub per_accountability_referral: f64,
}

impl Default for AssessmentWeights {
    fn default() -> Self {
        Self {
            completion_rate: 30.0,
            on_time_closure_rate: 30.0,
            complaint_response_rate: 15.0,
            satisfaction: 25.0,
            per_admonishment: 5.0,
            per_accountability_referral: 10.0,
        }
    }
}

/// Lower bounds of the assessment grades.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdmonishmentRules {
    /// A unit with at least this many overdue, non-exempt items is admonished.
    pub overdue_items_threshold: u32,
    /// Units in the bottom N of the overdue ranking…
    pub bottom_of_ranking: u32,
    /// …in this many consecutive monthly bulletins are admonished.
    pub consecutive_bulletins: u32,
    /// A unit graded "fail" in a quarterly assessment is admonished.
    pub admonish_on_fail: bool,
    /// A second admonishment within this many days of the previous one refers the unit for
    /// accountability ("within two quarters" = 182 days).
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

/// Every configurable number of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignSettings {
    /// The campaign's time zone; deadlines are local dates in it.
    pub time_zone: Tz,
    /// Working days a unit has to acknowledge (签收) an assigned item.
    pub acknowledgement_working_days: u32,
    /// Working days before a deadline at which a warning is recorded.
    pub warning_working_days: u32,
    /// Approved extensions (延期) an item may have.
    pub max_extensions: u32,
    /// Response window for school-meal complaints.
    pub school_meal_response: ResponseWindow,
    /// Response window for complaints in every other field.
    pub other_response: ResponseWindow,
    /// Days without a progress report after which the weekly dispatch lists an item as stalled.
    pub stall_days: u32,
    /// Days after sign-off at which re-inspection (回头看) is due.
    pub reinspection_days: u32,
    /// Fraction a mitigated (减轻) item counts against its unit, 0–1.
    pub mitigation_factor: f64,
    /// Send-backs after which an item shows yellow even outside the warning window.
    pub yellow_after_send_backs: u32,
    pub assessment_weights: AssessmentWeights,
    pub grades: GradeThresholds,
    pub satisfaction: SatisfactionWeights,
    pub admonishment: AdmonishmentRules,
}

impl Default for CampaignSettings {
    fn default() -> Self {
        Self {
            time_zone: chrono_tz::Asia::Shanghai,
            acknowledgement_working_days: 2,
            warning_working_days: 3,
            max_extensions: 2,
            school_meal_response: ResponseWindow::Hours(24),
            other_response: ResponseWindow::WorkingDays(3),
            stall_days: 14,
            reinspection_days: 90,
            mitigation_factor: 0.5,
            yellow_after_send_backs: 2,
            assessment_weights: AssessmentWeights::default(),
            grades: GradeThresholds::default(),
            satisfaction: SatisfactionWeights::default(),
            admonishment: AdmonishmentRules::default(),
        }
    }
}

impl CampaignSettings {
    /// The response window for a complaint in `field`.
    pub fn response_window(&self, field: &Field) -> ResponseWindow {
        match field {
            Field::SchoolMeals => self.school_meal_response,
            _ => self.other_response,
        }
    }

    /// Checks the settings are coherent; an invalid set is refused before it is recorded.
    pub fn validate(&self) -> Result<(), ValueError> {
        let finite_non_negative = |kind: &'static str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(ValueError::OutOfRange {
                    kind,
                    value: v.to_string(),
                    min: "0".into(),
                    max: "∞".into(),
                })
            }
        };
        if !(self.mitigation_factor.is_finite() && (0.0..=1.0).contains(&self.mitigation_factor)) {
            return Err(ValueError::OutOfRange {
                kind: "mitigation factor",
                value: self.mitigation_factor.to_string(),
                min: "0".into(),
                max: "1".into(),
            });
        }
        let w = &self.assessment_weights;
        for (kind, v) in [
            ("completion weight", w.completion_rate),
            ("on-time weight", w.on_time_closure_rate),
            ("complaint response weight", w.complaint_response_rate),
            ("satisfaction weight", w.satisfaction),
            ("admonishment deduction", w.per_admonishment),
            ("referral deduction", w.per_accountability_referral),
            ("survey satisfaction weight", self.satisfaction.surveys),
            (
                "complaint-rating satisfaction weight",
                self.satisfaction.complaint_ratings,
            ),
        ] {
            finite_non_negative(kind, v)?;
        }
        // Day counts are bounded so a typo cannot make deadline arithmetic run for ever.
        for (kind, days, max) in [
            (
                "acknowledgement working days",
                self.acknowledgement_working_days,
                366,
            ),
            ("warning working days", self.warning_working_days, 366),
            ("stall days", self.stall_days, 3_660),
            ("re-inspection days", self.reinspection_days, 3_660),
            ("extension limit", self.max_extensions, 100),
            (
                "consecutive bulletins",
                self.admonishment.consecutive_bulletins,
                120,
            ),
            (
                "referral window days",
                self.admonishment.referral_window_days,
                3_660,
            ),
        ] {
            if days > max {
                return Err(ValueError::OutOfRange {
                    kind,
                    value: days.to_string(),
                    min: "0".into(),
                    max: max.to_string(),
                });
            }
        }
        let g = &self.grades;
        if !(g.excellent >= g.good && g.good >= g.pass && g.pass >= 0.0 && g.excellent <= 100.0) {
            return Err(ValueError::Invalid {
                kind: "grades",
                value: format!("{}/{}/{}", g.excellent, g.good, g.pass),
                rule: "100 >= excellent >= good >= pass >= 0",
            });
        }
        for (kind, window) in [
            ("school-meal response window", self.school_meal_response),
            ("response window", self.other_response),
        ] {
            let too_long = match window {
                ResponseWindow::Hours(h) => h > 24 * 366,
                ResponseWindow::WorkingDays(d) => d > 366,
            };
            if too_long {
                return Err(ValueError::Invalid {
                    kind,
                    value: format!("{window:?}"),
                    rule: "at most a year",
                });
            }
            if matches!(
                window,
                ResponseWindow::Hours(0) | ResponseWindow::WorkingDays(0)
            ) {
                return Err(ValueError::Invalid {
                    kind,
                    value: "0".into(),
                    rule: "must be at least 1",
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_absurd_day_counts_are_not() {
        assert_eq!(CampaignSettings::default().validate(), Ok(()));
        let huge_warning = CampaignSettings {
            warning_working_days: 1_000_000_000,
            ..CampaignSettings::default()
        };
        assert!(huge_warning.validate().is_err());
        let huge_window = CampaignSettings {
            other_response: ResponseWindow::WorkingDays(10_000),
            ..CampaignSettings::default()
        };
        assert!(huge_window.validate().is_err());
    }
}
