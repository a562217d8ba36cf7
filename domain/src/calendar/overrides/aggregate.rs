//! The county-calendar aggregate: decisions in [`CountyOverrides::decide`], folding in `apply`.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use super::commands::{DeclaredDay, OverrideCommand};
use super::errors::OverrideError;
use super::events::OverrideEvent;
use crate::calendar::{ChinaCalendar, CountyCalendar, WorkingCalendar};
use crate::services::DomainServices;
use crate::values::{PersonId, Text};
use crate::Command;

/// The years a declaration may fall in, as for campaigns: anything else is a typing error.
const YEARS: RangeInclusive<i32> = 2000..=2100;

/// A declaration in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Declaration {
    pub day: DeclaredDay,
    pub reason: Text,
    pub by: PersonId,
    pub at: DateTime<Utc>,
}

/// A county's declarations in force, by date. The default (no events) is a county that has
/// declared nothing: its calendar is China's arrangement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CountyOverrides {
    declarations: BTreeMap<NaiveDate, Declaration>,
}

impl CountyOverrides {
    pub fn declarations(&self) -> &BTreeMap<NaiveDate, Declaration> {
        &self.declarations
    }

    pub fn declaration(&self, date: NaiveDate) -> Option<&Declaration> {
        self.declarations.get(&date)
    }

    /// The calendar the county's campaigns count with, as the declarations stand.
    pub fn calendar(&self) -> CountyCalendar {
        CountyCalendar::new(self)
    }

    fn state_of(&self, date: NaiveDate) -> &'static str {
        match self.declarations.get(&date).map(|d| d.day) {
            Some(DeclaredDay::WorkingDay) => "declared_working_day",
            Some(DeclaredDay::DayOff) => "declared_day_off",
            None => "not_declared",
        }
    }

    /// Every decision of the aggregate: the events a command yields, or why it is refused.
    pub fn decide(
        &self,
        command: Command<OverrideCommand>,
    ) -> Result<Vec<OverrideEvent>, OverrideError> {
        let Command { stamp, body } = command;
        let request = body.name();
        let (by, at) = (stamp.actor, stamp.at);
        let event = match body {
            OverrideCommand::Declare { date, day, reason } => {
                if !YEARS.contains(&date.year()) {
                    return Err(OverrideError::DateOutOfRange {
                        date,
                        min: *YEARS.start(),
                        max: *YEARS.end(),
                    });
                }
                if self.declarations.contains_key(&date) {
                    return Err(OverrideError::InvalidTransition {
                        date,
                        state: self.state_of(date),
                        request,
                    });
                }
                // Only a published year can make a declaration redundant: in an unknown year
                // the declaration turns the fallback's guess into a fact.
                let china = ChinaCalendar;
                if china.is_known_year(date.year())
                    && china.is_working_day(date) == day.is_working()
                {
                    return Err(OverrideError::ChangesNothing { date, day });
                }
                OverrideEvent::DayDeclared {
                    date,
                    day,
                    reason,
                    by,
                    at,
                }
            }
            OverrideCommand::Revoke { date, reason } => {
                let Some(declaration) = self.declarations.get(&date) else {
                    return Err(OverrideError::InvalidTransition {
                        date,
                        state: self.state_of(date),
                        request,
                    });
                };
                OverrideEvent::DeclarationRevoked {
                    date,
                    day: declaration.day,
                    reason,
                    by,
                    at,
                }
            }
        };
        Ok(vec![event])
    }
}

/// A county's calendar belongs to no one campaign: every campaign of the county uses it.
impl crate::event::Scoped for CountyOverrides {
    fn scope(&self) -> crate::event::Scope {
        crate::event::Scope::default()
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for CountyOverrides {
    const FOLD_VERSION: u32 = 1;
}

impl Aggregate for CountyOverrides {
    const TYPE: &'static str = "county_calendar";
    type Command = Command<OverrideCommand>;
    type Event = OverrideEvent;
    type Error = OverrideError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        crate::handling::handle(
            self,
            command,
            services,
            sink,
            |calendar, command, _services| calendar.decide(command),
        )
        .await
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            OverrideEvent::DayDeclared {
                date,
                day,
                reason,
                by,
                at,
            } => {
                self.declarations.insert(
                    date,
                    Declaration {
                        day,
                        reason,
                        by,
                        at,
                    },
                );
            }
            OverrideEvent::DeclarationRevoked { date, .. } => {
                self.declarations.remove(&date);
            }
        }
    }
}
