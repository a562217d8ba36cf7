//! Acting for one role: what an API token or a login lets its person do.
//!
//! DOMAIN.md: "an API token or login acts for one person and one of that person's roles". A
//! secretariat member who is also a member of a unit may verify other units' sign-offs with
//! the secretariat's token, and acknowledge their own unit's items with the unit's — never the
//! one with the other. So the organisation a command is admitted against can be *narrowed* to
//! the role its sender acts in ([`Organisation::acting_as`]): [`Party::admits`] then admits the
//! sender only as a party that role makes them. Narrowing takes privileges away and nothing
//! else: the sender's unit still counts against them (segregation of duties: a secretariat
//! token does not make its holder outside their own unit).
//!
//! [`Party::admits`]: crate::permission::Party::admits

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{IntegratorKind, Organisation, Role};
use crate::permission::Party;
use crate::values::{PersonId, TaskForceId, UnitId};

/// The role a sender acts in: a granted [`Role`] (a secretariat for one or more task forces),
/// or membership of a unit (being its member, head or an item's responsible person is not
/// granted: it follows from the organisation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Acting {
    /// Infrastructure: tokens, the organisation, settings.
    Admin,
    /// 专班办公室 of these task forces (at least one).
    Secretariat { task_forces: BTreeSet<TaskForceId> },
    /// A person of this unit: its member, its head (一把手), an item's responsible person, a
    /// complaint's designated handler.
    Unit { unit: UnitId },
    /// 领导小组.
    Leadership,
    /// 纪检监察.
    DisciplineInspection,
    /// 民政部门.
    CivilAffairs,
    /// An integrator of one kind.
    Integrator { kind: IntegratorKind },
}

impl Acting {
    /// Whether `person` holds this role in `organisation` now: every task force's secretariat,
    /// membership of the unit, the granted role. A token whose role was revoked, or whose
    /// person moved to another unit, acts no longer.
    pub fn is_held_by(&self, organisation: &Organisation, person: &PersonId) -> bool {
        match self {
            Acting::Unit { unit } => organisation.is_member(unit, person),
            Acting::Secretariat { task_forces } => {
                !task_forces.is_empty()
                    && task_forces.iter().all(|task_force| {
                        organisation.has_role(
                            person,
                            &Role::Secretariat {
                                task_force: task_force.clone(),
                            },
                        )
                    })
            }
            granted => granted
                .granted_role()
                .is_some_and(|role| organisation.has_role(person, &role)),
        }
    }

    /// The single granted role this is, for the roles that are one.
    fn granted_role(&self) -> Option<Role> {
        Some(match self {
            Acting::Admin => Role::Admin,
            Acting::Leadership => Role::Leadership,
            Acting::DisciplineInspection => Role::DisciplineInspection,
            Acting::CivilAffairs => Role::CivilAffairs,
            Acting::Integrator { kind } => Role::Integrator { kind: *kind },
            Acting::Secretariat { .. } | Acting::Unit { .. } => return None,
        })
    }

    /// Whether acting in this role may make its sender `party` (one party, not
    /// [`Party::AnyOf`], which is decided party by party). System parties — schedules and
    /// policies — are never a person's.
    pub(crate) fn may_be(&self, party: &Party) -> bool {
        match (self, party) {
            (Acting::Secretariat { task_forces }, Party::Secretariat { task_force }) => {
                task_forces.contains(task_force)
            }
            (Acting::Secretariat { .. }, Party::AnySecretariat) => true,
            (Acting::Admin, Party::Admin) => true,
            (
                Acting::Unit { unit },
                Party::MemberOf { unit: of }
                | Party::HeadOf { unit: of }
                | Party::SignatoryOf { unit: of, .. },
            ) => unit == of,
            // A complaint's designated handler: a person named, of the handling unit.
            (Acting::Unit { .. }, Party::Person { .. }) => true,
            (Acting::Leadership, Party::Leadership) => true,
            (Acting::DisciplineInspection, Party::DisciplineInspection) => true,
            (Acting::CivilAffairs, Party::CivilAffairs) => true,
            (Acting::Integrator { kind }, Party::Integrator { kind: needed }) => kind == needed,
            _ => false,
        }
    }

    /// The task forces this role is a secretariat of (none for any other role).
    pub fn task_forces(&self) -> impl Iterator<Item = &TaskForceId> {
        match self {
            Acting::Secretariat { task_forces } => Some(task_forces.iter()),
            _ => None,
        }
        .into_iter()
        .flatten()
    }

    /// The role's name as users read it (中文), without the task forces, unit or kind it is
    /// for ([`Role::label`] for a granted role; 责任单位; 接入系统 for any integrator);
    /// [`Display`](fmt::Display) names those too.
    pub fn label(&self) -> &'static str {
        match self {
            Acting::Secretariat { .. } => Role::SECRETARIAT,
            Acting::Unit { .. } => "责任单位",
            Acting::Integrator { .. } => "接入系统",
            Acting::Admin => Role::Admin.label(),
            Acting::Leadership => Role::Leadership.label(),
            Acting::DisciplineInspection => Role::DisciplineInspection.label(),
            Acting::CivilAffairs => Role::CivilAffairs.label(),
        }
    }

    /// The role's name as the CLI and the API spell it.
    pub fn name(&self) -> &'static str {
        match self {
            Acting::Admin => "admin",
            Acting::Secretariat { .. } => "secretariat",
            Acting::Unit { .. } => "unit",
            Acting::Leadership => "leadership",
            Acting::DisciplineInspection => "discipline_inspection",
            Acting::CivilAffairs => "civil_affairs",
            Acting::Integrator { .. } => "integrator",
        }
    }
}

/// The role as users read it (中文), with the task forces, unit or kind it is for: for messages
/// only (refusals, the CLI's token listing), never parsed back — the CLI and the API spell a
/// role by [`Acting::name`], tokens store it as JSON.
impl fmt::Display for Acting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Acting::Secretariat { task_forces } => {
                f.write_str("专班 ")?;
                for (i, task_force) in task_forces.iter().enumerate() {
                    if i > 0 {
                        f.write_str("、")?;
                    }
                    write!(f, "{task_force}")?;
                }
                write!(f, " 的{}", Role::SECRETARIAT)
            }
            Acting::Unit { unit } => write!(f, "责任单位 {unit}"),
            Acting::Integrator { kind } => f.write_str(kind.label()),
            other => f.write_str(other.label()),
        }
    }
}

impl Organisation {
    /// This organisation as `person` may use it acting in `acting`: whatever else the person
    /// holds makes them no party. Everyone else is as they are.
    pub fn acting_as(mut self, person: PersonId, acting: Acting) -> Self {
        self.acting = Some((person, acting));
        self
    }

    /// The role `person` acts in, when this organisation was narrowed for them.
    pub(crate) fn acting_of(&self, person: &PersonId) -> Option<&Acting> {
        self.acting
            .as_ref()
            .filter(|(who, _)| who == person)
            .map(|(_, acting)| acting)
    }
}
