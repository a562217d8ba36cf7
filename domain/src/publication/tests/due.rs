//! When a publication falls due: the aggregate computes it — 09:00 local of the first working
//! day on or after the cut-off's local date (a dispatch: its nominal Monday's), on the
//! campaign's calendar — and records it with `calendar_unknown`; `late` follows from it.

use super::fixtures::*;
use crate::calendar::{ChinaCalendar, FixedCalendar};
use crate::publication::*;
use crate::settings::{CampaignSettings, Rhythm};
use crate::testing::fixtures::date;
use crate::testing::services_with_settings;

const SHANGHAI: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// The county-wide bulletin of April 2026: its cut-off is 1 May 00:00, Labour Day.
fn april_bulletin() -> Publish {
    Publish {
        publication: pid("bulletin~qunfu-2026~2026-04~county"),
        period: period(APRIL, "2026-04-30T16:00:00Z"),
        ..bulletin()
    }
}

/// Wednesday 6 May 2026, 09:00 Beijing time: the first working day after the Labour Day
/// holiday (1–5 May) on China's 2026 arrangement.
const AFTER_LABOUR_DAY: &str = "2026-05-06T01:00:00Z";

#[test]
fn a_bulletin_due_on_a_holiday_falls_due_on_the_next_working_day_at_nine() {
    let when = "2026-05-06T01:00:05Z";
    china()
        .given_no_previous_events()
        .when(cmd_at(when, publish(april_bulletin())))
        .then_expect_events(vec![published_due(
            april_bulletin(),
            AFTER_LABOUR_DAY,
            false,
            false,
            when,
        )]);
    // Late in the evening of the day it fell due is still on time; before 09:00 too (its
    // inputs are read at or after the cut-off, which has passed).
    for when in ["2026-05-06T15:59:59Z", "2026-05-04T02:00:00Z"] {
        china()
            .given_no_previous_events()
            .when(cmd_at(when, publish(april_bulletin())))
            .then_expect_events(vec![published_due(
                april_bulletin(),
                AFTER_LABOUR_DAY,
                false,
                false,
                when,
            )]);
    }
}

#[test]
fn a_bulletin_published_on_a_later_day_than_its_computed_due_day_is_late() {
    // Thursday 7 May, 09:00: the day after it fell due.
    let when = "2026-05-07T01:00:00Z";
    china()
        .given_no_previous_events()
        .when(cmd_at(when, publish(april_bulletin())))
        .then_expect_events(vec![published_due(
            april_bulletin(),
            AFTER_LABOUR_DAY,
            false,
            true,
            when,
        )]);
}

#[test]
fn a_due_day_in_a_year_without_an_arrangement_is_flagged_calendar_unknown() {
    // December 2026's bulletin and Q4's assessment fall due on 1 January 2027: China has not
    // published 2027's arrangement, so the Monday–Friday fallback makes that Friday a working
    // day — a guess the events record.
    let december = Publish {
        publication: pid("bulletin~qunfu-2026~2026-12~county"),
        period: period("2026-11-30T16:00:00Z", "2026-12-31T16:00:00Z"),
        ..bulletin()
    };
    let q4 = Publish {
        publication: pid("assessment~qunfu-2026~2026-Q4~county"),
        period: period("2026-09-30T16:00:00Z", "2026-12-31T16:00:00Z"),
        ..assessment()
    };
    let when = "2027-01-01T01:30:00Z";
    for p in [december, q4] {
        china()
            .given_no_previous_events()
            .when(cmd_at(when, publish(p.clone())))
            .then_expect_events(vec![published_due(
                p,
                "2027-01-01T01:00:00Z",
                true,
                false,
                when,
            )]);
    }
}

#[test]
fn a_dispatch_on_a_holiday_monday_moves_to_the_next_working_day() {
    // The week from Monday 27 April: nominally due Monday 4 May 09:00, a Labour Day holiday
    // (so is Tuesday 5 May): due Wednesday 6 May 09:00.
    let labour_day = Publish {
        publication: pid("dispatch~qunfu-2026~2026-04-27~task_force:yibao"),
        period: period("2026-04-26T16:00:00Z", "2026-05-03T16:00:00Z"),
        nominal: vec![at("2026-05-04T01:00:00Z")],
        ..dispatch()
    };
    // The week from Monday 30 March: Monday 6 April is 清明节; due Tuesday 7 April 09:00.
    let qingming = Publish {
        publication: pid("dispatch~qunfu-2026~2026-03-30~task_force:yibao"),
        period: period("2026-03-29T16:00:00Z", "2026-04-05T16:00:00Z"),
        nominal: vec![at("2026-04-06T01:00:00Z")],
        ..dispatch()
    };
    for (p, due, when) in [
        (labour_day, AFTER_LABOUR_DAY, "2026-05-06T01:00:02Z"),
        (qingming, "2026-04-07T01:00:00Z", "2026-04-07T01:00:02Z"),
    ] {
        china()
            .given_no_previous_events()
            .when(cmd_at(when, publish(p.clone())))
            .then_expect_events(vec![published_due(p, due, false, false, when)]);
    }
}

#[test]
fn the_hour_and_the_dispatch_weekday_are_the_campaigns_rhythm() {
    let rhythm = Rhythm {
        publish_at: chrono::NaiveTime::from_hms_opt(8, 30, 0).expect("08:30"),
        dispatch_weekday: chrono::Weekday::Tue,
        dispatch_catch_up_days: 3,
    };
    let framework = || {
        cqrs_es::test::TestFramework::<Publication>::with(services_with_settings(
            CampaignSettings {
                rhythm,
                ..CampaignSettings::default()
            },
        ))
    };
    let events = framework()
        .given_no_previous_events()
        .when(cmd(publish(bulletin())))
        .inspect_result()
        .expect("published");
    assert!(matches!(
        events.as_slice(),
        [PublicationEvent::Published { due_at, rhythm: recorded, late: false, .. }]
            if *due_at == at("2026-04-01T00:30:00Z") && *recorded == rhythm
    ));
    // A Tuesday dispatch: the week from Tuesday 10 March, nominally due Tuesday 17 March 08:30.
    let tuesday = Publish {
        publication: pid("dispatch~qunfu-2026~2026-03-10~task_force:yibao"),
        period: period("2026-03-09T16:00:00Z", "2026-03-16T16:00:00Z"),
        nominal: vec![at("2026-03-17T00:30:00Z")],
        ..dispatch()
    };
    let events = framework()
        .given_no_previous_events()
        .when(cmd_at("2026-03-17T00:30:00Z", publish(tuesday)))
        .inspect_result()
        .expect("published");
    assert!(matches!(
        events.as_slice(),
        [PublicationEvent::Published { due_at, .. }] if *due_at == at("2026-03-17T00:30:00Z")
    ));
    // The Monday dispatch of the fixtures is not this campaign's rhythm.
    framework()
        .given_no_previous_events()
        .when(cmd_at(DISPATCH_DUE, publish(dispatch())))
        .then_expect_error(PublicationError::NominalMismatch {
            kind: PublicationKind::Dispatch,
            needs: "的原定调度时点须为调度日的发布时刻",
        });
}

#[test]
fn a_correction_records_its_originals_due_instant_and_is_never_late() {
    let correction = PublicationCommand::Correct {
        correction: Publish {
            publication: pid("bulletin~qunfu-2026~2026-04~county~correction-1"),
            ..april_bulletin()
        },
        corrects: pid("bulletin~qunfu-2026~2026-04~county"),
        reason: text("更正"),
    };
    let events = china()
        .given_no_previous_events()
        .when(cmd_at("2026-05-20T02:00:00Z", correction))
        .inspect_result()
        .expect("corrected");
    assert!(matches!(
        events.as_slice(),
        [PublicationEvent::Published { due_at, late: false, calendar_unknown: false, .. }]
            if *due_at == at(AFTER_LABOUR_DAY)
    ));
}

#[test]
fn the_rule_looks_at_the_nominal_day_and_the_days_after_it_up_to_the_due_day() {
    let nine = Rhythm::default().publish_at;
    let due = |d, calendar: &dyn crate::calendar::WorkingCalendar| {
        first_working_day_at(d, nine, SHANGHAI, calendar)
    };
    // A working day is its own due day, and looks at no other.
    let on_time = due(date(2026, 4, 1), &ChinaCalendar);
    assert_eq!(on_time.value, at(DUE));
    assert!(!on_time.calendar_unknown);
    // Saturday 2 January 2027 (guessed) moves to Monday 4 January (guessed).
    let guessed = due(date(2027, 1, 2), &ChinaCalendar);
    assert_eq!(guessed.value, at("2027-01-04T01:00:00Z"));
    assert!(guessed.calendar_unknown);
    // 31 December 2026 is known, and a working day: nothing of 2027 is looked at.
    assert!(!due(date(2026, 12, 31), &ChinaCalendar).calendar_unknown);
    // A calendar that spells out its days guesses nothing.
    assert!(!due(date(2027, 1, 2), &FixedCalendar::weekdays()).calendar_unknown);
    // The nominal day: the cut-off's local date, or the last nominal dispatch's.
    assert_eq!(
        nominal_day(
            PublicationKind::Bulletin,
            period(MARCH, APRIL),
            &[],
            SHANGHAI
        ),
        date(2026, 4, 1)
    );
    assert_eq!(
        nominal_day(
            PublicationKind::Dispatch,
            period(WEEK, NEXT_WEEK),
            &[at(DISPATCH_DUE)],
            SHANGHAI
        ),
        date(2026, 3, 16)
    );
}
