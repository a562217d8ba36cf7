//! Counting working days forwards and backwards, and saying when a count rested on a guess.

use chrono::{Datelike, NaiveDate};

use super::d;
use crate::calendar::{
    add_working_days, sub_working_days, ChinaCalendar, FixedCalendar, WorkingCalendar,
};

#[test]
fn working_days_skip_weekends_and_holidays_but_keep_make_up_days() {
    // 2026-10-01..07 National Day holiday; Sunday 2026-10-11 a make-up working day.
    let cal = FixedCalendar::weekdays()
        .with_holidays((1..=7).map(|day| d(2026, 10, day)))
        .with_make_up_days([d(2026, 10, 11)]);
    // Tuesday 2026-09-29 + 3 working days: Wed 30, (holidays), Thu 8, Fri 9.
    assert_eq!(
        add_working_days(&cal, d(2026, 9, 29), 3).value,
        d(2026, 10, 9)
    );
    // Fri 9 + 1 = Sun 11 (make-up day).
    assert_eq!(
        add_working_days(&cal, d(2026, 10, 9), 1).value,
        d(2026, 10, 11)
    );
    assert_eq!(
        sub_working_days(&cal, d(2026, 10, 11), 2).value,
        d(2026, 10, 8)
    );
    assert_eq!(
        add_working_days(&cal, d(2026, 10, 9), 0).value,
        d(2026, 10, 9)
    );
}

#[test]
fn a_fixed_calendar_knows_every_year_and_never_flags() {
    let cal = FixedCalendar::weekdays();
    assert!(cal.is_known_year(2031));
    assert!(!add_working_days(&cal, d(2031, 12, 30), 5).calendar_unknown);
    assert!(!sub_working_days(&cal, d(2031, 1, 2), 5).calendar_unknown);
}

#[test]
fn a_calendar_without_working_days_does_not_hang_the_arithmetic() {
    struct NeverWorks;
    impl WorkingCalendar for NeverWorks {
        fn is_working_day(&self, _: NaiveDate) -> bool {
            false
        }
    }
    let far = add_working_days(&NeverWorks, d(2026, 1, 1), 3).value;
    assert!(far > d(2045, 1, 1) && far < d(2047, 1, 1), "{far}");
    let _ = sub_working_days(&NeverWorks, d(2026, 1, 1), 3);
}

/// China's 2026 arrangement is vendored; 2027's is not (not published when this was written).
#[test]
fn an_unknown_year_falls_back_to_monday_to_friday_and_says_so() {
    let cal = ChinaCalendar;
    assert!(cal.is_known_year(2026));
    assert!(!cal.is_known_year(2027));
    // 2027-01-01 would surely be 元旦, but nothing is published: a Friday, so a working day.
    assert!(cal.is_working_day(d(2027, 1, 1)));
    assert!(!cal.is_working_day(d(2027, 1, 2)));
    assert!((1..=31).all(|day| {
        let date = d(2027, 1, day);
        cal.is_working_day(date) == !matches!(date.weekday().number_from_monday(), 6 | 7)
    }));
}

#[test]
fn a_count_is_flagged_when_it_looks_at_a_day_of_an_unknown_year() {
    let cal = ChinaCalendar;
    // Wednesday 2026-12-30 + 1: Thursday 12-31, all in 2026.
    let inside = add_working_days(&cal, d(2026, 12, 30), 1);
    assert_eq!(
        (inside.value, inside.calendar_unknown),
        (d(2026, 12, 31), false)
    );
    // + 2 reaches Friday 2027-01-01 (a guess).
    let across = add_working_days(&cal, d(2026, 12, 30), 2);
    assert_eq!(
        (across.value, across.calendar_unknown),
        (d(2027, 1, 1), true)
    );
    // Counting back from 2027-01-05 (Tuesday) by 1 looks only at Monday 2027-01-04.
    let back = sub_working_days(&cal, d(2027, 1, 5), 1);
    assert_eq!((back.value, back.calendar_unknown), (d(2027, 1, 4), true));
    // Counting back from 2027-01-01 by 1 looks at Thursday 2026-12-31 only: not flagged,
    // although the start date lies in the unknown year.
    let from_unknown = sub_working_days(&cal, d(2027, 1, 1), 1);
    assert_eq!(
        (from_unknown.value, from_unknown.calendar_unknown),
        (d(2026, 12, 31), false)
    );
    // No day looked at, no flag.
    assert!(!add_working_days(&cal, d(2027, 6, 1), 0).calendar_unknown);
}
