//! The rhythm's built-in rules on China's 2026 arrangement.

use rectiflow_domain::publication::{period_label, PublicationKind};
use rectiflow_domain::survey::Quarter;

use super::{bj, china, date};
use crate::calendar::{Adjustment, RhythmRules, DEFAULT_ZONE};

const LIMIT: usize = 1_000;

#[test]
fn two_dispatches_moved_onto_the_same_day_make_one() {
    // Mondays 02-16 and 02-23 are both in the Spring Festival (02-15..23): both move to
    // Tuesday 02-24, one dispatch covering both weeks.
    let rules = RhythmRules::default();
    let found = rules
        .dispatches(
            bj("2026-02-10 00:00"),
            bj("2026-03-03 00:00"),
            china(),
            LIMIT,
        )
        .expect("dispatches");
    let fired: Vec<_> = found.iter().map(|d| d.occurrence.fires_at).collect();
    assert_eq!(fired, [bj("2026-02-24 09:00"), bj("2026-03-02 09:00")]);
    let merged = &found[0];
    assert_eq!(merged.weeks, 2);
    assert_eq!(merged.period.start, bj("2026-02-09 00:00"));
    assert_eq!(merged.period.cut_off, bj("2026-02-23 00:00"));
    assert_eq!(
        period_label(
            PublicationKind::Dispatch,
            merged.period,
            merged.weeks,
            DEFAULT_ZONE
        )
        .expect("a period the domain accepts"),
        "2026-02-09"
    );
    let explanation = merged.occurrence.explanation().to_string();
    assert!(
        explanation.contains("2026-02-16 is a holiday (Spring Festival, 春节)"),
        "{explanation}"
    );
    assert!(
        explanation.contains("2 nominal times fire as one"),
        "{explanation}"
    );
    assert_eq!(found[1].weeks, 1);
}

#[test]
fn bulletins_fire_on_the_first_working_day_for_the_month_just_ended() {
    let rules = RhythmRules::default();
    let found = rules
        .bulletins(
            bj("2026-01-01 00:00"),
            bj("2027-01-01 00:00"),
            china(),
            LIMIT,
        )
        .expect("bulletins");
    let fired: Vec<_> = found
        .iter()
        .map(|b| {
            (
                b.label(),
                b.occurrence.local.format("%Y-%m-%d %H:%M").to_string(),
            )
        })
        .collect();
    let expect = |label: &str, at: &str| (label.to_owned(), at.to_owned());
    // 01-01..03 off, Sunday 01-04 worked; 05-01..05 off; 10-01..07 off.
    assert_eq!(fired[0], expect("2025-12", "2026-01-04 09:00"));
    assert_eq!(fired[2], expect("2026-02", "2026-03-02 09:00"));
    assert_eq!(fired[4], expect("2026-04", "2026-05-06 09:00"));
    assert_eq!(fired[9], expect("2026-09", "2026-10-08 09:00"));
    assert_eq!(found.len(), 12);
    let september = &found[9];
    assert_eq!(september.month, date("2026-09-01"));
    assert_eq!(september.period.start, bj("2026-09-01 00:00"));
    assert_eq!(september.period.cut_off, bj("2026-10-01 00:00"));
    assert_eq!(
        period_label(PublicationKind::Bulletin, september.period, 1, DEFAULT_ZONE)
            .expect("a period the domain accepts"),
        "2026-09"
    );
    assert!(matches!(
        september.occurrence.nominal[0].adjustment,
        Adjustment::MovedToNextWorkingDay { .. }
    ));
}

#[test]
fn assessments_fire_on_the_first_working_day_after_the_quarter() {
    let rules = RhythmRules::default();
    let found = rules
        .assessments(
            bj("2026-01-01 00:00"),
            bj("2027-01-01 00:00"),
            china(),
            LIMIT,
        )
        .expect("assessments");
    let fired: Vec<_> = found
        .iter()
        .map(|a| (a.quarter.to_string(), a.occurrence.fires_at))
        .collect();
    assert_eq!(
        fired,
        [
            ("2025-Q4".to_owned(), bj("2026-01-04 09:00")),
            ("2026-Q1".to_owned(), bj("2026-04-01 09:00")),
            ("2026-Q2".to_owned(), bj("2026-07-01 09:00")),
            ("2026-Q3".to_owned(), bj("2026-10-08 09:00")),
        ]
    );
    let q3 = &found[3];
    assert_eq!(q3.quarter, Quarter::new(2026, 3).expect("a quarter"));
    assert_eq!(q3.period.start, bj("2026-07-01 00:00"));
    assert_eq!(q3.period.cut_off, bj("2026-10-01 00:00"));
    assert_eq!(
        period_label(PublicationKind::Assessment, q3.period, 1, DEFAULT_ZONE)
            .expect("a period the domain accepts"),
        "2026-Q3"
    );
}

#[test]
fn on_the_same_morning_the_bulletin_comes_before_the_assessment() {
    // 2026-10-08 09:00: Monday 10-05's dispatch (moved), September's bulletin, Q3's assessment.
    let rules = RhythmRules::default();
    let due = rules
        .due(
            bj("2026-10-08 00:00"),
            bj("2026-10-09 00:00"),
            china(),
            LIMIT,
        )
        .expect("the morning's publications");
    let kinds: Vec<_> = due.iter().map(|d| d.kind()).collect();
    assert_eq!(
        kinds,
        [
            PublicationKind::Dispatch,
            PublicationKind::Bulletin,
            PublicationKind::Assessment
        ]
    );
    assert!(due
        .iter()
        .all(|d| d.occurrence().fires_at == bj("2026-10-08 09:00")));
    assert_eq!(due[1].period().cut_off, bj("2026-10-01 00:00"));
}
