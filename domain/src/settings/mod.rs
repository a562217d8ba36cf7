//! A campaign's settings: every number DOMAIN.md marks *configurable*, with the defaults of
//! the source document (竹溪县 2026) or, where it is silent, ours. Nothing in the aggregates
//! hard-codes one of these; they read them from the [`CampaignSettings`] in force when the
//! command is handled, and record the resulting instants in their events.

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::values::UnitId;

mod parts;
mod validate;

pub use parts::{
    AdmonishmentRules, AssessmentWeights, CareHomeRating, CareHomeWeights, GradeThresholds, Rhythm,
    SatisfactionWeights, StarBands,
};

/// The fields of the campaign (整治领域), one task force each in the source.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
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

impl Field {
    /// The name users read (中文): 医保基金, 校园餐, 养老服务, 国资国企; a field a campaign added
    /// goes by its own name. For messages only: the wire and the stream ids spell a field by
    /// its serde name.
    pub fn label(&self) -> &str {
        match self {
            Field::MedicalInsurance => "医保基金",
            Field::SchoolMeals => "校园餐",
            Field::ElderlyCare => "养老服务",
            Field::StateAssets => "国资国企",
            Field::Other(name) => name,
        }
    }

    /// The violation categories the source names for the field (DOMAIN.md, seed): a task
    /// force's vocabulary starts from these; a campaign may add more. Other fields name none.
    pub fn seed_categories(&self) -> &'static [&'static str] {
        match self {
            Field::MedicalInsurance => &["虚构服务", "串换项目", "欺诈骗保", "过度医疗"],
            Field::SchoolMeals => &["克扣", "劣质食材"],
            Field::ElderlyCare => &["虚报冒领补贴", "服务质量低下"],
            Field::StateAssets => &["违规投资", "招标采购", "资产处置"],
            Field::Other(_) => &[],
        }
    }
}

/// How long the receiving unit has to respond to a complaint (首接负责制).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "unit", content = "value")]
pub enum ResponseWindow {
    /// Elapsed hours from receipt (the source: 24 hours for school meals).
    Hours(u32),
    /// Working days from the day of receipt: due by 24:00 local of the n-th working day after it.
    WorkingDays(u32),
}

/// Every configurable number of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CampaignSettings {
    /// The campaign's time zone; deadlines are local dates in it.
    /// An IANA time zone name, e.g. `Asia/Shanghai`.
    #[schemars(with = "String")]
    pub time_zone: Tz,
    /// Working days a unit has to acknowledge (签收) an assigned item.
    pub acknowledgement_working_days: u32,
    /// Working days before a deadline at which a warning is recorded.
    pub warning_working_days: u32,
    /// Approved extensions (延期) an item may have.
    pub max_extensions: u32,
    /// Response window for school-meal complaints.
    pub school_meal_response: ResponseWindow,
    /// The education department (教育局): the responder to every school-meal complaint,
    /// whoever received it (DOMAIN.md, complaints). A campaign without one cannot receive
    /// school-meal complaints.
    pub school_meal_responder: Option<UnitId>,
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
    /// How care homes are rated (星级评定).
    pub care_home: CareHomeRating,
    /// Working days the secretariat has to triage a data alert (数据预警研判): due by 24:00
    /// local of the N-th working day after the local date of receipt, as every working-day
    /// window. Defaulted when absent, so settings recorded before it existed still load.
    #[serde(default = "default_alert_triage_working_days")]
    pub alert_triage_working_days: u32,
    /// When publications fall due, and the weekly dispatch's catch-up window. Defaulted when
    /// absent, so settings recorded before it existed still load.
    #[serde(default)]
    pub rhythm: Rhythm,
}

/// DOMAIN.md "Data alerts": 3 working days (ours).
fn default_alert_triage_working_days() -> u32 {
    3
}

impl Default for CampaignSettings {
    fn default() -> Self {
        Self {
            time_zone: chrono_tz::Asia::Shanghai,
            acknowledgement_working_days: 2,
            warning_working_days: 3,
            max_extensions: 2,
            school_meal_response: ResponseWindow::Hours(24),
            school_meal_responder: None,
            other_response: ResponseWindow::WorkingDays(3),
            stall_days: 14,
            reinspection_days: 90,
            mitigation_factor: 0.5,
            yellow_after_send_backs: 2,
            assessment_weights: AssessmentWeights::default(),
            grades: GradeThresholds::default(),
            satisfaction: SatisfactionWeights::default(),
            admonishment: AdmonishmentRules::default(),
            care_home: CareHomeRating::default(),
            alert_triage_working_days: default_alert_triage_working_days(),
            rhythm: Rhythm::default(),
        }
    }
}

impl CampaignSettings {
    /// The unit that must respond to a complaint in `field` received by `receiving_unit`: the
    /// education department for school meals, the first receiver otherwise. `None` when the
    /// campaign names no education department.
    pub fn responder(&self, field: &Field, receiving_unit: &UnitId) -> Option<UnitId> {
        match field {
            Field::SchoolMeals => self.school_meal_responder.clone(),
            _ => Some(receiving_unit.clone()),
        }
    }

    /// The response window for a complaint in `field`.
    pub fn response_window(&self, field: &Field) -> ResponseWindow {
        match field {
            Field::SchoolMeals => self.school_meal_response,
            _ => self.other_response,
        }
    }
}
