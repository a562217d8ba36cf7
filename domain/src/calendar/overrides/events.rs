//! What happened to a county's calendar. Every event records who acted (`by`) and when (`at`).

use chrono::{DateTime, NaiveDate, Utc};
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

crate::event::event_types!(OverrideEvent {
    DayDeclared => "rectiflow.county_calendar.day_declared",
    DeclarationRevoked => "rectiflow.county_calendar.declaration_revoked",
});

crate::event::attributed!(OverrideEvent {
    DayDeclared,
    DeclarationRevoked
});

/// Nothing in these events is sealed: the whole event is public.
impl crate::event::PublicView for OverrideEvent {}
