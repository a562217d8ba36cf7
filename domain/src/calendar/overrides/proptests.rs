//! Property: any sequence of declarations and revocations never panics, a refused command
//! changes nothing, and the county calendar always answers a declared day as declared.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::calendar::WorkingCalendar;
use crate::values::{PersonId, Text};
use crate::{Command, Stamp};

fn body(kind: u8, offset: u16) -> Option<OverrideCommand> {
    // Late 2026 into 2027: published and unknown years, weekdays, weekends and holidays.
    let date = NaiveDate::from_ymd_opt(2026, 9, 1)?
        .checked_add_days(Days::new(u64::from(offset % 200)))?;
    let reason = Text::parse("理由").ok()?;
    Some(match kind % 3 {
        0 => OverrideCommand::Declare {
            date,
            day: DeclaredDay::WorkingDay,
            reason,
        },
        1 => OverrideCommand::Declare {
            date,
            day: DeclaredDay::DayOff,
            reason,
        },
        _ => OverrideCommand::Revoke { date, reason },
    })
}

proptest! {
    #[test]
    fn declarations_hold_and_refusals_change_nothing(
        steps in prop::collection::vec((0u8..3, any::<u16>()), 0..80)
    ) {
        let mut now: DateTime<Utc> = "2026-08-01T00:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?;
        let actor = PersonId::parse("officer").map_err(|_| TestCaseError::fail("id"))?;
        let mut county = CountyOverrides::default();
        for (kind, offset) in steps {
            now += Duration::hours(1);
            let Some(body) = body(kind, offset) else { continue };
            let before = county.clone();
            match county.decide(Command::new(Stamp { at: now, actor: actor.clone() }, body)) {
                Ok(events) => {
                    prop_assert_eq!(events.len(), 1);
                    for event in events {
                        county.apply(event);
                    }
                }
                Err(error) => {
                    prop_assert!(error.code().starts_with("county_calendar."));
                    prop_assert_eq!(&county, &before);
                }
            }
            let calendar = county.calendar();
            for (date, declaration) in county.declarations() {
                prop_assert_eq!(calendar.is_working_day(*date), declaration.day.is_working());
                prop_assert!(!calendar.is_guessed(*date));
            }
        }
    }
}
