//! What happened to the organisation. Every event records who caused it and when.

use chrono::{DateTime, Utc};
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

crate::event::event_types!(OrganisationEvent {
    Bootstrapped => "rectiflow.organisation.bootstrapped",
    UnitRegistered => "rectiflow.organisation.unit_registered",
    PersonRegistered => "rectiflow.organisation.person_registered",
    PersonMoved => "rectiflow.organisation.person_moved",
    HeadAppointed => "rectiflow.organisation.head_appointed",
    RoleGranted => "rectiflow.organisation.role_granted",
    RoleRevoked => "rectiflow.organisation.role_revoked",
});

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
