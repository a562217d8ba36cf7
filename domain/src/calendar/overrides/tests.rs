//! Given/when/then tests of a county's calendar declarations, and the calendar they make.

use chrono::NaiveDate;
use cqrs_es::test::TestFramework;

use super::*;
use crate::calendar::{add_working_days, WorkingCalendar};
use crate::testing::default_services;
use crate::testing::fixtures::{
    assert_codes_distinct_and_namespaced, assert_round_trips, at, date, officer, replay, text,
};
use crate::{Command, Stamp};

const NOW: &str = "2026-07-01T02:00:00Z";

fn framework() -> TestFramework<CountyOverrides> {
    TestFramework::with(default_services())
}

fn cmd(body: OverrideCommand) -> Command<OverrideCommand> {
    Command::new(
        Stamp {
            at: at(NOW),
            actor: officer(),
        },
        body,
    )
}

fn declare(date: NaiveDate, day: DeclaredDay) -> OverrideCommand {
    OverrideCommand::Declare {
        date,
        day,
        reason: text("县防汛指挥部通知"),
    }
}

fn revoke(date: NaiveDate) -> OverrideCommand {
    OverrideCommand::Revoke {
        date,
        reason: text("汛情解除"),
    }
}

fn declared(date: NaiveDate, day: DeclaredDay) -> OverrideEvent {
    OverrideEvent::DayDeclared {
        date,
        day,
        reason: text("县防汛指挥部通知"),
        by: officer(),
        at: at(NOW),
    }
}

fn revoked(date: NaiveDate, day: DeclaredDay) -> OverrideEvent {
    OverrideEvent::DeclarationRevoked {
        date,
        day,
        reason: text("汛情解除"),
        by: officer(),
        at: at(NOW),
    }
}

fn invalid(date: NaiveDate, state: &'static str, request: &'static str) -> OverrideError {
    OverrideError::InvalidTransition {
        date,
        state,
        request,
    }
}

/// Thursday 2026-07-02, an ordinary working day in China's 2026 arrangement.
fn flood_day() -> NaiveDate {
    date(2026, 7, 2)
}

// ---- declare ----

#[test]
fn a_county_declares_a_working_day_off_with_who_when_and_why() {
    framework()
        .given_no_previous_events()
        .when(cmd(declare(flood_day(), DeclaredDay::DayOff)))
        .then_expect_events(vec![declared(flood_day(), DeclaredDay::DayOff)]);
}

#[test]
fn a_county_declares_a_weekend_or_a_national_holiday_worked() {
    // Saturday 2026-07-04; Monday 2026-10-05, a day of the National Day holiday.
    for day in [date(2026, 7, 4), date(2026, 10, 5)] {
        framework()
            .given_no_previous_events()
            .when(cmd(declare(day, DeclaredDay::WorkingDay)))
            .then_expect_events(vec![declared(day, DeclaredDay::WorkingDay)]);
    }
}

#[test]
fn a_date_is_not_declared_twice_without_revoking_first() {
    for day in [DeclaredDay::DayOff, DeclaredDay::WorkingDay] {
        framework()
            .given(vec![declared(flood_day(), DeclaredDay::DayOff)])
            .when(cmd(declare(flood_day(), day)))
            .then_expect_error(invalid(flood_day(), "declared_day_off", "declare"));
    }
    framework()
        .given(vec![
            declared(flood_day(), DeclaredDay::DayOff),
            revoked(flood_day(), DeclaredDay::DayOff),
        ])
        .when(cmd(declare(flood_day(), DeclaredDay::DayOff)))
        .then_expect_events(vec![declared(flood_day(), DeclaredDay::DayOff)]);
}

#[test]
fn declaring_what_the_published_arrangement_already_says_is_refused() {
    // Monday 2026-10-05 is off (National Day); Saturday 2026-10-10 is a make-up working day
    // (调休); Thursday 2026-07-02 is an ordinary working day; Saturday 2026-07-04 is off.
    for (day, what) in [
        (date(2026, 10, 5), DeclaredDay::DayOff),
        (date(2026, 10, 10), DeclaredDay::WorkingDay),
        (flood_day(), DeclaredDay::WorkingDay),
        (date(2026, 7, 4), DeclaredDay::DayOff),
    ] {
        framework()
            .given_no_previous_events()
            .when(cmd(declare(day, what)))
            .then_expect_error(OverrideError::ChangesNothing {
                date: day,
                day: what,
            });
    }
}

#[test]
fn in_an_unknown_year_any_declaration_is_a_fact_where_there_was_a_guess() {
    // 2027 has no published arrangement: Monday 2027-03-01 is a working day only by the
    // Monday–Friday fallback, so declaring it one pins it down.
    framework()
        .given_no_previous_events()
        .when(cmd(declare(date(2027, 3, 1), DeclaredDay::WorkingDay)))
        .then_expect_events(vec![declared(date(2027, 3, 1), DeclaredDay::WorkingDay)]);
}

#[test]
fn a_date_outside_2000_to_2100_is_a_typing_error() {
    framework()
        .given_no_previous_events()
        .when(cmd(declare(date(2206, 7, 2), DeclaredDay::DayOff)))
        .then_expect_error(OverrideError::DateOutOfRange {
            date: date(2206, 7, 2),
            min: 2000,
            max: 2100,
        });
}

// ---- revoke ----

#[test]
fn a_declaration_is_revoked_with_a_reason_naming_what_it_was() {
    framework()
        .given(vec![declared(flood_day(), DeclaredDay::DayOff)])
        .when(cmd(revoke(flood_day())))
        .then_expect_events(vec![revoked(flood_day(), DeclaredDay::DayOff)]);
}

#[test]
fn only_a_declared_date_is_revoked() {
    framework()
        .given_no_previous_events()
        .when(cmd(revoke(flood_day())))
        .then_expect_error(invalid(flood_day(), "not_declared", "revoke"));
    framework()
        .given(vec![
            declared(flood_day(), DeclaredDay::DayOff),
            revoked(flood_day(), DeclaredDay::DayOff),
        ])
        .when(cmd(revoke(flood_day())))
        .then_expect_error(invalid(flood_day(), "not_declared", "revoke"));
}

// ---- the calendar the declarations make ----

#[test]
fn the_county_calendar_is_china_s_arrangement_with_the_declarations_on_top() {
    let county: CountyOverrides = replay([
        declared(flood_day(), DeclaredDay::DayOff),
        declared(date(2026, 10, 5), DeclaredDay::WorkingDay),
    ]);
    let calendar = county.calendar();
    assert!(!calendar.is_working_day(flood_day()));
    assert!(calendar.is_working_day(date(2026, 10, 5)));
    // Undeclared days follow the arrangement: 2026-10-06 is still National Day.
    assert!(!calendar.is_working_day(date(2026, 10, 6)));
    assert!(calendar.is_working_day(date(2026, 10, 10)));
    // Wednesday 2026-07-01 + 1 working day skips the declared Thursday: Friday 07-03.
    assert_eq!(
        add_working_days(&calendar, date(2026, 7, 1), 1).value,
        date(2026, 7, 3)
    );
}

#[test]
fn a_revoked_declaration_leaves_the_arrangement_in_force() {
    let county: CountyOverrides = replay([
        declared(flood_day(), DeclaredDay::DayOff),
        revoked(flood_day(), DeclaredDay::DayOff),
    ]);
    assert!(county.declarations().is_empty());
    assert!(county.calendar().is_working_day(flood_day()));
}

#[test]
fn a_declared_day_in_an_unknown_year_is_no_guess_but_the_year_stays_unknown() {
    let county: CountyOverrides = replay([declared(date(2027, 1, 4), DeclaredDay::DayOff)]);
    let calendar = county.calendar();
    assert!(!calendar.is_known_year(2027));
    assert!(!calendar.is_working_day(date(2027, 1, 4)));
    assert!(!calendar.is_guessed(date(2027, 1, 4)));
    assert!(calendar.is_guessed(date(2027, 1, 5)));
    // Friday 2027-01-01 + 1 looks at Sat, Sun (guessed), the declared Monday and Tuesday 5th.
    let reckoned = add_working_days(&calendar, date(2027, 1, 1), 1);
    assert_eq!(reckoned.value, date(2027, 1, 5));
    assert!(reckoned.calendar_unknown);
}

// ---- wire format ----

#[test]
fn events_and_state_round_trip_and_error_codes_are_namespaced() {
    let events = [
        declared(flood_day(), DeclaredDay::DayOff),
        revoked(flood_day(), DeclaredDay::DayOff),
    ];
    for event in &events {
        assert_round_trips(event);
    }
    // A snapshot of the state (dates as map keys) comes back equal.
    let county: CountyOverrides = replay([declared(flood_day(), DeclaredDay::DayOff)]);
    let json = serde_json::to_string(&county).expect("state serialises");
    let back: CountyOverrides = serde_json::from_str(&json).expect("state deserialises");
    assert_eq!(back, county);
    let errors = [
        invalid(flood_day(), "not_declared", "revoke"),
        OverrideError::ChangesNothing {
            date: flood_day(),
            day: DeclaredDay::WorkingDay,
        },
        OverrideError::DateOutOfRange {
            date: date(1999, 1, 1),
            min: 2000,
            max: 2100,
        },
    ];
    assert_codes_distinct_and_namespaced(&errors, "county_calendar.");
}
