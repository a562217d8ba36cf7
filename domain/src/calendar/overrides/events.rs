//! What happened to a county's calendar. Every event records who acted (`by`) and when (`at`).

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::commands::DeclaredDay;
use crate::values::{PersonId, Text};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum OverrideEvent {
    /// The county declared `date` a working day or a day off.
    DayDeclared {
        date: NaiveDate,
        day: DeclaredDay,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The county withdrew its declaration of `date` (which had made it `day`).
    DeclarationRevoked {
        date: NaiveDate,
        day: DeclaredDay,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

impl DomainEvent for OverrideEvent {
    fn event_type(&self) -> String {
        match self {
            OverrideEvent::DayDeclared { .. } => "rectiflow.county_calendar.day_declared",
            OverrideEvent::DeclarationRevoked { .. } => {
                "rectiflow.county_calendar.declaration_revoked"
            }
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        crate::event::FIRST_SCHEMA_VERSION.to_owned()
    }
}

crate::event::attributed!(OverrideEvent {
    DayDeclared,
    DeclarationRevoked
});

/// Nothing in these events is sealed: the whole event is public.
impl crate::event::PublicView for OverrideEvent {}
