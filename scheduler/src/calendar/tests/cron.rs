//! Parsing refusals and the next fire time, including across a clock turned back.

use chrono_tz::America::New_York;

use super::{bj, local_in};
use crate::calendar::{CronError, CronExpr, DEFAULT_ZONE};

#[test]
fn numeric_weekdays_are_refused_with_the_reason() {
    let err = CronExpr::parse("0 0 9 * * 1").expect_err("a numeric weekday");
    assert!(matches!(&err, CronError::NumericWeekday { item, .. } if item == "1"));
    let message = err.to_string();
    assert!(message.contains("1 = Sunday"), "{message}");
    assert!(message.contains("Mon"), "{message}");
    for expression in ["0 0 9 * * Mon,3", "0 0 9 * * 2-6", "0 0 9 * * Mon-5"] {
        assert!(
            matches!(
                CronExpr::parse(expression),
                Err(CronError::NumericWeekday { .. })
            ),
            "{expression}"
        );
    }
    assert!(matches!(
        CronExpr::parse("0 0 9 * * */2"),
        Err(CronError::WeekdayStep { .. })
    ));
}

#[test]
fn field_counts_shorthands_and_nonsense_are_refused() {
    assert!(matches!(
        CronExpr::parse("0 9 * * Mon"),
        Err(CronError::FieldCount { found: 5, .. })
    ));
    assert!(matches!(
        CronExpr::parse("@weekly"),
        Err(CronError::Shorthand { .. })
    ));
    assert!(matches!(
        CronExpr::parse("0 0 25 * * Mon"),
        Err(CronError::Invalid { .. })
    ));
    assert!(matches!(
        CronExpr::parse("0 0 9 * * Funday"),
        Err(CronError::Invalid { .. })
    ));
    assert!(matches!(
        CronExpr::parse(""),
        Err(CronError::FieldCount { found: 0, .. })
    ));
}

#[test]
fn named_weekdays_ranges_and_a_year_field_parse() {
    for expression in [
        "0 0 9 * * Mon",
        "0 0 9 * * Mon-Fri",
        "0 30 8,14 * * Mon,Wed,Fri",
        "0 0 9 1 * ?",
        "0 0 9 * * * 2026",
    ] {
        let expr = CronExpr::parse(expression).expect(expression);
        assert_eq!(expr.as_str(), expression);
    }
}

#[test]
fn monday_means_monday_in_beijing_time() {
    let expr = CronExpr::parse("0 0 9 * * Mon").expect("valid");
    // Sunday 2026-03-01 23:00 Beijing is still Sunday afternoon in UTC.
    let next = expr.next_after(bj("2026-03-01 23:00"), DEFAULT_ZONE);
    assert_eq!(next, Some(bj("2026-03-02 09:00")));
    // Strictly after: at the fire time itself, the next is a week on.
    let again = expr.next_after(bj("2026-03-02 09:00"), DEFAULT_ZONE);
    assert_eq!(again, Some(bj("2026-03-09 09:00")));
}

#[test]
fn a_repeated_hour_fires_twice_and_in_order() {
    // New York turns its clocks back at 02:00 on 2026-11-01: 01:00–01:59 happens twice.
    let expr = CronExpr::parse("0 30,50 1 * * *").expect("valid");
    let first = local_in(New_York, "2026-11-01 01:30");
    let fires: Vec<_> = expr
        .after(local_in(New_York, "2026-11-01 00:00"), New_York)
        .take(5)
        .collect();
    let hour = chrono::Duration::hours(1);
    let twenty = chrono::Duration::minutes(20);
    assert_eq!(
        fires,
        vec![
            first,
            first + twenty,
            first + hour,
            first + hour + twenty,
            local_in(New_York, "2026-11-02 01:30"),
        ]
    );
    // From inside the first pass, the second pass's earlier minute comes next.
    assert_eq!(
        expr.next_after(first + twenty, New_York),
        Some(first + hour)
    );
}

#[test]
fn a_skipped_hour_never_fires() {
    // New York skips 02:00–02:59 on 2026-03-08.
    let expr = CronExpr::parse("0 30 2 * * *").expect("valid");
    let next = expr.next_after(local_in(New_York, "2026-03-07 12:00"), New_York);
    assert_eq!(next, Some(local_in(New_York, "2026-03-09 02:30")));
}
