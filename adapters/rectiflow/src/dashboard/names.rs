//! How the pages name units and persons: by their names in the organisation as the request
//! found it, or by their ids when it no longer has them (a register keeps ids; the organisation
//! moves on).

use rectiflow_domain::values::{PersonId, UnitId};

use crate::access::Principal;

/// A unit's name, or its id.
pub fn unit_name(principal: &Principal, unit: &UnitId) -> String {
    principal
        .organisation
        .unit(unit)
        .map_or_else(|| unit.to_string(), |u| u.name.to_string())
}

/// [`unit_name`] of a unit named by its id as a register holds it.
pub fn unit_name_of(principal: &Principal, unit: &str) -> String {
    UnitId::parse(unit).map_or_else(|_| unit.to_owned(), |id| unit_name(principal, &id))
}

/// A person's name, or their id.
pub fn person_name(principal: &Principal, person: &PersonId) -> String {
    principal
        .organisation
        .person(person)
        .map_or_else(|| person.to_string(), |p| p.name.to_string())
}

/// Who recorded an event, or anyone a register names: a person by name, anything else (a
/// system actor, `policy:…`, `schedule:…`) as it is written.
pub fn actor_name(principal: &Principal, actor: &str) -> String {
    PersonId::parse(actor).map_or_else(|_| actor.to_owned(), |p| person_name(principal, &p))
}
