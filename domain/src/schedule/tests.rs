//! Given/when/then tests of a schedule: an administrator configures it, the schedule itself
//! fires or skips each occurrence once, and bulletins and assessments are never skipped.

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::test::TestFramework;

use super::*;
use crate::permission::{Forbidden, Party};
use crate::testing::default_services;
use crate::testing::fixtures::{
    assert_codes_distinct_and_namespaced, assert_round_trips, at, campaign, date, officer, person,
    text,
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

fn fire(nominal: Vec<DateTime<Utc>>, due_at: DateTime<Utc>) -> ScheduleCommand {
    ScheduleCommand::Fire {
        nominal,
        due_at,
        late: false,
    }
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

fn skip(nominal: Vec<DateTime<Utc>>, due_at: DateTime<Utc>) -> ScheduleCommand {
    ScheduleCommand::Skip {
        nominal,
        due_at,
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
            campaign: campaign(),
            kind: ScheduleKind::MonthlyBulletin,
            starts: date(2026, 1, 1),
        }))
        .then_expect_events(vec![bulletins()]);
    framework()
        .given(vec![bulletins()])
        .when(cmd(ScheduleCommand::Create {
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
fn a_bulletin_is_never_skipped_a_dispatch_is_once() {
    let (nominal, due) = march();
    framework()
        .given(vec![bulletins()])
        .when(cmd_by(
            itself(ScheduleKind::MonthlyBulletin),
            skip(nominal.clone(), due),
        ))
        .then_expect_error(ScheduleError::NeverSkipped {
            kind: ScheduleKind::MonthlyBulletin,
        });
    let kind = ScheduleKind::WeeklyDispatch;
    let dispatches = created(kind, date(2026, 1, 1));
    let monday = vec![at("2026-02-02T01:00:00Z")];
    let skipped = ScheduleEvent::OccurrenceSkipped {
        nominal: monday.clone(),
        due_at: monday[0],
        reason: SkipReason::PastCatchUpWindow,
        by: itself(kind),
        at: at(NOW),
    };
    framework()
        .given(vec![dispatches.clone()])
        .when(cmd_by(itself(kind), skip(monday.clone(), monday[0])))
        .then_expect_events(vec![skipped.clone()]);
    framework()
        .given(vec![dispatches, skipped])
        .when(cmd_by(itself(kind), fire(monday.clone(), monday[0])))
        .then_expect_error(ScheduleError::AlreadyDone {
            nominal: monday[0],
            done: "skipped",
        });
}

#[test]
fn an_occurrence_before_the_start_fires_only_once_backfilled() {
    let kind = ScheduleKind::MonthlyBulletin;
    let late_start = created(kind, date(2026, 3, 1));
    // The February bulletin: nominally 02-01 09:00 Beijing, due 02-02.
    let february = vec![at("2026-02-01T01:00:00Z")];
    let due = at("2026-02-02T01:00:00Z");
    framework()
        .given(vec![late_start.clone()])
        .when(cmd_by(itself(kind), fire(february.clone(), due)))
        .then_expect_error(ScheduleError::OutsideSchedule {
            day: date(2026, 2, 1),
            starts: date(2026, 3, 1),
            ends: None,
        });
    let backfilled = ScheduleEvent::Backfilled {
        from: date(2026, 1, 1),
        to: date(2026, 2, 28),
        reason: text("行动2026年1月已启动"),
        by: officer(),
        at: at(NOW),
    };
    framework()
        .given(vec![late_start.clone()])
        .when(cmd(ScheduleCommand::Backfill {
            from: date(2026, 1, 1),
            to: date(2026, 2, 28),
            reason: text("行动2026年1月已启动"),
        }))
        .then_expect_events(vec![backfilled.clone()]);
    framework()
        .given(vec![late_start.clone(), backfilled])
        .when(cmd_by(itself(kind), fire(february.clone(), due)))
        .then_expect_events(vec![fired(kind, february, due)]);
    framework()
        .given(vec![late_start])
        .when(cmd(ScheduleCommand::Backfill {
            from: date(2026, 2, 1),
            to: date(2026, 3, 1),
            reason: text("重叠"),
        }))
        .then_expect_error(ScheduleError::BadBackfill {
            from: date(2026, 2, 1),
            to: date(2026, 3, 1),
            starts: date(2026, 3, 1),
        });
}

#[test]
fn a_change_moves_the_run_and_an_end_before_the_start_is_refused() {
    let kind = ScheduleKind::MonthlyBulletin;
    let changed = ScheduleEvent::Changed {
        starts: date(2026, 1, 1),
        ends: Some(date(2026, 2, 15)),
        reason: text("行动提前结束"),
        by: officer(),
        at: at(NOW),
    };
    let (nominal, due) = march();
    framework()
        .given(vec![bulletins(), changed])
        .when(cmd_by(itself(kind), fire(nominal, due)))
        .then_expect_error(ScheduleError::OutsideSchedule {
            day: date(2026, 3, 1),
            starts: date(2026, 1, 1),
            ends: Some(date(2026, 2, 15)),
        });
    framework()
        .given(vec![bulletins()])
        .when(cmd(ScheduleCommand::Change {
            starts: date(2026, 3, 1),
            ends: Some(date(2026, 2, 1)),
            reason: text("录入错误"),
        }))
        .then_expect_error(ScheduleError::EndsBeforeStart {
            starts: date(2026, 3, 1),
            ends: date(2026, 2, 1),
        });
    framework()
        .given(vec![bulletins()])
        .when(cmd(ScheduleCommand::Change {
            starts: date(1926, 3, 1),
            ends: None,
            reason: text("录入错误"),
        }))
        .then_expect_error(ScheduleError::DateOutOfRange {
            date: date(1926, 3, 1),
            min: 2000,
            max: 2100,
        });
}

#[test]
fn a_paused_schedule_fires_nothing_until_resumed() {
    let kind = ScheduleKind::MonthlyBulletin;
    let paused = ScheduleEvent::Paused {
        note: text("系统迁移"),
        by: officer(),
        at: at(NOW),
    };
    let resumed = ScheduleEvent::Resumed {
        by: officer(),
        at: at(NOW),
    };
    let (nominal, due) = march();
    framework()
        .given(vec![bulletins(), paused.clone()])
        .when(cmd_by(itself(kind), fire(nominal.clone(), due)))
        .then_expect_error(invalid("paused", "fire"));
    framework()
        .given(vec![bulletins(), paused.clone()])
        .when(cmd(ScheduleCommand::Pause {
            note: text("再次暂停"),
        }))
        .then_expect_error(invalid("paused", "pause"));
    framework()
        .given(vec![bulletins()])
        .when(cmd(ScheduleCommand::Resume))
        .then_expect_error(invalid("running", "resume"));
    framework()
        .given(vec![bulletins(), paused, resumed])
        .when(cmd_by(itself(kind), fire(nominal.clone(), due)))
        .then_expect_events(vec![fired(kind, nominal, due)]);
}

#[test]
fn a_deleted_schedule_does_nothing_more() {
    let deleted = ScheduleEvent::Deleted {
        reason: text("行动结束"),
        by: officer(),
        at: at(NOW),
    };
    let (nominal, due) = march();
    let kind = ScheduleKind::MonthlyBulletin;
    framework()
        .given(vec![bulletins(), deleted.clone()])
        .when(cmd_by(itself(kind), fire(nominal, due)))
        .then_expect_error(invalid("deleted", "fire"));
    for body in [
        ScheduleCommand::Resume,
        ScheduleCommand::TriggerNow {
            note: text("补发")
        },
        ScheduleCommand::Delete {
            reason: text("再删"),
        },
    ] {
        let request = body.name();
        framework()
            .given(vec![bulletins(), deleted.clone()])
            .when(cmd(body))
            .then_expect_error(invalid("deleted", request));
    }
}

#[test]
fn an_occurrence_names_its_nominal_times_in_order_none_after_it_is_due() {
    let kind = ScheduleKind::MonthlyBulletin;
    let (nominal, due) = march();
    for (nominal, due) in [
        (vec![], due),
        (vec![nominal[0], nominal[0]], due),
        (vec![due, nominal[0]], due),
        (nominal.clone(), nominal[0] - chrono::Duration::hours(1)),
    ] {
        framework()
            .given(vec![bulletins()])
            .when(cmd_by(itself(kind), fire(nominal, due)))
            .then_expect_error(ScheduleError::BadOccurrence);
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
