//! [`Quarter`]: parsed and printed as `YYYY-Qn`, its days, bounds and neighbours.

use super::*;

#[test]
fn quarters_parse_and_print_as_year_dash_q() {
    assert_eq!(Quarter::parse("2026-Q1"), Ok(q1()));
    assert_eq!(
        Quarter::parse("2026q4").map(|q| q.to_string()),
        Ok("2026-Q4".into())
    );
    for bad in [
        "2026-Q0", "2026-Q5", "26-Q1", "2026-1", "2026-Q12", "Q1-2026", "", "abcd-Q1",
    ] {
        assert!(Quarter::parse(bad).is_err(), "{bad} should be refused");
    }
    assert!(Quarter::new(2026, 0).is_err());
    assert!(Quarter::new(2026, 5).is_err());
    assert_eq!(serde_json::to_string(&q1()).expect("json"), "\"2026-Q1\"");
    assert!(serde_json::from_str::<Quarter>("\"2026-Q9\"").is_err());
}

#[test]
fn quarters_know_their_days_and_neighbours() {
    let q4 = Quarter::new(2026, 4).expect("quarter");
    assert_eq!(q1().first_day(), date(2026, 1, 1));
    assert_eq!(q1().last_day(), date(2026, 3, 31));
    assert_eq!(
        Quarter::new(2026, 2).map(Quarter::last_day),
        Ok(date(2026, 6, 30))
    );
    assert_eq!(q4.first_day(), date(2026, 10, 1));
    assert_eq!(q4.last_day(), date(2026, 12, 31));
    assert_eq!(
        Quarter::containing(date(2026, 8, 15)),
        Quarter::new(2026, 3)
    );
    assert!(q1().contains(date(2026, 3, 31)) && !q1().contains(date(2026, 4, 1)));
    assert_eq!(q4.next(), Quarter::new(2027, 1).ok());
    assert_eq!(q1().previous(), Quarter::new(2025, 4).ok());
    assert!(q1() < q4);
}

#[test]
fn a_quarter_begins_and_ends_at_local_midnight() {
    let tz = chrono_tz::Asia::Shanghai;
    assert_eq!(q1().starts_at(tz), at(Q1_STARTS));
    assert_eq!(q1().ends_at(tz), at(Q1_ENDS));
    assert_eq!(q1().next().map(|q| q.starts_at(tz)), Some(at(Q1_ENDS)));
    let q4 = Quarter::new(2026, 4).expect("quarter");
    assert_eq!(q4.ends_at(tz), at("2026-12-31T16:00:00Z"));
}
