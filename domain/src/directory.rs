//! The directory port: who belongs to which unit.
//!
//! Segregation of duties (a sign-off is verified by someone outside the responsible unit) needs
//! to know unit membership at the moment of the command. The membership itself is kept by the
//! campaign's registry of units and persons and served to the aggregates through this port.

use std::collections::{BTreeMap, BTreeSet};

use crate::values::{PersonId, UnitId};

pub trait Directory: Send + Sync {
    /// Whether `person` is a member of `unit`.
    fn is_member(&self, unit: &UnitId, person: &PersonId) -> bool;
}

/// A directory held in memory: for tests, and as the cache an adapter fills from the log.
#[derive(Debug, Clone, Default)]
pub struct StaticDirectory {
    members: BTreeMap<UnitId, BTreeSet<PersonId>>,
}

impl StaticDirectory {
    pub fn with_member(mut self, unit: UnitId, person: PersonId) -> Self {
        self.members.entry(unit).or_default().insert(person);
        self
    }
}

impl Directory for StaticDirectory {
    fn is_member(&self, unit: &UnitId, person: &PersonId) -> bool {
        self.members
            .get(unit)
            .is_some_and(|people| people.contains(person))
    }
}
