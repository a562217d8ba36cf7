//! The preview of 2026 on China's arrangement: the days a secretariat would check first.

use chrono::{NaiveDate, NaiveDateTime};
use rectiflow_domain::calendar::CountyCalendar;

use super::*;
use crate::calendar::DEFAULT_ZONE;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date in a test")
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a local time in a test")
}

fn year_2026() -> Vec<PreviewLine> {
    let china = CountyCalendar::china();
    preview(
        &RhythmRules::default(),
        date("2026-01-01"),
        date("2026-12-31"),
        CampaignCalendar::new(DEFAULT_ZONE, &china),
    )
    .expect("a year's preview")
}

fn fired_on<'a>(lines: &'a [PreviewLine], schedule: &str, day: &str) -> Vec<&'a PreviewLine> {
    let day = date(day);
    lines
        .iter()
        .filter(|l| l.schedule == schedule && l.fires.date() == day)
        .collect()
}

#[test]
fn a_year_has_twelve_bulletins_four_assessments_and_a_dispatch_a_week_or_so() {
    let lines = year_2026();
    let count = |schedule| lines.iter().filter(|l| l.schedule == schedule).count();
    assert_eq!(count(MONTHLY_BULLETIN), 12);
    assert_eq!(count(QUARTERLY_ASSESSMENT), 4);
    // 52 Mondays in 2026 (the first on 01-05); those in the Spring Festival make one.
    let dispatched: usize = lines
        .iter()
        .filter(|l| l.schedule == WEEKLY_DISPATCH)
        .map(|l| l.nominal.len())
        .sum();
    assert_eq!(dispatched, 52, "every nominal Monday is in some dispatch");
    assert_eq!(count(WEEKLY_DISPATCH), 51);
    let mut sorted = lines.clone();
    sorted.sort_by_key(|l| l.fires_at);
    assert_eq!(
        sorted.iter().map(|l| l.fires_at).collect::<Vec<_>>(),
        lines.iter().map(|l| l.fires_at).collect::<Vec<_>>(),
        "in the order they fire"
    );
}

#[test]
fn the_december_bulletin_fires_on_sunday_the_fourth_a_working_day() {
    let lines = year_2026();
    let december = fired_on(&lines, MONTHLY_BULLETIN, "2026-01-04");
    assert_eq!(december.len(), 1, "{lines:#?}");
    let bulletin = december[0];
    assert_eq!(bulletin.period, "2025-12");
    assert_eq!(bulletin.fires, local("2026-01-04 09:00"));
    assert_eq!(bulletin.nominal, [local("2026-01-01 09:00")]);
    assert_eq!(bulletin.period_start, local("2025-12-01 00:00"));
    assert_eq!(bulletin.cut_off, local("2026-01-01 00:00"));
    assert!(
        bulletin
            .why
            .contains("moved to the next working day 2026-01-04"),
        "{}",
        bulletin.why
    );
    assert!(!bulletin.calendar_unknown);
}

#[test]
fn the_spring_festival_mondays_make_one_dispatch_on_tuesday_the_24th() {
    let lines = year_2026();
    let merged = fired_on(&lines, WEEKLY_DISPATCH, "2026-02-24");
    assert_eq!(merged.len(), 1);
    assert_eq!(
        merged[0].nominal,
        [local("2026-02-16 09:00"), local("2026-02-23 09:00")]
    );
    assert_eq!(merged[0].period, "2026-02-09");
    assert!(
        merged[0].why.ends_with("2 nominal times fire as one"),
        "{}",
        merged[0].why
    );
}

#[test]
fn after_national_day_the_bulletin_goes_before_the_assessment() {
    let lines = year_2026();
    let on_the_eighth: Vec<&str> = lines
        .iter()
        .filter(|l| l.fires.date() == date("2026-10-08"))
        .map(|l| l.schedule)
        .collect();
    assert_eq!(
        on_the_eighth,
        [WEEKLY_DISPATCH, MONTHLY_BULLETIN, QUARTERLY_ASSESSMENT],
        "the moved Monday dispatch, then the September bulletin, then Q3"
    );
    let q3 = fired_on(&lines, QUARTERLY_ASSESSMENT, "2026-10-08")[0];
    assert_eq!(q3.period, "2026-Q3");
    assert_eq!(q3.cut_off, local("2026-10-01 00:00"));
}

#[test]
fn a_range_reversed_or_longer_than_ten_years_is_refused() {
    let china = CountyCalendar::china();
    let calendar = CampaignCalendar::new(DEFAULT_ZONE, &china);
    let rules = RhythmRules::default();
    assert_eq!(
        preview(&rules, date("2026-02-01"), date("2026-01-31"), calendar),
        Err(PreviewError::Reversed {
            from: date("2026-02-01"),
            to: date("2026-01-31")
        })
    );
    assert!(matches!(
        preview(&rules, date("2026-01-01"), date("2036-12-31"), calendar),
        Err(PreviewError::TooLong { .. })
    ));
    let one_day =
        preview(&rules, date("2026-03-02"), date("2026-03-02"), calendar).expect("a one-day range");
    let schedules: Vec<&str> = one_day.iter().map(|l| l.schedule).collect();
    assert_eq!(
        schedules,
        [WEEKLY_DISPATCH, MONTHLY_BULLETIN],
        "Monday 03-02"
    );
}

#[test]
fn a_year_without_an_arrangement_says_it_may_move() {
    let china = CountyCalendar::china();
    let lines = preview(
        &RhythmRules::default(),
        date("2031-01-01"),
        date("2031-01-31"),
        CampaignCalendar::new(DEFAULT_ZONE, &china),
    )
    .expect("a month of an unknown year");
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l.calendar_unknown), "{lines:#?}");
    assert!(lines.iter().all(|l| l.why.contains("may move")));
}
