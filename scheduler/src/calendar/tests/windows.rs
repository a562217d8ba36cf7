//! One-off windows: plain hours and working days, across the National Day holiday.

use super::{bj, china, date};
use crate::calendar::{Window, WorkingDaysBefore};

#[test]
fn hours_are_elapsed_hours_whatever_the_day() {
    let ends = Window::Hours(24).ends_at(bj("2026-10-04 15:00"), china());
    assert_eq!(ends.value, bj("2026-10-05 15:00"));
    assert!(!ends.calendar_unknown);
}

#[test]
fn working_days_after_skip_the_holiday_and_count_a_make_up_saturday() {
    // From Wednesday 09-30: 10-01..07 off, then 10-08 (1), 10-09 (2), Saturday 10-10 (3,
    // worked); due by 24:00 of 10-10.
    let ends = Window::WorkingDaysAfter(3).ends_at(bj("2026-09-30 10:00"), china());
    assert_eq!(ends.value, bj("2026-10-11 00:00"));
    assert!(!ends.calendar_unknown);
}

#[test]
fn working_days_before_a_date_open_at_local_midnight() {
    // Before Monday 10-12: Saturday 10-10 (1), 10-09 (2), 10-08 (3).
    let opens = WorkingDaysBefore(3).opens_at(date("2026-10-12"), china());
    assert_eq!(opens.value, bj("2026-10-08 00:00"));
    // Before 2026-02-25: 02-24 (1), then the Spring Festival, then Saturday 02-14 (2).
    let opens = WorkingDaysBefore(2).opens_at(date("2026-02-25"), china());
    assert_eq!(opens.value, bj("2026-02-14 00:00"));
}
