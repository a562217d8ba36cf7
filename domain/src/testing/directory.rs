//! [`StaticDirectory`]: an organisation held in memory for tests.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::directory::{Directory, DirectoryFuture};
use crate::organisation::{Organisation, OrganisationEvent, Role, UnitKind};
use crate::values::{PersonId, Text, UnitId};

/// An organisation held in memory, for tests. Its builder records the same events the
/// organisation aggregate would, so it is folded exactly as the real one.
#[derive(Debug, Clone, Default)]
pub struct StaticDirectory {
    organisation: Organisation,
}

impl StaticDirectory {
    /// Registers `unit` (if new) and `person` in it (if new).
    pub fn with_member(mut self, unit: UnitId, person: PersonId) -> Self {
        self.ensure_unit(&unit);
        if self.organisation.person(&person).is_none() {
            let name = text_of(person.as_str());
            self.record(OrganisationEvent::PersonRegistered {
                person,
                name,
                unit,
                by: builder(),
                at: DateTime::<Utc>::UNIX_EPOCH,
            });
        }
        self
    }

    /// Makes `person` (registered in `unit` if new) the head (一把手) of `unit`.
    pub fn with_head(self, unit: UnitId, person: PersonId) -> Self {
        let mut this = self.with_member(unit.clone(), person.clone());
        this.record(OrganisationEvent::HeadAppointed {
            unit,
            person,
            by: builder(),
            at: DateTime::<Utc>::UNIX_EPOCH,
        });
        this
    }

    /// Grants `role` to `person` (who need not belong to a unit).
    pub fn with_role(mut self, person: PersonId, role: Role) -> Self {
        self.record(OrganisationEvent::RoleGranted {
            person,
            role,
            by: builder(),
            at: DateTime::<Utc>::UNIX_EPOCH,
        });
        self
    }

    pub fn as_organisation(&self) -> &Organisation {
        &self.organisation
    }

    fn ensure_unit(&mut self, unit: &UnitId) {
        if self.organisation.unit(unit).is_none() {
            self.record(OrganisationEvent::UnitRegistered {
                unit: unit.clone(),
                name: text_of(unit.as_str()),
                kind: UnitKind::Other,
                by: builder(),
                at: DateTime::<Utc>::UNIX_EPOCH,
            });
        }
    }

    fn record(&mut self, event: OrganisationEvent) {
        self.organisation.fold(event);
    }
}

impl Directory for StaticDirectory {
    fn organisation(&self) -> DirectoryFuture<'_> {
        let organisation = Arc::new(self.organisation.clone());
        Box::pin(async move { Ok(organisation) })
    }
}

fn builder() -> PersonId {
    PersonId::parse("schedule:test-directory").expect("a valid person id")
}

fn text_of(id: &str) -> Text {
    Text::parse(id).expect("an id is a valid text")
}
