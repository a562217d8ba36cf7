//! What happened to the organisation. Every event records who caused it and when.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::commands::UnitKind;
use super::roles::Role;
use crate::event::PublicView;
use crate::values::{PersonId, Text, UnitId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum OrganisationEvent {
    Bootstrapped {
        admin: PersonId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    UnitRegistered {
        unit: UnitId,
        name: Text,
        kind: UnitKind,
        by: PersonId,
        at: DateTime<Utc>,
    },
    PersonRegistered {
        person: PersonId,
        name: Text,
        unit: UnitId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The person belongs to `to` from `at` on (and no longer to `from`).
    PersonMoved {
        person: PersonId,
        from: UnitId,
        to: UnitId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// `person` heads `unit` from `at` on (replacing any earlier head).
    HeadAppointed {
        unit: UnitId,
        person: PersonId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    RoleGranted {
        person: PersonId,
        role: Role,
        by: PersonId,
        at: DateTime<Utc>,
    },
    RoleRevoked {
        person: PersonId,
        role: Role,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

impl DomainEvent for OrganisationEvent {
    fn event_type(&self) -> String {
        match self {
            Self::Bootstrapped { .. } => "rectiflow.organisation.bootstrapped",
            Self::UnitRegistered { .. } => "rectiflow.organisation.unit_registered",
            Self::PersonRegistered { .. } => "rectiflow.organisation.person_registered",
            Self::PersonMoved { .. } => "rectiflow.organisation.person_moved",
            Self::HeadAppointed { .. } => "rectiflow.organisation.head_appointed",
            Self::RoleGranted { .. } => "rectiflow.organisation.role_granted",
            Self::RoleRevoked { .. } => "rectiflow.organisation.role_revoked",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        crate::event::FIRST_SCHEMA_VERSION.to_owned()
    }
}

crate::event::attributed!(OrganisationEvent {
    Bootstrapped,
    UnitRegistered,
    PersonRegistered,
    PersonMoved,
    HeadAppointed,
    RoleGranted,
    RoleRevoked
});

/// Names of units and officials are public in a campaign's bulletins: nothing is sealed.
impl PublicView for OrganisationEvent {}
