//! Rules pinned on real days of China's 2026 arrangement (国办发明电〔2025〕7号).

use chrono::{NaiveTime, Weekday};
use rectiflow_domain::calendar::FixedCalendar;

use super::{bj, china, date};
use crate::calendar::{
    occurrences, Adjustment, CampaignCalendar, CronExpr, DayOff, Occurrence, Rule, DEFAULT_ZONE,
};

const LIMIT: usize = 10_000;

fn nine() -> NaiveTime {
    NaiveTime::from_hms_opt(9, 0, 0).expect("09:00")
}

fn cron(expression: &str) -> CronExpr {
    CronExpr::parse(expression).expect(expression)
}

fn list(rule: &Rule, from: &str, to: &str) -> Vec<Occurrence> {
    occurrences(rule, bj(from), bj(to), china(), LIMIT).expect("a listing")
}

fn fire_days(occurrences: &[Occurrence]) -> Vec<String> {
    occurrences
        .iter()
        .map(|o| o.local.format("%Y-%m-%d %H:%M").to_string())
        .collect()
}

#[test]
fn make_up_saturdays_and_sundays_are_working_days_and_fire_as_they_are() {
    let sundays = Rule::CronNextWorkingDay(cron("0 0 9 * * Sun"));
    let january = list(&sundays, "2026-01-01 00:00", "2026-01-10 00:00");
    // 2026-01-04 is a Sunday worked for New Year's Day.
    assert_eq!(fire_days(&january), ["2026-01-04 09:00"]);
    assert_eq!(january[0].nominal[0].adjustment, Adjustment::None);

    let saturdays = Rule::CronNextWorkingDay(cron("0 0 9 * * Sat"));
    for worked in ["2026-02-14", "2026-02-28", "2026-05-09", "2026-10-10"] {
        let day = date(worked);
        let found = list(
            &saturdays,
            &format!("{worked} 00:00"),
            &format!("{} 00:00", day.succ_opt().expect("a next day")),
        );
        assert_eq!(fire_days(&found), [format!("{worked} 09:00")], "{worked}");
        assert!(!found[0].calendar_unknown);
    }
    let september = list(&sundays, "2026-09-20 00:00", "2026-09-21 00:00");
    assert_eq!(fire_days(&september), ["2026-09-20 09:00"]);
}

#[test]
fn a_holiday_moves_to_the_next_working_day_and_says_why() {
    let mondays = Rule::CronNextWorkingDay(cron("0 0 9 * * Mon"));
    let found = list(&mondays, "2026-10-05 00:00", "2026-10-09 00:00");
    assert_eq!(fire_days(&found), ["2026-10-08 09:00"]);
    let nominal = found[0].nominal[0];
    assert_eq!(nominal.at, bj("2026-10-05 09:00"));
    assert_eq!(
        nominal.adjustment,
        Adjustment::MovedToNextWorkingDay {
            from: date("2026-10-05"),
            to: date("2026-10-08"),
            because: DayOff::Holiday { name: "国庆节" },
        }
    );
    assert_eq!(
        found[0].explanation().to_string(),
        "2026-10-05 is a holiday (National Day, 国庆节); moved to the next working day 2026-10-08"
    );
}

#[test]
fn plain_cron_fires_on_holidays_too() {
    let mondays = Rule::Cron(cron("0 0 9 * * Mon"));
    let found = list(&mondays, "2026-02-16 00:00", "2026-02-17 00:00");
    // 2026-02-16 is in the Spring Festival; a plain cron rule does not look.
    assert_eq!(fire_days(&found), ["2026-02-16 09:00"]);
    assert_eq!(
        found[0].explanation().to_string(),
        "fires at its nominal time"
    );
}

#[test]
fn a_nominal_time_before_the_range_moved_into_it_is_listed() {
    let weekly = Rule::Weekly {
        weekday: Weekday::Mon,
        at: nine(),
    };
    // The 2026-10-05 dispatch is moved to Thursday 10-08: a listing from 10-07 shows it.
    let found = list(&weekly, "2026-10-07 00:00", "2026-10-13 00:00");
    assert_eq!(fire_days(&found), ["2026-10-08 09:00", "2026-10-12 09:00"]);
}

#[test]
fn a_day_the_county_has_off_is_explained_as_declared() {
    // A configured calendar with Wednesday 2026-03-04 off.
    let days = FixedCalendar::weekdays().with_holidays([date("2026-03-04")]);
    let calendar = CampaignCalendar::new(DEFAULT_ZONE, &days);
    let wednesdays = Rule::CronNextWorkingDay(cron("0 0 9 * * Wed"));
    let found = occurrences(
        &wednesdays,
        bj("2026-03-04 00:00"),
        bj("2026-03-06 00:00"),
        calendar,
        LIMIT,
    )
    .expect("a listing");
    assert_eq!(fire_days(&found), ["2026-03-05 09:00"]);
    assert_eq!(
        found[0].explanation().to_string(),
        "2026-03-04 is a day off in the campaign's calendar; moved to the next working day 2026-03-05"
    );
}

#[test]
fn an_unknown_year_falls_back_to_monday_to_friday_and_says_so() {
    // No arrangement is vendored for 2027: 1 January (a Friday) counts as a working day, and
    // the occurrence says it rests on the fallback.
    let monthly = Rule::FirstWorkingDayOfMonth { at: nine() };
    let found = list(&monthly, "2027-01-01 00:00", "2027-01-02 00:00");
    assert_eq!(fire_days(&found), ["2027-01-01 09:00"]);
    assert!(found[0].calendar_unknown);
    assert!(found[0]
        .explanation()
        .to_string()
        .contains("Monday–Friday fallback"));
}

#[test]
fn an_empty_range_and_a_runaway_listing_are_refused() {
    let every_second = Rule::Cron(cron("* * * * * *"));
    assert!(occurrences(
        &every_second,
        bj("2026-01-02 00:00"),
        bj("2026-01-01 00:00"),
        china(),
        LIMIT
    )
    .is_err());
    assert!(occurrences(
        &every_second,
        bj("2026-01-01 00:00"),
        bj("2026-01-02 00:00"),
        china(),
        LIMIT
    )
    .is_err());
}
