//! China's vendored arrangements: real days pinned, and every file consistent with itself and
//! with the notice it transcribes.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, Weekday};

use super::d;
use crate::calendar::cn::{arrangement, ARRANGEMENTS};
use crate::calendar::{add_working_days, ChinaCalendar, WorkingCalendar};

#[test]
fn the_2026_notice_s_days_are_as_published() {
    let cal = ChinaCalendar;
    // 调休上班: weekend days worked.
    for (date, weekday) in [
        (d(2026, 1, 4), Weekday::Sun),
        (d(2026, 2, 14), Weekday::Sat),
        (d(2026, 2, 28), Weekday::Sat),
        (d(2026, 5, 9), Weekday::Sat),
        (d(2026, 9, 20), Weekday::Sun),
        (d(2026, 10, 10), Weekday::Sat),
    ] {
        assert_eq!(date.weekday(), weekday, "{date}");
        assert!(cal.is_working_day(date), "{date} is a make-up working day");
    }
    // 放假: Spring Festival (Monday 02-16) and National Day (Monday 10-05).
    for date in [d(2026, 2, 16), d(2026, 10, 5)] {
        assert_eq!(date.weekday(), Weekday::Mon, "{date}");
        assert!(!cal.is_working_day(date), "{date} is a day off");
    }
    // An ordinary weekend and weekday are untouched.
    assert!(!cal.is_working_day(d(2026, 3, 14)));
    assert!(cal.is_working_day(d(2026, 3, 16)));
}

#[test]
fn the_2024_and_2025_notices_days_are_as_published() {
    let cal = ChinaCalendar;
    // 2024: 除夕 (Friday 02-09) is worked; Sunday 02-04 and 02-18 are make-up days.
    assert!(cal.is_working_day(d(2024, 2, 9)));
    assert!(cal.is_working_day(d(2024, 2, 4)));
    assert!(cal.is_working_day(d(2024, 2, 18)));
    assert!(!cal.is_working_day(d(2024, 2, 16)));
    assert!(cal.is_working_day(d(2024, 5, 11)));
    // 2025: Wednesday 10-08 is the merged National Day–Mid-Autumn holiday's last day.
    assert!(!cal.is_working_day(d(2025, 10, 8)));
    assert!(cal.is_working_day(d(2025, 10, 11)));
    assert!(cal.is_working_day(d(2025, 4, 27)));
}

#[test]
fn a_window_across_the_spring_festival_counts_the_make_up_saturday() {
    // Friday 2026-02-13 + 1 working day: Saturday 02-14 (调休). + 2: Tuesday 02-24, after the
    // nine days off.
    let cal = ChinaCalendar;
    assert_eq!(
        add_working_days(&cal, d(2026, 2, 13), 1).value,
        d(2026, 2, 14)
    );
    let across = add_working_days(&cal, d(2026, 2, 13), 2);
    assert_eq!(across.value, d(2026, 2, 24));
    assert!(!across.calendar_unknown);
}

#[test]
fn every_vendored_arrangement_is_consistent() {
    let mut years = BTreeSet::new();
    for a in ARRANGEMENTS {
        assert!(years.insert(a.year), "{} vendored twice", a.year);
        assert_eq!(arrangement(a.year), Some(a));
        // The notice names the year, was issued before it, and has a number and an address.
        assert!(
            a.notice.title.contains(&format!("{}年", a.year)),
            "{}",
            a.notice.title
        );
        assert!(
            a.notice.number.starts_with("国办发明电〔"),
            "{}",
            a.notice.number
        );
        assert!(a.notice.issued.year() == a.year - 1, "{}", a.notice.issued);
        assert!(
            a.notice.url.starts_with("https://www.gov.cn/"),
            "{}",
            a.notice.url
        );
        assert!(!a.holidays.is_empty());

        let mut off = BTreeSet::new();
        let mut worked = BTreeSet::new();
        for h in a.holidays {
            assert!(h.first_day_off <= h.last_day_off, "{}", h.name);
            let mut day = h.first_day_off;
            let mut count = 0;
            while day <= h.last_day_off {
                assert_eq!(day.year(), a.year, "{} {day} outside {}", h.name, a.year);
                assert!(off.insert(day), "{day} is off in two holidays");
                count += 1;
                day = day.checked_add_days(Days::new(1)).expect("a date");
            }
            assert_eq!(
                count, h.days_off,
                "{} {}: 共{}天",
                a.year, h.name, h.days_off
            );
            for &m in h.make_up_days {
                assert_eq!(
                    m.year(),
                    a.year,
                    "{} make-up day {m} outside {}",
                    h.name,
                    a.year
                );
                assert!(
                    matches!(m.weekday(), Weekday::Sat | Weekday::Sun),
                    "make-up day {m} is not a weekend day"
                );
                assert!(worked.insert(m), "{m} listed twice");
            }
        }
        let both: Vec<_> = off.intersection(&worked).collect();
        assert!(both.is_empty(), "{}: both off and worked: {both:?}", a.year);
    }
    // Oldest first, as documented.
    assert!(ARRANGEMENTS.windows(2).all(|w| w[0].year < w[1].year));
    assert!(years.is_superset(&BTreeSet::from([2024, 2025, 2026])));
}
