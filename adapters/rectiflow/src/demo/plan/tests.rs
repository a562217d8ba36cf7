//! The draw: deterministic for a seed, on working days, in order, with unique codes.

use rectiflow_domain::calendar::{ChinaCalendar, WorkingCalendar};

use super::*;
use crate::demo::cast::task_forces;

const SMALL: Scale = Scale {
    items: 200,
    complaints: 20,
    alerts: 10,
    cases: 2,
};

fn drawn(seed: u64) -> Plan {
    draw(
        seed,
        SMALL,
        &task_forces(),
        ymd(2026, 3, 3),
        ymd(2026, 6, 12),
        ymd(2026, 7, 8),
    )
}

#[test]
fn the_same_seed_draws_the_same_campaign() {
    let (a, b) = (drawn(7), drawn(7));
    assert_eq!(a.acts, b.acts);
    let codes = |p: &Plan| p.items.iter().map(|i| i.code.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&a), codes(&b));
    assert_ne!(a.acts, drawn(8).acts, "another seed, another campaign");
}

#[test]
fn every_act_falls_on_a_working_day_in_order_and_each_code_is_unique() {
    let plan = drawn(7);
    assert!(plan.acts.windows(2).all(|w| w[0].0 <= w[1].0));
    assert!(plan
        .acts
        .iter()
        .all(|(day, _)| ChinaCalendar.is_working_day(*day) && *day <= ymd(2026, 7, 8)));
    let mut codes: Vec<&str> = plan.items.iter().map(|i| i.code.as_str()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), plan.items.len());
    // An item is acknowledged after it is listed, and verified after its sign-off is asked.
    for (i, _) in plan.items.iter().enumerate() {
        let day_of = |act: Act| plan.acts.iter().position(|(_, a)| *a == act);
        if let (Some(listed), Some(ack)) = (day_of(Act::List(i)), day_of(Act::Acknowledge(i))) {
            assert!(listed < ack, "item {i}");
        }
        if let (Some(asked), Some(verified)) =
            (day_of(Act::RequestSignOff(i)), day_of(Act::Verify(i)))
        {
            assert!(asked < verified, "item {i}");
        }
    }
}

#[test]
fn a_scaled_demo_keeps_its_proportions() {
    let ten_times = Scale::with_items(20_000);
    assert_eq!(
        (ten_times.complaints, ten_times.alerts, ten_times.cases),
        (1_600, 600, 80)
    );
    let tiny = Scale::with_items(10);
    assert_eq!((tiny.complaints, tiny.alerts, tiny.cases), (1, 1, 1));
}

#[test]
fn working_days_are_counted_on_chinas_calendar() {
    // Labour Day 2026: 05-01 to 05-05 off, 05-09 (Saturday) worked.
    assert_eq!(working_day_after(ymd(2026, 4, 30), 1), ymd(2026, 5, 6));
    assert_eq!(working_day_after(ymd(2026, 5, 8), 1), ymd(2026, 5, 9));
    assert_eq!(working_day_after(ymd(2026, 5, 2), 0), ymd(2026, 5, 6));
}
