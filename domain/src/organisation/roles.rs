//! The roles of DOMAIN.md's matrix, and the system actors that are not persons.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::settings::Field;
use crate::values::{PersonId, TaskForceId};

/// A role granted to a person (an event of the organisation). Being a member of a unit, its
/// head, or an item's responsible person are not granted: they follow from the organisation
/// and the item.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// Infrastructure only: tokens, the organisation, settings. Passes no domain role check.
    Admin,
    /// 专班办公室 — the secretariat of one task force.
    Secretariat { task_force: TaskForceId },
    /// 领导小组 — reads everything but sealed text; gives 批示.
    Leadership,
    /// 纪检监察 — decides accountability and dispositions of investigations.
    DisciplineInspection,
    /// 民政部门 — care-home inspections, licence revocation, the care-home blacklist.
    CivilAffairs,
    /// An integrator of one kind: pushes what its kind owns.
    Integrator { kind: IntegratorKind },
}

impl Role {
    /// 专班办公室, the secretariat of a task force as users read it.
    pub(crate) const SECRETARIAT: &'static str = "专班办公室";

    /// The role's name as users read it (中文), without the task force it is for:
    /// 系统管理员, 专班办公室, 领导小组, 纪检监察机关, 民政部门, or the integrator's system.
    /// [`Display`](fmt::Display) names the task force too.
    pub fn label(&self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::Secretariat { .. } => Self::SECRETARIAT,
            Role::Leadership => "领导小组",
            Role::DisciplineInspection => "纪检监察机关",
            Role::CivilAffairs => "民政部门",
            Role::Integrator { kind } => kind.label(),
        }
    }
}

/// The role as users read it (中文): for messages only, never parsed back (events and commands
/// carry a role as JSON).
impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Secretariat { task_force } => {
                write!(f, "专班 {task_force} 的{}", Self::SECRETARIAT)
            }
            other => f.write_str(other.label()),
        }
    }
}

/// What an integrator pushes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IntegratorKind {
    /// 医保智能监控平台 — data alerts.
    MedicalInsurancePlatform,
    /// The parents' school-meal mini-program — complaints.
    MealApp,
    /// 公共资源交易平台 — procurement records.
    TradingPlatform,
    /// SMS / WeChat notifiers — subscribe only.
    Notifier,
}

impl IntegratorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MedicalInsurancePlatform => "medical_insurance_platform",
            Self::MealApp => "meal_app",
            Self::TradingPlatform => "trading_platform",
            Self::Notifier => "notifier",
        }
    }

    /// The field whose events an integrator of this kind follows **(ours)**: the platform
    /// that pushes a field's alerts, complaints or procurement records hears back what became
    /// of them, and no other field's work; a notifier, which tells people what they must do,
    /// follows every field (`None`).
    pub fn field(self) -> Option<Field> {
        match self {
            Self::MedicalInsurancePlatform => Some(Field::MedicalInsurance),
            Self::MealApp => Some(Field::SchoolMeals),
            Self::TradingPlatform => Some(Field::StateAssets),
            Self::Notifier => None,
        }
    }

    /// The name users read (中文): the system it stands for.
    pub fn label(self) -> &'static str {
        match self {
            Self::MedicalInsurancePlatform => "医保智能监控平台",
            Self::MealApp => "校园餐家长小程序",
            Self::TradingPlatform => "公共资源交易平台",
            Self::Notifier => "短信/微信通知服务",
        }
    }
}

/// An actor that is a rule of the system rather than a person: a policy reacting to an event
/// (`policy:<name>`) or a scheduled occurrence (`schedule:<id>`). The executor stamps them; an
/// HTTP caller can never act as one (the adapter refuses such ids for tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemActor<'a> {
    Policy(&'a str),
    Schedule(&'a str),
}

impl<'a> SystemActor<'a> {
    /// The system actor `person` names, if it names one.
    pub fn of(person: &'a PersonId) -> Option<Self> {
        let id = person.as_str();
        let named = |prefix: &str| id.strip_prefix(prefix).filter(|n| !n.is_empty());
        named("policy:")
            .map(Self::Policy)
            .or_else(|| named("schedule:").map(Self::Schedule))
    }

    /// Whether `person` is a schedule (deadline facts, publications, missed windows).
    pub fn is_schedule(person: &PersonId) -> bool {
        matches!(SystemActor::of(person), Some(SystemActor::Schedule(_)))
    }

    /// Whether `person` is a policy (admonishment triggers, accountability proposals).
    pub fn is_policy(person: &PersonId) -> bool {
        matches!(SystemActor::of(person), Some(SystemActor::Policy(_)))
    }
}
