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
use crate::values::PersonId;
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
fn nobody_but_an_administrator_configures_it() {
    let stranger = person("dr-nobody");
    framework()
        .given(vec![bulletins()])
        .when(cmd_by(stranger.clone(), ScheduleCommand::Resume))
        .then_expect_error(ScheduleError::Forbidden(Forbidden {
            actor: stranger,
            request: "resume",
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
    assert_round_trips(&fired(ScheduleKind::MonthlyBulletin, nominal, due));
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
            ScheduleError::UnknownCampaign(campaign()),
        ],
        "schedule.",
    );
}
