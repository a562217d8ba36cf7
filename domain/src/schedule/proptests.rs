//! Property: whatever order and however often processes try to fire or skip a dispatch
//! schedule's occurrences (firing inside the catch-up window, skipping past it), each occurrence
//! is done at most once, the only refusal is "already done", and what the schedule holds as
//! done is exactly what was accepted.

use chrono::{DateTime, Duration, Utc};
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::testing::default_services;
use crate::testing::fixtures::{campaign, date};
use crate::{Command, Stamp};

proptest! {
    #[test]
    fn each_occurrence_is_done_at_most_once(
        steps in prop::collection::vec((0u8..2, 0i64..12), 0..60)
    ) {
        let services = default_services();
        let kind = ScheduleKind::WeeklyDispatch;
        let id = schedule_id(&campaign(), kind).map_err(|_| TestCaseError::fail("id"))?;
        let actor = actor_of(&id).map_err(|_| TestCaseError::fail("actor"))?;
        let first: DateTime<Utc> = "2026-03-02T01:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?;
        let mut schedule = Schedule::default();
        schedule.apply(ScheduleEvent::Created {
            campaign: campaign(),
            kind,
            starts: date(2026, 1, 1),
            by: actor.clone(),
            at: first,
        });
        let mut accepted = std::collections::BTreeSet::new();
        for (what, week) in steps {
            let nominal = first + Duration::weeks(week);
            let body = if what == 0 {
                ScheduleCommand::Fire { nominal: vec![nominal] }
            } else {
                ScheduleCommand::Skip { nominal: vec![nominal], reason: SkipReason::PastCatchUpWindow }
            };
            // A day on (inside the default three-day catch-up window) to fire, four to skip.
            let after = if what == 0 { Duration::days(1) } else { Duration::days(4) };
            let stamp = Stamp { at: nominal + after, actor: actor.clone() };
            let command = Command::new(stamp, body);
            match schedule.decide(command, &services) {
                Ok(events) => {
                    prop_assert!(accepted.insert(nominal), "{nominal} done twice");
                    for event in events {
                        schedule.apply(event);
                    }
                }
                Err(error) => {
                    prop_assert_eq!(error.code(), "schedule.already_done");
                    prop_assert!(accepted.contains(&nominal));
                }
            }
        }
        let done: Vec<DateTime<Utc>> = schedule
            .state()
            .map(|s| s.done.keys().copied().collect())
            .unwrap_or_default();
        prop_assert_eq!(done, accepted.into_iter().collect::<Vec<_>>());
    }
}
