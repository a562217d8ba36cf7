//! For random ranges over 2024–2027 (published years, an unknown one, and the unknown end of 2023
//! a walk can start in), the working-day
//! rules list what a day-by-day search finds: each nominal day of the rule, moved day by day
//! to the first working day on or after it, nominal days landing on the same day made one.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Duration, NaiveDate, NaiveTime};
use proptest::prelude::*;
use rectiflow_domain::calendar::WorkingCalendar;
use rectiflow_domain::values::local_date;

use super::{china, CHINA, WEEKDAYS};
use crate::calendar::{occurrences, Rule, DEFAULT_ZONE};
use rectiflow_domain::publication::local_instant;

fn is_nominal_day(rule: &Rule, day: NaiveDate) -> bool {
    match rule {
        Rule::Weekly { weekday, .. } => day.weekday() == *weekday,
        Rule::FirstWorkingDayOfMonth { .. } => day.day() == 1,
        Rule::FirstWorkingDayOfQuarter { .. } => day.day() == 1 && day.month0().is_multiple_of(3),
        Rule::Cron(_) | Rule::CronNextWorkingDay(_) => false,
    }
}

/// Fire day → nominal days, by walking every day from well before `from` to `to`.
fn day_by_day(rule: &Rule, from: NaiveDate, to: NaiveDate) -> BTreeMap<NaiveDate, Vec<NaiveDate>> {
    let mut found: BTreeMap<NaiveDate, Vec<NaiveDate>> = BTreeMap::new();
    let mut day = from - Duration::days(40);
    while day < to {
        if is_nominal_day(rule, day) {
            let mut fire = day;
            while !CHINA.is_working_day(fire) {
                fire = fire + Days::new(1);
            }
            if from <= fire && fire < to {
                found.entry(fire).or_default().push(day);
            }
        }
        day = day + Days::new(1);
    }
    found
}

fn rule() -> impl Strategy<Value = Rule> {
    let at =
        (0u32..24, 0u32..60).prop_filter_map("a time", |(h, m)| NaiveTime::from_hms_opt(h, m, 0));
    let weekday = proptest::sample::select(WEEKDAYS.to_vec());
    prop_oneof![
        (weekday, at.clone()).prop_map(|(weekday, at)| Rule::Weekly { weekday, at }),
        at.clone()
            .prop_map(|at| Rule::FirstWorkingDayOfMonth { at }),
        at.prop_map(|at| Rule::FirstWorkingDayOfQuarter { at }),
    ]
}

proptest! {
    #[test]
    fn working_day_rules_list_what_a_day_by_day_search_finds(
        rule in rule(),
        start in 0u64..(4 * 365),
        days in 1u64..120,
    ) {
        let first = NaiveDate::from_ymd_opt(2024, 1, 1).map(|d| d + Days::new(start));
        let first = first.ok_or_else(|| TestCaseError::fail("a start day"))?;
        let last = first + Days::new(days);
        let midnight = NaiveTime::MIN;
        let found = occurrences(
            &rule,
            local_instant(first, midnight, DEFAULT_ZONE),
            local_instant(last, midnight, DEFAULT_ZONE),
            china(),
            1_000,
        )
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let listed: BTreeMap<NaiveDate, Vec<NaiveDate>> = found
            .iter()
            .map(|o| {
                let nominal = o.nominal.iter().map(|n| local_date(n.at, DEFAULT_ZONE)).collect();
                (o.local.date(), nominal)
            })
            .collect();
        prop_assert_eq!(found.len(), listed.len());
        prop_assert_eq!(listed, day_by_day(&rule, first, last));
        for occurrence in &found {
            for nominal in &occurrence.nominal {
                let local = nominal.at.with_timezone(&DEFAULT_ZONE).time();
                prop_assert_eq!(occurrence.local.time(), local);
            }
            // Guessed when any day walked from a nominal day to the fire day lies in a year
            // without a published arrangement — before 2024 as much as from 2027 on.
            let fired = occurrence.local.date();
            let guessed = occurrence.nominal.iter().any(|n| {
                local_date(n.at, DEFAULT_ZONE)
                    .iter_days()
                    .take_while(|day| *day <= fired)
                    .any(|day| CHINA.is_guessed(day))
            });
            prop_assert_eq!(occurrence.calendar_unknown, guessed);
        }
    }
}
