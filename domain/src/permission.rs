//! Who may issue a command: the party a request needs, checked against the organisation.
//!
//! DOMAIN.md's role matrix as data. Each aggregate maps its requests to a [`Party`] (in one
//! file of its own, e.g. `item/aggregate/admission.rs`), and [`Party::admits`] answers against
//! the [`Organisation`] at its latest version. A refusal names the party that was needed, so
//! the sender learns what they lack. An admin passes no check here: administration is
//! infrastructure, not a domain role.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::organisation::{IntegratorKind, Organisation, Role, SystemActor};
use crate::values::{PersonId, TaskForceId, UnitId};

/// The party a request must come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "party", rename_all = "snake_case")]
pub enum Party {
    /// 专班办公室 of the task force.
    Secretariat { task_force: TaskForceId },
    /// A person of the unit (now).
    MemberOf { unit: UnitId },
    /// The responsible person named on the item, or the unit's head (一把手).
    SignatoryOf { unit: UnitId, person: PersonId },
    /// 领导小组.
    Leadership,
    /// 纪检监察.
    DisciplineInspection,
    /// 民政部门.
    CivilAffairs,
    /// An integrator of this kind.
    Integrator { kind: IntegratorKind },
    /// A scheduled occurrence (`schedule:<id>`): deadline facts, missed windows, publications.
    Schedule,
    /// A policy (`policy:<name>`) reacting to a fact.
    Policy,
    /// Any one of these.
    AnyOf { parties: Vec<Party> },
}

impl Party {
    /// Whether `actor` is this party in `organisation`.
    pub fn admits(&self, organisation: &Organisation, actor: &PersonId) -> bool {
        match self {
            Party::Secretariat { task_force } => organisation.has_role(
                actor,
                &Role::Secretariat {
                    task_force: task_force.clone(),
                },
            ),
            Party::MemberOf { unit } => organisation.is_member(unit, actor),
            Party::SignatoryOf { unit, person } => {
                actor == person && organisation.is_member(unit, actor)
                    || organisation.is_head(unit, actor)
            }
            Party::Leadership => organisation.has_role(actor, &Role::Leadership),
            Party::DisciplineInspection => {
                organisation.has_role(actor, &Role::DisciplineInspection)
            }
            Party::CivilAffairs => organisation.has_role(actor, &Role::CivilAffairs),
            Party::Integrator { kind } => {
                organisation.has_role(actor, &Role::Integrator { kind: *kind })
            }
            Party::Schedule => SystemActor::is_schedule(actor),
            Party::Policy => SystemActor::is_policy(actor),
            Party::AnyOf { parties } => parties.iter().any(|p| p.admits(organisation, actor)),
        }
    }

    /// `Ok` when `actor` is this party, else the party that was needed.
    pub fn check(self, organisation: &Organisation, actor: &PersonId) -> Result<(), Party> {
        if self.admits(organisation, actor) {
            Ok(())
        } else {
            Err(self)
        }
    }

    pub fn secretariat(task_force: &TaskForceId) -> Self {
        Party::Secretariat {
            task_force: task_force.clone(),
        }
    }

    pub fn or(self, other: Party) -> Self {
        match self {
            Party::AnyOf { mut parties } => {
                parties.push(other);
                Party::AnyOf { parties }
            }
            first => Party::AnyOf {
                parties: vec![first, other],
            },
        }
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Party::Secretariat { task_force } => {
                write!(f, "the secretariat of task force {task_force}")
            }
            Party::MemberOf { unit } => write!(f, "a member of unit {unit}"),
            Party::SignatoryOf { unit, person } => {
                write!(
                    f,
                    "the responsible person {person} or the head of unit {unit}"
                )
            }
            Party::Leadership => f.write_str("the leadership group"),
            Party::DisciplineInspection => f.write_str("discipline inspection"),
            Party::CivilAffairs => f.write_str("the civil-affairs authority"),
            Party::Integrator { kind } => write!(f, "the {} integrator", kind.as_str()),
            Party::Schedule => f.write_str("a schedule"),
            Party::Policy => f.write_str("a policy"),
            Party::AnyOf { parties } => {
                for (i, party) in parties.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    write!(f, "{party}")?;
                }
                Ok(())
            }
        }
    }
}
