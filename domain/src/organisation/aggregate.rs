//! The organisation aggregate: decisions in [`Organisation::decide`], folding in
//! [`Organisation::fold`](super::Organisation::fold).

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;

use super::commands::OrganisationCommand;
use super::errors::OrganisationError;
use super::events::OrganisationEvent;
use super::roles::{Role, SystemActor};
use super::state::Organisation;
use crate::services::DomainServices;
use crate::Command;

impl Organisation {
    /// Every decision of the aggregate: the event a command yields, or why it is refused.
    pub fn decide(
        &self,
        command: Command<OrganisationCommand>,
    ) -> Result<Vec<OrganisationEvent>, OrganisationError> {
        let Command { stamp, body } = command;
        let (by, at) = (stamp.actor, stamp.at);
        if let OrganisationCommand::Bootstrap { admin } = body {
            if self.bootstrapped {
                return Err(OrganisationError::AlreadyBootstrapped);
            }
            if SystemActor::of(&admin).is_some() {
                return Err(OrganisationError::SystemActor(admin));
            }
            return Ok(vec![OrganisationEvent::Bootstrapped { admin, by, at }]);
        }
        if !self.bootstrapped {
            return Err(OrganisationError::NotBootstrapped);
        }
        if !self.has_role(&by, &Role::Admin) {
            return Err(OrganisationError::NotAdmin {
                actor: by,
                request: body.name(),
            });
        }
        let event = match body {
            OrganisationCommand::Bootstrap { .. } => {
                return Err(OrganisationError::AlreadyBootstrapped)
            }
            OrganisationCommand::RegisterUnit { unit, name, kind } => {
                if self.units.contains_key(&unit) {
                    return Err(OrganisationError::DuplicateUnit(unit));
                }
                OrganisationEvent::UnitRegistered {
                    unit,
                    name,
                    kind,
                    by,
                    at,
                }
            }
            OrganisationCommand::RegisterPerson { person, name, unit } => {
                if SystemActor::of(&person).is_some() {
                    return Err(OrganisationError::SystemActor(person));
                }
                if self.persons.contains_key(&person) {
                    return Err(OrganisationError::DuplicatePerson(person));
                }
                if !self.units.contains_key(&unit) {
                    return Err(OrganisationError::UnknownUnit(unit));
                }
                OrganisationEvent::PersonRegistered {
                    person,
                    name,
                    unit,
                    by,
                    at,
                }
            }
            OrganisationCommand::MovePerson { person, to } => {
                let current = self
                    .persons
                    .get(&person)
                    .ok_or_else(|| OrganisationError::UnknownPerson(person.clone()))?;
                if !self.units.contains_key(&to) {
                    return Err(OrganisationError::UnknownUnit(to));
                }
                if current.unit == to {
                    return Err(OrganisationError::AlreadyInUnit { person, unit: to });
                }
                OrganisationEvent::PersonMoved {
                    from: current.unit.clone(),
                    person,
                    to,
                    by,
                    at,
                }
            }
            OrganisationCommand::AppointHead { unit, person } => {
                if !self.units.contains_key(&unit) {
                    return Err(OrganisationError::UnknownUnit(unit));
                }
                if !self.is_member(&unit, &person) {
                    return Err(OrganisationError::NotInUnit { person, unit });
                }
                if self.is_head(&unit, &person) {
                    return Err(OrganisationError::AlreadyHead { person, unit });
                }
                OrganisationEvent::HeadAppointed {
                    unit,
                    person,
                    by,
                    at,
                }
            }
            OrganisationCommand::GrantRole { person, role } => {
                if SystemActor::of(&person).is_some() {
                    return Err(OrganisationError::SystemActor(person));
                }
                // Admins and integrators are accounts, not officials of a unit; every other
                // role is held by a registered person, so segregation of duties can see
                // which unit they belong to.
                let needs_person = !matches!(role, Role::Admin | Role::Integrator { .. });
                if needs_person && !self.persons.contains_key(&person) {
                    return Err(OrganisationError::UnknownPerson(person));
                }
                if self.has_role(&person, &role) {
                    return Err(OrganisationError::AlreadyHolds { person, role });
                }
                OrganisationEvent::RoleGranted {
                    person,
                    role,
                    by,
                    at,
                }
            }
            OrganisationCommand::RevokeRole { person, role } => {
                if !self.has_role(&person, &role) {
                    return Err(OrganisationError::DoesNotHold { person, role });
                }
                let admins = self
                    .roles
                    .values()
                    .filter(|r| r.contains(&Role::Admin))
                    .count();
                if role == Role::Admin && admins <= 1 {
                    return Err(OrganisationError::LastAdmin);
                }
                OrganisationEvent::RoleRevoked {
                    person,
                    role,
                    by,
                    at,
                }
            }
        };
        Ok(vec![event])
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for Organisation {
    const FOLD_VERSION: u32 = 1;
}

impl Aggregate for Organisation {
    const TYPE: &'static str = "organisation";
    type Command = Command<OrganisationCommand>;
    type Event = OrganisationEvent;
    type Error = OrganisationError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        for event in self.decide(command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        self.fold(event);
    }
}

/// The organisation belongs to no campaign: its events carry no scope.
impl crate::event::Scoped for Organisation {
    fn scope(&self) -> crate::event::Scope {
        crate::event::Scope::default()
    }
}
