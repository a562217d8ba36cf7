//! For random valid expressions and random instants, the next fire time is the one a
//! brute-force search finds, minute by minute, over the following eight days — in zones with
//! and without clocks that change (where a skipped hour never fires and a repeated one fires
//! twice).

use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::WEEKDAYS;
use crate::calendar::CronExpr;

/// How far the brute force looks: an expression that fires on some weekday fires within it.
const HORIZON_DAYS: i64 = 8;

/// One field: every value (`*`), or a list of values.
#[derive(Debug, Clone)]
enum Field {
    All,
    Some(Vec<u32>),
}

impl Field {
    fn holds(&self, value: u32) -> bool {
        match self {
            Field::All => true,
            Field::Some(values) => values.contains(&value),
        }
    }

    fn render(&self, name: impl Fn(u32) -> String) -> String {
        match self {
            Field::All => "*".to_owned(),
            Field::Some(values) => values
                .iter()
                .map(|v| name(*v))
                .collect::<Vec<_>>()
                .join(","),
        }
    }
}

/// An expression as its parts, so the brute force checks the parts, not the crate.
#[derive(Debug, Clone)]
struct Parts {
    seconds: Vec<u32>,
    minutes: Field,
    hours: Field,
    days_of_month: Field,
    /// Weekdays as days from Monday (0 = Mon).
    weekdays: Field,
}

impl Parts {
    fn expression(&self) -> String {
        let number = |v: u32| v.to_string();
        let weekday = |v: u32| {
            WEEKDAYS
                .get(v as usize)
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        format!(
            "{} {} {} {} * {}",
            self.seconds
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(","),
            self.minutes.render(number),
            self.hours.render(number),
            self.days_of_month.render(number),
            self.weekdays.render(weekday),
        )
    }

    /// The first instant after `after`, within the horizon, whose wall-clock time in `zone`
    /// matches every part: every UTC minute is converted and checked.
    fn brute_force(&self, after: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
        let start = after.with_second(0)?.with_nanosecond(0)?;
        let mut seconds = self.seconds.clone();
        seconds.sort_unstable();
        (0..=HORIZON_DAYS * 24 * 60).find_map(|minute| {
            let at = start + Duration::minutes(minute);
            let local = at.with_timezone(&zone);
            let matches = self.minutes.holds(local.minute())
                && self.hours.holds(local.hour())
                && self.days_of_month.holds(local.day())
                && self.weekdays.holds(local.weekday().num_days_from_monday());
            if !matches {
                return None;
            }
            seconds
                .iter()
                .map(|s| at + Duration::seconds(i64::from(*s)))
                .find(|t| *t > after)
        })
    }
}

fn field(range: std::ops::Range<u32>, most: usize) -> impl Strategy<Value = Field> {
    prop_oneof![
        1 => Just(Field::All),
        3 => proptest::sample::subsequence(range.collect::<Vec<_>>(), 1..=most).prop_map(Field::Some),
    ]
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        proptest::sample::subsequence(vec![0u32, 15, 30, 45], 1..=4),
        field(0..60, 3),
        field(0..24, 3),
        prop_oneof![3 => Just(Field::All), 1 => field(1..32, 3)],
        field(0..7, 7),
    )
        .prop_map(|(seconds, minutes, hours, days_of_month, weekdays)| Parts {
            seconds,
            minutes,
            hours,
            days_of_month,
            weekdays,
        })
}

fn zone() -> impl Strategy<Value = Tz> {
    proptest::sample::select(vec![
        chrono_tz::Asia::Shanghai,
        chrono_tz::UTC,
        chrono_tz::America::New_York,
        chrono_tz::Europe::London,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::America::Santiago,
    ])
}

/// A zone and an instant: half the time any zone at any instant from 2000 to 2040, half the
/// time a zone whose clock changes, from ninety minutes before one of its 2026 changes to half an hour after (where the
/// interesting cases are: Lord Howe turns by half an hour).
fn zone_and_instant() -> impl Strategy<Value = (Tz, DateTime<Utc>)> {
    use chrono_tz::{America::New_York, Australia::Lord_Howe, Europe::London};
    let utc = |y, m, d, h, min| Utc.with_ymd_and_hms(y, m, d, h, min, 0).single();
    let changes = vec![
        (New_York, utc(2026, 3, 8, 7, 0)),
        (New_York, utc(2026, 11, 1, 6, 0)),
        (London, utc(2026, 3, 29, 1, 0)),
        (London, utc(2026, 10, 25, 1, 0)),
        (Lord_Howe, utc(2026, 4, 4, 15, 0)),
        (Lord_Howe, utc(2026, 10, 3, 15, 30)),
    ];
    let near_change = (proptest::sample::select(changes), -90 * 60i64..30 * 60)
        .prop_filter_map("a clock change", |((zone, change), offset)| {
            change.map(|c| (zone, c + Duration::seconds(offset)))
        });
    let anywhere = (zone(), 946_684_800i64..2_208_988_800)
        .prop_filter_map("an instant", |(zone, secs)| {
            DateTime::from_timestamp(secs, 0).map(|at| (zone, at))
        });
    prop_oneof![anywhere, near_change]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn next_fire_time_is_the_brute_force_one(parts in parts(), (zone, after) in zone_and_instant()) {
        let expression = parts.expression();
        let expr = CronExpr::parse(&expression).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let found = expr.next_after(after, zone);
        let horizon = after + Duration::days(HORIZON_DAYS);
        match parts.brute_force(after, zone) {
            Some(expected) => prop_assert_eq!(found, Some(expected), "{} in {} after {}", expression, zone, after),
            None => prop_assert!(found.is_none_or(|f| f > horizon), "{} in {} after {}: {:?}", expression, zone, after, found),
        }
    }
}
