//! Who may issue a command: the party a request needs, checked against the organisation.
//!
//! DOMAIN.md's role matrix as data. Each aggregate maps its requests to a [`Party`] (in one
//! file of its own, e.g. `item/aggregate/admission.rs`), and [`Party::admits`] answers against
//! the [`Organisation`] at its latest version. A refusal names the party that was needed, so
//! the sender learns what they lack. An admin passes only [`Party::Admin`] — configuration
//! (campaigns, the calendar, the organisation) — and no decision on an item, a case or a
//! person: administration is infrastructure, not a domain role.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::failure::PortUnavailable;
use crate::organisation::{IntegratorKind, Organisation, Role, SystemActor};
use crate::settings::Field;
use crate::values::{PersonId, TaskForceId, UnitId};

/// The party a request must come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "party", rename_all = "snake_case")]
pub enum Party {
    /// 专班办公室 of the task force.
    Secretariat { task_force: TaskForceId },
    /// The secretariat of any task force (county-wide acts: manual admonishments, proposals
    /// of accountability, corrections of publications).
    AnySecretariat,
    /// A field the campaign has no task force for: nobody can act for it.
    NoTaskForce { field: Field },
    /// An administrator: configuration only (campaign settings, the calendar, the
    /// organisation) — never a decision on an item, a case or a person.
    Admin,
    /// A person of the unit (now).
    MemberOf { unit: UnitId },
    /// The unit's head (一把手).
    HeadOf { unit: UnitId },
    /// One named person (a complaint's designated handler).
    Person { person: PersonId },
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
    ///
    /// When the organisation was narrowed for `actor` ([`Organisation::acting_as`]), the actor
    /// is only the parties the role they act in makes them.
    pub fn admits(&self, organisation: &Organisation, actor: &PersonId) -> bool {
        if let Party::AnyOf { parties } = self {
            return parties.iter().any(|p| p.admits(organisation, actor));
        }
        let acts_so = organisation
            .acting_of(actor)
            .is_none_or(|acting| acting.may_be(self));
        acts_so && self.is_held(organisation, actor)
    }

    /// Whether `actor` is this one party in `organisation`, whatever role they act in.
    fn is_held(&self, organisation: &Organisation, actor: &PersonId) -> bool {
        match self {
            Party::Secretariat { task_force } => organisation.has_role(
                actor,
                &Role::Secretariat {
                    task_force: task_force.clone(),
                },
            ),
            Party::AnySecretariat => organisation
                .roles_of(actor)
                .any(|role| matches!(role, Role::Secretariat { .. })),
            Party::NoTaskForce { .. } => false,
            Party::Admin => organisation.has_role(actor, &Role::Admin),
            Party::MemberOf { unit } => organisation.is_member(unit, actor),
            Party::HeadOf { unit } => organisation.is_head(unit, actor),
            Party::Person { person } => actor == person,
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

/// The party as users read it (中文), in refusals: "须由{party}办理". Only messages print it.
/// Roles go by [`Role`]'s names, fields by [`Field::label`], integrators by
/// [`IntegratorKind::label`].
impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Party::Secretariat { task_force } => write!(
                f,
                "{}",
                Role::Secretariat {
                    task_force: task_force.clone()
                }
            ),
            Party::AnySecretariat => write!(f, "任一专班的{}", Role::SECRETARIAT),
            Party::NoTaskForce { field } => {
                write!(f, "{}专班（本整治行动未设该专班）", field.label())
            }
            Party::Admin => f.write_str(Role::Admin.label()),
            Party::MemberOf { unit } => write!(f, "单位 {unit} 的工作人员"),
            Party::HeadOf { unit } => write!(f, "单位 {unit} 的一把手"),
            Party::Person { person } => write!(f, "人员 {person} 本人"),
            Party::SignatoryOf { unit, person } => {
                write!(f, "责任人 {person} 或单位 {unit} 的一把手")
            }
            Party::Leadership => f.write_str(Role::Leadership.label()),
            Party::DisciplineInspection => f.write_str(Role::DisciplineInspection.label()),
            Party::CivilAffairs => f.write_str(Role::CivilAffairs.label()),
            Party::Integrator { kind } => f.write_str(kind.label()),
            Party::Schedule => f.write_str("系统定时任务"),
            Party::Policy => f.write_str("系统自动规则"),
            Party::AnyOf { parties } => {
                for (i, party) in parties.iter().enumerate() {
                    if i > 0 {
                        f.write_str("或")?;
                    }
                    write!(f, "{party}")?;
                }
                Ok(())
            }
        }
    }
}

/// A command refused because its actor is not the party it needs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{actor} 无权{request_label}，须由{needs}办理")]
pub struct Forbidden {
    pub actor: PersonId,
    /// The request's name, as its command names it (`record_score`…).
    pub request: &'static str,
    /// The request as users read it (中文): what the message names.
    pub request_label: &'static str,
    pub needs: Party,
}

/// Why admission failed: the actor is not the party, or the directory did not answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    Forbidden(Forbidden),
    Unavailable(PortUnavailable),
}

/// The party for the secretariat of `field`'s task force in `campaign`, as the settings
/// source maps fields to task forces (one per field). `None` for a campaign the source does
/// not know: the command is then refused by `decide` as naming an unknown campaign.
pub fn secretariat_of_field(
    settings: &dyn crate::services::SettingsSource,
    campaign: &crate::values::CampaignId,
    field: &Field,
) -> Option<Party> {
    settings.settings(campaign)?;
    Some(match settings.task_force(campaign, field) {
        Some(task_force) => Party::Secretariat { task_force },
        None => Party::NoTaskForce {
            field: field.clone(),
        },
    })
}
