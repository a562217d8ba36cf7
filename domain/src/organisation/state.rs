//! The organisation as folded from its events, and the questions role checks ask of it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::commands::UnitKind;
use super::events::OrganisationEvent;
use super::roles::Role;
use crate::values::{PersonId, Text, UnitId};

/// A unit (单位) and who heads it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Unit {
    pub name: Text,
    pub kind: UnitKind,
    /// 一把手 — the head, one of the unit's persons.
    pub head: Option<PersonId>,
}

/// A person and the unit they belong to now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Person {
    pub name: Text,
    pub unit: UnitId,
}

/// The organisation at one version. `Default` is "not bootstrapped yet".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Organisation {
    pub(super) bootstrapped: bool,
    pub(super) units: BTreeMap<UnitId, Unit>,
    pub(super) persons: BTreeMap<PersonId, Person>,
    pub(super) roles: BTreeMap<PersonId, BTreeSet<Role>>,
    /// The one person this view was narrowed for and the role they act in
    /// ([`Organisation::acting_as`]); never stored, never folded.
    #[serde(skip)]
    pub(super) acting: Option<(PersonId, super::Acting)>,
}

impl Organisation {
    pub fn is_bootstrapped(&self) -> bool {
        self.bootstrapped
    }

    pub fn units(&self) -> &BTreeMap<UnitId, Unit> {
        &self.units
    }

    pub fn unit(&self, id: &UnitId) -> Option<&Unit> {
        self.units.get(id)
    }

    pub fn persons(&self) -> &BTreeMap<PersonId, Person> {
        &self.persons
    }

    pub fn person(&self, id: &PersonId) -> Option<&Person> {
        self.persons.get(id)
    }

    /// The unit `person` belongs to now.
    pub fn unit_of(&self, person: &PersonId) -> Option<&UnitId> {
        self.persons.get(person).map(|p| &p.unit)
    }

    /// Whether `person` belongs to `unit` now.
    pub fn is_member(&self, unit: &UnitId, person: &PersonId) -> bool {
        self.unit_of(person) == Some(unit)
    }

    /// 一把手 of `unit`, if one is appointed.
    pub fn head_of(&self, unit: &UnitId) -> Option<&PersonId> {
        self.units.get(unit).and_then(|u| u.head.as_ref())
    }

    pub fn is_head(&self, unit: &UnitId, person: &PersonId) -> bool {
        self.head_of(unit) == Some(person)
    }

    /// Whether `person` holds `role` now.
    pub fn has_role(&self, person: &PersonId, role: &Role) -> bool {
        self.roles.get(person).is_some_and(|r| r.contains(role))
    }

    /// Every role `person` holds now.
    pub fn roles_of(&self, person: &PersonId) -> impl Iterator<Item = &Role> {
        self.roles.get(person).into_iter().flatten()
    }

    /// Folds one event. Also what [`StaticDirectory`](crate::directory::StaticDirectory)
    /// builds its organisation with, so a test's organisation is made as the real one is.
    pub fn fold(&mut self, event: OrganisationEvent) {
        match event {
            OrganisationEvent::Bootstrapped { admin, .. } => {
                self.bootstrapped = true;
                self.roles.entry(admin).or_default().insert(Role::Admin);
            }
            OrganisationEvent::UnitRegistered {
                unit, name, kind, ..
            } => {
                self.units.insert(
                    unit,
                    Unit {
                        name,
                        kind,
                        head: None,
                    },
                );
            }
            OrganisationEvent::PersonRegistered {
                person, name, unit, ..
            } => {
                self.persons.insert(person, Person { name, unit });
            }
            OrganisationEvent::PersonMoved {
                person, from, to, ..
            } => {
                if let Some(p) = self.persons.get_mut(&person) {
                    p.unit = to;
                }
                if let Some(unit) = self.units.get_mut(&from) {
                    if unit.head.as_ref() == Some(&person) {
                        unit.head = None;
                    }
                }
            }
            OrganisationEvent::HeadAppointed { unit, person, .. } => {
                if let Some(u) = self.units.get_mut(&unit) {
                    u.head = Some(person);
                }
            }
            OrganisationEvent::RoleGranted { person, role, .. } => {
                self.roles.entry(person).or_default().insert(role);
            }
            OrganisationEvent::RoleRevoked { person, role, .. } => {
                if let Some(roles) = self.roles.get_mut(&person) {
                    roles.remove(&role);
                    if roles.is_empty() {
                        self.roles.remove(&person);
                    }
                }
            }
        }
    }
}
