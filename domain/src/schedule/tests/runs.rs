//! How a schedule runs: the days it covers (backfills, changes), pauses and deletion, skips
//! past the catch-up window, and what an occurrence must be — nominal times of the rhythm,
//! due by the campaign's calendar, never fired before it is due nor twice when merged.

use super::*;
use crate::schedule::*;
use crate::testing::fixtures::{at, campaign, date, officer, text};
use crate::testing::{default_services, without_campaigns};
use crate::values::ScheduleId;
use crate::{Command, Stamp};
use cqrs_es::test::TestFramework;

#[test]
fn a_bulletin_is_never_skipped_a_dispatch_is_once() {
    let (nominal, _) = march();
    framework()
        .given(vec![bulletins()])
        .when(cmd_by(
            itself(ScheduleKind::MonthlyBulletin),
            skip(nominal.clone()),
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
        .when(cmd_by(itself(kind), skip(monday.clone())))
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
        .then_expect_events(vec![ScheduleEvent::OccurrenceFired {
            nominal: february,
            due_at: due,
            late: true,
            by: itself(kind),
            at: at(NOW),
        }]);
    framework()
        .given(vec![late_start.clone()])
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
    framework()
        .given(vec![late_start])
        .when(cmd(ScheduleCommand::Backfill {
            from: date(2025, 2, 27),
            to: date(2026, 2, 28),
            reason: text("整年补录"),
        }))
        .then_expect_error(ScheduleError::BackfillTooLong {
            from: date(2025, 2, 27),
            to: date(2026, 2, 28),
            max_days: MAX_BACKFILL_DAYS,
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
    ] {
        framework()
            .given(vec![bulletins()])
            .when(cmd_by(itself(kind), fire(nominal, due)))
            .then_expect_error(ScheduleError::BadOccurrence);
    }
}

#[test]
fn an_occurrence_fires_from_its_due_instant_and_a_dispatch_is_skipped_only_past_its_window() {
    let kind = ScheduleKind::MonthlyBulletin;
    let (nominal, due) = march();
    let early = Stamp {
        at: due - chrono::Duration::minutes(1),
        actor: itself(kind),
    };
    framework()
        .given(vec![bulletins()])
        .when(Command::new(early, fire(nominal, due)))
        .then_expect_error(ScheduleError::NotYetDue { due_at: due });
    let kind = ScheduleKind::WeeklyDispatch;
    // Monday 03-02 09:00 Beijing: due at once; the window is three days.
    let monday = vec![at("2026-03-02T01:00:00Z")];
    framework()
        .given(vec![created(kind, date(2026, 1, 1))])
        .when(cmd_by(itself(kind), skip(monday.clone())))
        .then_expect_error(ScheduleError::InsideCatchUpWindow {
            until: at("2026-03-05T01:00:00Z"),
        });
    // Once the window has closed it can no longer fire: its publication would be refused.
    let closed = Stamp {
        at: at("2026-03-05T01:00:00Z"),
        actor: itself(kind),
    };
    framework()
        .given(vec![created(kind, date(2026, 1, 1))])
        .when(Command::new(closed, fire(monday.clone(), monday[0])))
        .then_expect_error(ScheduleError::CatchUpWindowPassed {
            until: at("2026-03-05T01:00:00Z"),
        });
}

#[test]
fn a_time_that_is_not_the_rhythm_s_is_refused() {
    let kind = ScheduleKind::MonthlyBulletin;
    // 05:17 on the 1st, and 09:00 on the 2nd: neither is a bulletin's nominal time.
    for odd in ["2026-02-28T21:17:00Z", "2026-03-02T01:00:00Z"] {
        framework()
            .given(vec![bulletins()])
            .when(cmd_by(itself(kind), fire(vec![at(odd)], at(NOW))))
            .then_expect_error(ScheduleError::NotANominalTime {
                nominal: at(odd),
                kind,
            });
    }
}

#[test]
fn a_merged_occurrence_is_refused_when_one_of_its_times_is_done() {
    let kind = ScheduleKind::WeeklyDispatch;
    let (first, second) = (at("2026-02-16T01:00:00Z"), at("2026-02-23T01:00:00Z"));
    let fired_first = ScheduleEvent::OccurrenceFired {
        nominal: vec![first],
        due_at: first,
        late: false,
        by: itself(kind),
        at: first,
    };
    framework()
        .given(vec![created(kind, date(2026, 1, 1)), fired_first])
        .when(cmd_by(itself(kind), fire(vec![first, second], at(NOW))))
        .then_expect_error(ScheduleError::AlreadyDone {
            nominal: first,
            done: "fired",
        });
    // On weekdays only, two Mondays never fall due together: not one occurrence.
    framework()
        .given(vec![created(kind, date(2026, 1, 1))])
        .when(cmd_by(itself(kind), fire(vec![first, second], at(NOW))))
        .then_expect_error(ScheduleError::BadOccurrence);
}

#[test]
fn a_schedule_is_created_on_its_own_stream_for_a_known_campaign() {
    let kind = ScheduleKind::MonthlyBulletin;
    let other = ScheduleId::parse("qunfu-2026:weekly-dispatch").expect("an id");
    framework()
        .given_no_previous_events()
        .when(cmd(ScheduleCommand::Create {
            schedule: other,
            campaign: campaign(),
            kind,
            starts: date(2026, 1, 1),
        }))
        .then_expect_error(ScheduleError::WrongStream {
            campaign: campaign(),
            kind,
            expected: "qunfu-2026:monthly-bulletin".into(),
        });
    let unknown = crate::values::CampaignId::parse("qunfu-2099").expect("an id");
    TestFramework::<Schedule>::with(without_campaigns(default_services()))
        .given_no_previous_events()
        .when(cmd(ScheduleCommand::Create {
            schedule: schedule_id(&unknown, kind).expect("an id"),
            campaign: unknown.clone(),
            kind,
            starts: date(2026, 1, 1),
        }))
        .then_expect_error(ScheduleError::UnknownCampaign(unknown));
}
