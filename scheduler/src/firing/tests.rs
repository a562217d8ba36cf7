//! What a look plans, on China's 2026 arrangement in Beijing time: missed occurrences fire in
//! publishing order or, for old dispatches, are skipped; what is done or awaiting its action
//! is not fired again; a paused schedule fires nothing but completes what it fired.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rectiflow_domain::calendar::CountyCalendar;
use rectiflow_domain::schedule::{Awaiting, Done, ScheduleKind, ScheduleState};
use rectiflow_domain::settings::Rhythm;
use rectiflow_domain::values::{CampaignId, Text};

use super::plan::{plan, Plan, Step};
use crate::calendar::{CampaignCalendar, DEFAULT_ZONE};

use ScheduleKind::{MonthlyBulletin, QuarterlyAssessment, WeeklyDispatch};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("an instant in a test")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date in a test")
}

fn state(kind: ScheduleKind, starts: &str) -> ScheduleState {
    ScheduleState {
        campaign: CampaignId::parse("qunfu-2026").expect("an id"),
        kind,
        starts: date(starts),
        ends: None,
        paused: None,
        deleted: false,
        backfills: Vec::new(),
        done: BTreeMap::new(),
        awaiting: BTreeMap::new(),
        last_completed: None,
        triggered_at: None,
    }
}

fn planned(states: &[ScheduleState], now: &str) -> Plan {
    planned_on(&Rhythm::default(), states, now)
}

fn planned_on(rhythm: &Rhythm, states: &[ScheduleState], now: &str) -> Plan {
    let china = CountyCalendar::china();
    let schedules: Vec<(ScheduleKind, &ScheduleState)> =
        states.iter().map(|s| (s.kind, s)).collect();
    plan(
        rhythm,
        CampaignCalendar::new(DEFAULT_ZONE, &china),
        &schedules,
        at(now),
    )
    .expect("a plan")
}

/// Each step as (kind, what, the nominal instants).
fn summary(plan: &Plan) -> Vec<(ScheduleKind, &'static str, Vec<DateTime<Utc>>)> {
    plan.steps
        .iter()
        .map(|step| match step {
            Step::Fire { kind, nominal, .. } => (*kind, "fire", nominal.clone()),
            Step::Skip { kind, nominal, .. } => (*kind, "skip", nominal.clone()),
            Step::Complete { kind, nominal, .. } => (*kind, "complete", nominal.clone()),
        })
        .collect()
}

fn all_three(starts: &str) -> Vec<ScheduleState> {
    [WeeklyDispatch, MonthlyBulletin, QuarterlyAssessment]
        .into_iter()
        .map(|kind| state(kind, starts))
        .collect()
}

#[test]
fn a_campaign_found_late_fires_what_was_missed_in_publishing_order() {
    // Found on Wednesday 2026-01-14 at noon Beijing time, the schedules running from 01-01.
    let plan = planned(&all_three("2026-01-01"), "2026-01-14T04:00:00Z");
    assert_eq!(
        summary(&plan),
        vec![
            // 01-01 (New Year's Day, off) moved to Sunday 01-04, a make-up working day: the
            // December bulletin first, then the fourth quarter's assessment.
            (MonthlyBulletin, "fire", vec![at("2026-01-01T01:00:00Z")]),
            (
                QuarterlyAssessment,
                "fire",
                vec![at("2026-01-01T01:00:00Z")]
            ),
            // Monday 01-05's dispatch: its 7-day catch-up window closed on 01-12 at 09:00.
            (WeeklyDispatch, "skip", vec![at("2026-01-05T01:00:00Z")]),
            // Monday 01-12's is still inside it: it fires, late.
            (WeeklyDispatch, "fire", vec![at("2026-01-12T01:00:00Z")]),
        ]
    );
    assert_eq!(plan.next_due, Some(at("2026-01-19T01:00:00Z")));
}

#[test]
fn nothing_fires_before_its_time_nor_twice() {
    let mut states = all_three("2026-03-01");
    let plan = planned(&states, "2026-03-02T00:59:59Z");
    assert!(
        plan.steps.is_empty(),
        "09:00 Beijing has not come: {plan:?}"
    );
    assert_eq!(plan.next_due, Some(at("2026-03-02T01:00:00Z")));

    let plan = planned(&states, "2026-03-02T01:00:00Z");
    assert_eq!(
        summary(&plan),
        vec![
            (WeeklyDispatch, "fire", vec![at("2026-03-02T01:00:00Z")]),
            // 03-01 is a Sunday: the February bulletin on Monday 03-02.
            (MonthlyBulletin, "fire", vec![at("2026-03-01T01:00:00Z")]),
        ]
    );
    let fired = |due_at| Done::Fired {
        due_at,
        late: false,
    };
    let monday = at("2026-03-02T01:00:00Z");
    states[0].done.insert(monday, fired(monday));
    states[1]
        .done
        .insert(at("2026-03-01T01:00:00Z"), fired(monday));
    // The bulletin fired but its publications were not made: taken up, not fired again.
    states[1].awaiting.insert(
        at("2026-03-01T01:00:00Z"),
        Awaiting {
            nominal: vec![at("2026-03-01T01:00:00Z")],
            done: fired(monday),
            at: monday,
        },
    );
    let plan = planned(&states, "2026-03-02T02:00:00Z");
    assert_eq!(
        summary(&plan),
        vec![(
            MonthlyBulletin,
            "complete",
            vec![at("2026-03-01T01:00:00Z")]
        )]
    );
}

#[test]
fn the_spring_festival_makes_one_dispatch_of_two_and_a_done_half_is_left_out() {
    let mut states = vec![state(WeeklyDispatch, "2026-02-01")];
    let (first, second) = (at("2026-02-16T01:00:00Z"), at("2026-02-23T01:00:00Z"));
    // Both Mondays are holidays: one dispatch on Tuesday 02-24 stands for both.
    let plan = planned(&states, "2026-02-24T01:00:00Z");
    assert_eq!(
        summary(&plan).last(),
        Some(&(WeeklyDispatch, "fire", vec![first, second]))
    );
    states[0].done.insert(
        first,
        Done::Fired {
            due_at: first,
            late: false,
        },
    );
    let plan = planned(&states, "2026-02-24T01:00:00Z");
    assert_eq!(
        summary(&plan).last(),
        Some(&(WeeklyDispatch, "fire", vec![second]))
    );
}

#[test]
fn a_paused_schedule_fires_nothing_but_completes_what_it_fired() {
    let mut bulletins = state(MonthlyBulletin, "2026-03-01");
    bulletins.paused = Some(Text::parse("the figures are being checked").expect("a note"));
    let nominal = at("2026-03-01T01:00:00Z");
    let done = Done::Fired {
        due_at: at("2026-03-02T01:00:00Z"),
        late: false,
    };
    bulletins.awaiting.insert(
        nominal,
        Awaiting {
            nominal: vec![nominal],
            done,
            at: nominal,
        },
    );
    let plan = planned(&[bulletins], "2026-05-06T01:00:00Z");
    assert_eq!(
        plan.steps,
        vec![Step::Complete {
            kind: MonthlyBulletin,
            nominal: vec![nominal],
            done,
        }]
    );
    assert_eq!(plan.next_due, None, "nothing runs");
}

#[test]
fn a_schedule_starting_tomorrow_has_nothing_due_and_says_when_it_will() {
    let plan = planned(&all_three("2025-12-02"), "2025-12-01T02:00:00Z");
    assert!(plan.steps.is_empty());
    assert_eq!(plan.next_due, Some(at("2025-12-08T01:00:00Z")));
}

#[test]
fn days_before_the_start_fire_only_when_backfilled() {
    let mut bulletins = state(MonthlyBulletin, "2026-04-01");
    let plan = planned(std::slice::from_ref(&bulletins), "2026-04-10T01:00:00Z");
    assert_eq!(
        summary(&plan),
        vec![(MonthlyBulletin, "fire", vec![at("2026-04-01T01:00:00Z")])]
    );
    bulletins
        .backfills
        .push((date("2026-02-01"), date("2026-03-31")));
    let plan = planned(&[bulletins], "2026-04-10T01:00:00Z");
    let months: Vec<_> = summary(&plan).into_iter().map(|(_, _, n)| n[0]).collect();
    assert_eq!(
        months,
        vec![
            at("2026-02-01T01:00:00Z"),
            at("2026-03-01T01:00:00Z"),
            at("2026-04-01T01:00:00Z")
        ]
    );
}

#[test]
fn while_the_bulletins_are_paused_the_assessment_waits() {
    let mut states = all_three("2026-03-02");
    states[1].paused = Some(Text::parse("核对数据").expect("a note"));
    let plan = planned(&states, "2026-04-01T02:00:00Z");
    let kinds: Vec<ScheduleKind> = plan.steps.iter().map(|s| s.kind()).collect();
    assert!(
        !kinds.is_empty() && kinds.iter().all(|k| *k == WeeklyDispatch),
        "the dispatches go on; the March bulletin and the first quarter's assessment wait: {kinds:?}"
    );
    states[1].paused = None;
    let plan = planned(&states, "2026-04-01T02:00:00Z");
    assert_eq!(
        summary(&plan)[summary(&plan).len() - 2..],
        [
            (MonthlyBulletin, "fire", vec![at("2026-04-01T01:00:00Z")]),
            (
                QuarterlyAssessment,
                "fire",
                vec![at("2026-04-01T01:00:00Z")]
            ),
        ],
        "resumed: the bulletin, then the assessment"
    );
}

#[test]
fn a_look_starts_after_the_last_done_so_a_changed_rhythm_brings_nothing_back() {
    let mut bulletins = state(MonthlyBulletin, "2026-01-02");
    for (nominal, due) in [
        ("2026-02-01T01:00:00Z", "2026-02-02T01:00:00Z"),
        ("2026-03-01T01:00:00Z", "2026-03-02T01:00:00Z"),
    ] {
        bulletins.done.insert(
            at(nominal),
            Done::Fired {
                due_at: at(due),
                late: false,
            },
        );
    }
    // Bulletins now at 10:00: February's and March's 10:00 are not new occurrences.
    let later = Rhythm {
        publish_at: chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("a time"),
        ..Rhythm::default()
    };
    let plan = planned_on(
        &later,
        std::slice::from_ref(&bulletins),
        "2026-03-20T02:00:00Z",
    );
    assert!(plan.steps.is_empty(), "{plan:?}");
    assert_eq!(plan.next_due, Some(at("2026-04-01T02:00:00Z")));
}

#[test]
fn a_publication_time_just_after_midnight_fires_on_the_local_day_not_the_utc_one() {
    // 00:30 Beijing is 16:30 UTC the day before: April 1st's bulletin falls due on
    // 2026-03-31 in UTC, and not a minute earlier.
    let just_after_midnight = Rhythm {
        publish_at: chrono::NaiveTime::from_hms_opt(0, 30, 0).expect("a time"),
        ..Rhythm::default()
    };
    let bulletins = [state(MonthlyBulletin, "2026-03-02")];
    let plan = planned_on(&just_after_midnight, &bulletins, "2026-03-31T16:29:00Z");
    assert!(plan.steps.is_empty(), "{plan:?}");
    assert_eq!(plan.next_due, Some(at("2026-03-31T16:30:00Z")));
    let plan = planned_on(&just_after_midnight, &bulletins, "2026-03-31T16:30:00Z");
    assert_eq!(
        summary(&plan),
        vec![(MonthlyBulletin, "fire", vec![at("2026-03-31T16:30:00Z")])]
    );
}
