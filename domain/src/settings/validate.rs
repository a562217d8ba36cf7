//! Which settings a campaign may have: every number bounded so deadline arithmetic cannot run
//! for ever, and none degenerate (a threshold of 0 would admonish every unit; 0 send-backs would
//! paint every item yellow).

use chrono::Timelike;

use super::{CampaignSettings, ResponseWindow};
use crate::values::ValueError;

impl CampaignSettings {
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
                kind: "减轻系数",
                value: self.mitigation_factor.to_string(),
                min: "0".into(),
                max: "1".into(),
            });
        }
        let w = &self.assessment_weights;
        for (kind, v) in [
            ("整改完成率权重", w.completion_rate),
            ("按期销号率权重", w.on_time_closure_rate),
            ("投诉响应率权重", w.complaint_response_rate),
            ("群众满意度权重", w.satisfaction),
            ("每次约谈提醒扣分", w.per_admonishment),
            ("每项问责决定扣分", w.per_accountability_referral),
            ("满意度测评权重", self.satisfaction.surveys),
            ("投诉评价权重", self.satisfaction.complaint_ratings),
        ] {
            finite_non_negative(kind, v)?;
        }
        // Day counts are bounded so a typo cannot make deadline arithmetic run for ever.
        for (kind, days, max) in [
            ("签收时限（工作日）", self.acknowledgement_working_days, 366),
            ("临期预警提前工作日数", self.warning_working_days, 366),
            (
                "预警研判时限（工作日）",
                self.alert_triage_working_days,
                366,
            ),
            ("长期无进展天数", self.stall_days, 3_660),
            ("回头看间隔天数", self.reinspection_days, 3_660),
            ("延期次数上限", self.max_extensions, 100),
            ("连续通报期数", self.admonishment.consecutive_bulletins, 120),
            (
                "再次约谈提出问责的间隔天数",
                self.admonishment.referral_window_days,
                3_660,
            ),
            ("周调度补发期天数", self.rhythm.dispatch_catch_up_days, 366),
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
        // Thresholds and counts that would make a rule fire for everyone, or never mean
        // anything, are refused (DOMAIN.md marks each as configurable, none as optional).
        for (kind, value) in [
            ("签收时限（工作日）", self.acknowledgement_working_days),
            ("临期预警提前工作日数", self.warning_working_days),
            ("预警研判时限（工作日）", self.alert_triage_working_days),
            ("长期无进展天数", self.stall_days),
            ("回头看间隔天数", self.reinspection_days),
            ("亮黄灯的退回次数", self.yellow_after_send_backs),
            (
                "约谈提醒的逾期事项数标准",
                self.admonishment.overdue_items_threshold,
            ),
            ("逾期排名后列名次数", self.admonishment.bottom_of_ranking),
            ("连续通报期数", self.admonishment.consecutive_bulletins),
            (
                "再次约谈提出问责的间隔天数",
                self.admonishment.referral_window_days,
            ),
            // 0 would skip a dispatch missed by a second.
            ("周调度补发期天数", self.rhythm.dispatch_catch_up_days),
        ] {
            if value == 0 {
                return Err(ValueError::Invalid {
                    kind,
                    value: "0".into(),
                    rule: "不得小于 1",
                });
            }
        }
        // Publications fall due on a whole minute (a leap second or a fraction of one would
        // make a due instant no clock shows).
        let publish_at = self.rhythm.publish_at;
        if publish_at.second() != 0 || publish_at.nanosecond() != 0 {
            return Err(ValueError::Invalid {
                kind: "发布时刻",
                value: publish_at.to_string(),
                rule: "应为整分钟（hh:mm）",
            });
        }
        let parts = [
            w.completion_rate,
            w.on_time_closure_rate,
            w.complaint_response_rate,
            w.satisfaction,
        ];
        if parts.iter().sum::<f64>() <= 0.0 {
            return Err(ValueError::Invalid {
                kind: "考核权重",
                value: parts.map(|part| part.to_string()).join("/"),
                rule: "至少一项权重须大于 0",
            });
        }
        if self.satisfaction.surveys + self.satisfaction.complaint_ratings <= 0.0 {
            return Err(ValueError::Invalid {
                kind: "满意度权重",
                value: format!(
                    "{}/{}",
                    self.satisfaction.surveys, self.satisfaction.complaint_ratings
                ),
                rule: "至少一项权重须大于 0",
            });
        }
        let care = &self.care_home.weights;
        for (kind, v) in [
            ("养老机构硬件设施权重", care.facilities),
            ("养老机构服务内容权重", care.services),
            ("养老机构人员资质权重", care.staff),
        ] {
            finite_non_negative(kind, v)?;
        }
        if care.facilities + care.services + care.staff <= 0.0 {
            return Err(ValueError::Invalid {
                kind: "养老机构评分权重",
                value: format!("{}/{}/{}", care.facilities, care.services, care.staff),
                rule: "至少一个维度的权重须大于 0",
            });
        }
        let b = &self.care_home.bands;
        if !(b.two > 0.0
            && b.two < b.three
            && b.three < b.four
            && b.four < b.five
            && b.five <= 100.0)
        {
            return Err(ValueError::Invalid {
                kind: "星级分档",
                value: format!("{}/{}/{}/{}", b.two, b.three, b.four, b.five),
                rule: "应满足 0 < 二星 < 三星 < 四星 < 五星 ≤ 100",
            });
        }
        let g = &self.grades;
        // Four grades that can all be given: equal thresholds would leave a grade no score can
        // reach, and a pass mark of 0 would leave "fail" (and its admonishment) unreachable.
        if !(g.excellent > g.good && g.good > g.pass && g.pass > 0.0 && g.excellent <= 100.0) {
            return Err(ValueError::Invalid {
                kind: "考核等次分数线",
                value: format!("{}/{}/{}", g.excellent, g.good, g.pass),
                rule: "应满足 100 ≥ 优秀 > 良好 > 合格 > 0",
            });
        }
        for (kind, window) in [
            ("校园餐投诉答复时限", self.school_meal_response),
            ("其他投诉答复时限", self.other_response),
        ] {
            let too_long = match window {
                ResponseWindow::Hours(h) => h > 24 * 366,
                ResponseWindow::WorkingDays(d) => d > 366,
            };
            if too_long {
                return Err(ValueError::Invalid {
                    kind,
                    value: window_text(window),
                    rule: "最长一年",
                });
            }
            if matches!(
                window,
                ResponseWindow::Hours(0) | ResponseWindow::WorkingDays(0)
            ) {
                return Err(ValueError::Invalid {
                    kind,
                    value: window_text(window),
                    rule: "不得小于 1",
                });
            }
        }
        Ok(())
    }
}

/// A response window as users read it: `24 小时`, `3 个工作日`.
fn window_text(window: ResponseWindow) -> String {
    match window {
        ResponseWindow::Hours(hours) => format!("{hours} 小时"),
        ResponseWindow::WorkingDays(days) => format!("{days} 个工作日"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;

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
        assert_eq!(
            huge_window.validate().map_err(|e| e.to_string()),
            Err("其他投诉答复时限 \"10000 个工作日\" 不符合要求：最长一年".to_owned())
        );
    }

    /// Every threshold and count DOMAIN.md marks configurable refuses 0, where 0 would make a
    /// rule fire for everyone or never mean anything; weights must leave something to weigh.
    #[test]
    fn degenerate_settings_are_refused() {
        let zero_threshold = |f: fn(&mut CampaignSettings)| {
            let mut settings = CampaignSettings::default();
            f(&mut settings);
            settings.validate()
        };
        for (name, refused) in [
            (
                "overdue threshold",
                zero_threshold(|s| s.admonishment.overdue_items_threshold = 0),
            ),
            (
                "bottom of ranking",
                zero_threshold(|s| s.admonishment.bottom_of_ranking = 0),
            ),
            (
                "consecutive bulletins",
                zero_threshold(|s| s.admonishment.consecutive_bulletins = 0),
            ),
            (
                "send-backs",
                zero_threshold(|s| s.yellow_after_send_backs = 0),
            ),
            (
                "acknowledgement days",
                zero_threshold(|s| s.acknowledgement_working_days = 0),
            ),
            (
                "alert triage days",
                zero_threshold(|s| s.alert_triage_working_days = 0),
            ),
            ("pass mark of 0", zero_threshold(|s| s.grades.pass = 0.0)),
            (
                "good equal to excellent",
                zero_threshold(|s| s.grades.good = s.grades.excellent),
            ),
            (
                "alert triage days beyond a year",
                zero_threshold(|s| s.alert_triage_working_days = 367),
            ),
            (
                "assessment weights",
                zero_threshold(|s| {
                    s.assessment_weights.completion_rate = 0.0;
                    s.assessment_weights.on_time_closure_rate = 0.0;
                    s.assessment_weights.complaint_response_rate = 0.0;
                    s.assessment_weights.satisfaction = 0.0;
                }),
            ),
            (
                "care-home weights",
                zero_threshold(|s| {
                    s.care_home.weights = CareHomeWeights {
                        facilities: 0.0,
                        services: 0.0,
                        staff: 0.0,
                    }
                }),
            ),
            (
                "star bands out of order",
                zero_threshold(|s| s.care_home.bands.four = 95.0),
            ),
        ] {
            assert!(refused.is_err(), "{name} was accepted");
        }
    }

    /// Settings recorded before the alert triage window existed load with its default.
    #[test]
    fn settings_without_an_alert_triage_window_load_with_the_default() {
        let mut json = serde_json::to_value(CampaignSettings::default()).expect("json");
        if let Some(fields) = json.as_object_mut() {
            fields.remove("alert_triage_working_days");
        }
        let loaded: CampaignSettings = serde_json::from_value(json).expect("loads");
        assert_eq!(loaded.alert_triage_working_days, 3);
    }

    /// Settings recorded before the rhythm existed load with 09:00, Monday and 3 days; a
    /// rhythm missing one field loads the others.
    #[test]
    fn settings_without_a_rhythm_load_with_the_defaults() {
        let mut json = serde_json::to_value(CampaignSettings::default()).expect("json");
        if let Some(fields) = json.as_object_mut() {
            fields.remove("rhythm");
        }
        let loaded: CampaignSettings = serde_json::from_value(json.clone()).expect("loads");
        assert_eq!(loaded.rhythm, Rhythm::default());
        assert_eq!(
            loaded.rhythm.publish_at,
            chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("09:00")
        );
        assert_eq!(loaded.rhythm.dispatch_weekday, chrono::Weekday::Mon);
        if let Some(fields) = json.as_object_mut() {
            fields.insert(
                "rhythm".into(),
                serde_json::json!({"dispatch_weekday": "Tue"}),
            );
        }
        let loaded: CampaignSettings = serde_json::from_value(json).expect("loads");
        assert_eq!(loaded.rhythm.dispatch_weekday, chrono::Weekday::Tue);
        assert_eq!(loaded.rhythm.dispatch_catch_up_days, 7);
    }

    #[test]
    fn a_rhythm_needs_a_catch_up_window_and_a_whole_minute() {
        let with = |rhythm: Rhythm| {
            CampaignSettings {
                rhythm,
                ..CampaignSettings::default()
            }
            .validate()
        };
        for days in [0, 367] {
            assert!(with(Rhythm {
                dispatch_catch_up_days: days,
                ..Rhythm::default()
            })
            .is_err());
        }
        assert!(with(Rhythm {
            publish_at: chrono::NaiveTime::from_hms_opt(9, 0, 30).expect("time"),
            ..Rhythm::default()
        })
        .is_err());
        assert_eq!(
            with(Rhythm {
                publish_at: chrono::NaiveTime::from_hms_opt(8, 30, 0).expect("time"),
                dispatch_weekday: chrono::Weekday::Fri,
                dispatch_catch_up_days: 7,
            }),
            Ok(())
        );
    }

    #[test]
    fn the_assessment_weights_are_those_of_the_domain() {
        let w = AssessmentWeights::default();
        assert_eq!(
            (
                w.completion_rate,
                w.on_time_closure_rate,
                w.complaint_response_rate,
                w.satisfaction
            ),
            (25.0, 25.0, 15.0, 35.0)
        );
        let bands = StarBands::default();
        assert_eq!(
            [0.0, 59.9, 60.0, 75.0, 89.9, 90.0, 100.0].map(|t| bands.stars(t)),
            [1, 1, 2, 3, 4, 5, 5]
        );
    }
}
