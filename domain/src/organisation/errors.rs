//! Why an organisation command was refused. Each error has a stable dotted code.

use crate::failure::DomainError;
use crate::values::{PersonId, UnitId};

use super::roles::Role;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OrganisationError {
    #[error("the organisation is not bootstrapped yet")]
    NotBootstrapped,
    #[error("the organisation is already bootstrapped")]
    AlreadyBootstrapped,
    #[error("{actor} may not {request}: only an admin changes the organisation")]
    NotAdmin {
        actor: PersonId,
        request: &'static str,
    },
    #[error("unit {0} is already registered")]
    DuplicateUnit(UnitId),
    #[error("unknown unit {0}")]
    UnknownUnit(UnitId),
    #[error("person {0} is already registered")]
    DuplicatePerson(PersonId),
    #[error("unknown person {0}")]
    UnknownPerson(PersonId),
    #[error("person {person} already belongs to unit {unit}")]
    AlreadyInUnit { person: PersonId, unit: UnitId },
    #[error("{person} is not a person of unit {unit}")]
    NotInUnit { person: PersonId, unit: UnitId },
    #[error("{person} already heads unit {unit}")]
    AlreadyHead { person: PersonId, unit: UnitId },
    #[error("{person} already holds the role {role}")]
    AlreadyHolds { person: PersonId, role: Role },
    #[error("{person} does not hold the role {role}")]
    DoesNotHold { person: PersonId, role: Role },
    #[error("{0} is a system actor, not a person: it holds no role")]
    SystemActor(PersonId),
    #[error("revoking the last admin would lock the organisation")]
    LastAdmin,
}

impl DomainError for OrganisationError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotBootstrapped => "organisation.not_bootstrapped",
            Self::AlreadyBootstrapped => "organisation.already_bootstrapped",
            Self::NotAdmin { .. } => "organisation.not_admin",
            Self::DuplicateUnit(_) => "organisation.duplicate_unit",
            Self::UnknownUnit(_) => "organisation.unknown_unit",
            Self::DuplicatePerson(_) => "organisation.duplicate_person",
            Self::UnknownPerson(_) => "organisation.unknown_person",
            Self::AlreadyInUnit { .. } => "organisation.already_in_unit",
            Self::NotInUnit { .. } => "organisation.not_in_unit",
            Self::AlreadyHead { .. } => "organisation.already_head",
            Self::AlreadyHolds { .. } => "organisation.already_holds",
            Self::DoesNotHold { .. } => "organisation.does_not_hold",
            Self::SystemActor(_) => "organisation.system_actor",
            Self::LastAdmin => "organisation.last_admin",
        }
    }
}
