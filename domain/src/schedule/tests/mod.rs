//! Given/when/then tests of a schedule: an administrator configures it, the schedule itself
//! fires or skips each occurrence once, and bulletins and assessments are never skipped.
//! How a schedule runs — its dates, pauses, skips and what an occurrence must be — is in
//! [`runs`].

mod runs;

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::test::TestFramework;

use crate::permission::{Forbidden, Party};
use crate::schedule::*;
use crate::testing::default_services;
use crate::testing::fixtures::{
    assert_codes_distinct_and_namespaced, assert_round_trips, at, campaign, date, officer, person,
};
use crate::values::{PersonId, PublicationId};
use crate::{Command, Stamp};

const NOW: &str = "2026-03-02T01:00:00Z";

fn framework() -> TestFramework<Schedule> {
    TestFramework::with(default_services())
}

fn cmd_by(actor: PersonId, body: ScheduleCommand) -> Command<ScheduleCommand> {
    Command::new(Stamp { at: at(NOW), actor }, body)
}

fn cmd(body: ScheduleCommand) -> Command<ScheduleCommand> {
    cmd_by(officer(), body)
}

/// The actor `campaign`'s schedule of `kind` fires as.
fn itself(kind: ScheduleKind) -> PersonId {
    actor_of(&schedule_id(&campaign(), kind).expect("a schedule id")).expect("an actor")
}

fn created(kind: ScheduleKind, starts: NaiveDate) -> ScheduleEvent {
    ScheduleEvent::Created {
        campaign: campaign(),
        kind,
        starts,
        by: officer(),
        at: at(NOW),
    }
}

fn bulletins() -> ScheduleEvent {
    created(ScheduleKind::MonthlyBulletin, date(2026, 1, 1))
}

/// The March bulletin: nominally 03-01 09:00 Beijing (a Sunday), due Monday 03-02 09:00.
fn march() -> (Vec<DateTime<Utc>>, DateTime<Utc>) {
    (vec![at("2026-03-01T01:00:00Z")], at("2026-03-02T01:00:00Z"))
}

fn fire(nominal: Vec<DateTime<Utc>>, _due_at: DateTime<Utc>) -> ScheduleCommand {
    ScheduleCommand::Fire { nominal }
}

fn fired(kind: ScheduleKind, nominal: Vec<DateTime<Utc>>, due_at: DateTime<Utc>) -> ScheduleEvent {
    ScheduleEvent::OccurrenceFired {
        nominal,
        due_at,
        late: false,
        by: itself(kind),
        at: at(NOW),
    }
}

fn skip(nominal: Vec<DateTime<Utc>>) -> ScheduleCommand {
    ScheduleCommand::Skip {
        nominal,
        reason: SkipReason::PastCatchUpWindow,
    }
}

fn invalid(state: &'static str, request: &'static str) -> ScheduleError {
    ScheduleError::InvalidTransition { state, request }
}

#[test]
fn the_stream_and_the_actor_are_named_for_the_campaign_and_the_kind() {
    let id = schedule_id(&campaign(), ScheduleKind::MonthlyBulletin).expect("an id");
    assert_eq!(id.as_str(), "qunfu-2026:monthly-bulletin");
    assert_eq!(
        actor_of(&id).expect("an actor").as_str(),
        "schedule:qunfu-2026:monthly-bulletin"
    );
}

#[test]
fn an_administrator_creates_a_schedule_once() {
    framework()
        .given_no_previous_events()
        .when(cmd(ScheduleCommand::Create {
            schedule: schedule_id(&campaign(), ScheduleKind::MonthlyBulletin).expect("an id"),
            campaign: campaign(),
            kind: ScheduleKind::MonthlyBulletin,
            starts: date(2026, 1, 1),
        }))
        .then_expect_events(vec![bulletins()]);
    framework()
        .given(vec![bulletins()])
        .when(cmd(ScheduleCommand::Create {
            schedule: schedule_id(&campaign(), ScheduleKind::MonthlyBulletin).expect("an id"),
            campaign: campaign(),
            kind: ScheduleKind::MonthlyBulletin,
            starts: date(2026, 1, 1),
        }))
        .then_expect_error(invalid("running", "create"));
}

#[test]
fn a_built_in_schedule_is_created_by_itself_and_by_no_other_schedule() {
    let kind = ScheduleKind::MonthlyBulletin;
    let create = || ScheduleCommand::Create {
        schedule: schedule_id(&campaign(), kind).expect("an id"),
        campaign: campaign(),
        kind,
        starts: date(2026, 1, 1),
    };
    let mut by_itself = bulletins();
    if let ScheduleEvent::Created { by, .. } = &mut by_itself {
        *by = itself(kind);
    }
    framework()
        .given_no_previous_events()
        .when(cmd_by(itself(kind), create()))
        .then_expect_events(vec![by_itself]);
    let other = itself(ScheduleKind::QuarterlyAssessment);
    framework()
        .given_no_previous_events()
        .when(cmd_by(other.clone(), create()))
        .then_expect_error(ScheduleError::Forbidden(Forbidden {
            actor: other,
            request: "create",
            request_label: ScheduleCommand::label_of("create"),
            needs: Party::Admin.or(Party::Person {
                person: itself(kind),
            }),
        }));
}

fn completed(nominal: DateTime<Utc>) -> ScheduleEvent {
    ScheduleEvent::ActionCompleted {
        nominal,
        publications: vec![
            PublicationId::parse("bulletin~qunfu-2026~2026-02~county").expect("an id")
        ],
        by: itself(ScheduleKind::MonthlyBulletin),
        at: at(NOW),
    }
}

#[test]
fn an_occurrence_awaits_its_action_until_completed_once() {
    let (nominal, due) = march();
    let kind = ScheduleKind::MonthlyBulletin;
    let complete = ScheduleCommand::Complete {
        nominal: nominal[0],
        publications: vec![
            PublicationId::parse("bulletin~qunfu-2026~2026-02~county").expect("an id")
        ],
    };
    let fired = fired(kind, nominal.clone(), due);
    let mut schedule = Schedule::default();
    for event in [bulletins(), fired.clone()] {
        cqrs_es::Aggregate::apply(&mut schedule, event);
    }
    let state = schedule.state().expect("created");
    assert_eq!(
        state.awaiting.keys().copied().collect::<Vec<_>>(),
        vec![nominal[0]],
        "fired, its action not done yet"
    );
    cqrs_es::Aggregate::apply(&mut schedule, completed(nominal[0]));
    let state = schedule.state().expect("created");
    assert!(state.awaiting.is_empty());
    assert_eq!(
        state.last_completed.as_ref().map(|c| (c.nominal, c.done)),
        Some((
            nominal[0],
            Done::Fired {
                due_at: due,
                late: false
            }
        ))
    );
    framework()
        .given(vec![bulletins(), fired.clone()])
        .when(cmd_by(itself(kind), complete.clone()))
        .then_expect_events(vec![completed(nominal[0])]);
    for given in [
        vec![bulletins(), fired, completed(nominal[0])],
        vec![bulletins()],
    ] {
        framework()
            .given(given)
            .when(cmd_by(itself(kind), complete.clone()))
            .then_expect_error(ScheduleError::NotAwaitingAction {
                nominal: nominal[0],
            });
    }
    framework()
        .given(vec![bulletins()])
        .when(cmd(complete))
        .then_expect_error(ScheduleError::Forbidden(Forbidden {
            actor: officer(),
            request: "complete",
            request_label: ScheduleCommand::label_of("complete"),
            needs: Party::Person {
                person: itself(kind),
            },
        }));
}

#[test]
fn nobody_but_an_administrator_configures_it() {
    let stranger = person("dr-nobody");
    framework()
        .given(vec![bulletins()])
        .when(cmd_by(stranger.clone(), ScheduleCommand::Resume))
        .then_expect_error(ScheduleError::Forbidden(Forbidden {
            actor: stranger,
            request: "resume",
            request_label: ScheduleCommand::label_of("resume"),
            needs: Party::Admin,
        }));
}

#[test]
fn the_schedule_fires_an_occurrence_once() {
    let (nominal, due) = march();
    let kind = ScheduleKind::MonthlyBulletin;
    framework()
        .given(vec![bulletins()])
        .when(cmd_by(itself(kind), fire(nominal.clone(), due)))
        .then_expect_events(vec![fired(kind, nominal.clone(), due)]);
    framework()
        .given(vec![bulletins(), fired(kind, nominal.clone(), due)])
        .when(cmd_by(itself(kind), fire(nominal.clone(), due)))
        .then_expect_error(ScheduleError::AlreadyDone {
            nominal: nominal[0],
            done: "fired",
        });
}

#[test]
fn only_the_schedule_itself_fires_it() {
    let (nominal, due) = march();
    for actor in [
        officer(),
        itself(ScheduleKind::QuarterlyAssessment),
        person("schedule:qunfu-2027:monthly-bulletin"),
    ] {
        framework()
            .given(vec![bulletins()])
            .when(cmd_by(actor.clone(), fire(nominal.clone(), due)))
            .then_expect_error(ScheduleError::Forbidden(Forbidden {
                actor,
                request: "fire",
                request_label: ScheduleCommand::label_of("fire"),
                needs: Party::Person {
                    person: itself(ScheduleKind::MonthlyBulletin),
                },
            }));
    }
}

#[test]
fn events_round_trip_and_codes_are_namespaced() {
    let (nominal, due) = march();
    assert_round_trips(&bulletins());
    assert_round_trips(&fired(ScheduleKind::MonthlyBulletin, nominal.clone(), due));
    assert_round_trips(&completed(nominal[0]));
    assert_codes_distinct_and_namespaced(
        &[
            invalid("running", "create"),
            ScheduleError::EndsBeforeStart {
                starts: date(2026, 1, 1),
                ends: date(2025, 1, 1),
            },
            ScheduleError::DateOutOfRange {
                date: date(1926, 1, 1),
                min: 2000,
                max: 2100,
            },
            ScheduleError::BadBackfill {
                from: date(2026, 1, 1),
                to: date(2026, 1, 1),
                starts: date(2026, 1, 1),
            },
            ScheduleError::BadOccurrence,
            ScheduleError::AlreadyDone {
                nominal: due,
                done: "fired",
            },
            ScheduleError::OutsideSchedule {
                day: date(2026, 1, 1),
                starts: date(2026, 1, 1),
                ends: None,
            },
            ScheduleError::NeverSkipped {
                kind: ScheduleKind::MonthlyBulletin,
            },
            ScheduleError::NotAwaitingAction { nominal: due },
            ScheduleError::CatchUpWindowPassed { until: due },
            ScheduleError::BackfillTooLong {
                from: date(2020, 1, 1),
                to: date(2025, 1, 1),
                max_days: MAX_BACKFILL_DAYS,
            },
            ScheduleError::UnknownCampaign(campaign()),
        ],
        "schedule.",
    );
}
