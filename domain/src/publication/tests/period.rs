//! Periods, scopes, due instants and nominal dispatches fit the kind.

use super::fixtures::*;
use crate::publication::*;

fn refused(p: Publish, error: PublicationError) {
    framework()
        .given_no_previous_events()
        .when(cmd(publish(p)))
        .then_expect_error(error);
}

#[test]
fn a_period_is_not_empty() {
    refused(
        Publish {
            period: period(APRIL, APRIL),
            ..bulletin()
        },
        PublicationError::EmptyPeriod {
            start: at(APRIL),
            cut_off: at(APRIL),
        },
    );
}

#[test]
fn a_bulletin_covers_a_calendar_month_in_the_campaigns_time_zone() {
    let needs = "一个自然月，自当地时间1日零时起";
    let mismatch = PublicationError::PeriodMismatch {
        kind: PublicationKind::Bulletin,
        needs,
    };
    // Midnight UTC is 08:00 in Beijing: not the month's start.
    refused(
        Publish {
            period: period("2026-03-01T00:00:00Z", APRIL),
            ..bulletin()
        },
        mismatch.clone(),
    );
    // Two months.
    refused(
        Publish {
            period: period("2026-01-31T16:00:00Z", APRIL),
            ..bulletin()
        },
        mismatch,
    );
}

#[test]
fn an_assessment_covers_a_quarter() {
    refused(
        Publish {
            period: period(MARCH, APRIL),
            ..assessment()
        },
        PublicationError::PeriodMismatch {
            kind: PublicationKind::Assessment,
            needs: "一个季度，自首日当地时间零时起",
        },
    );
}

#[test]
fn a_dispatch_covers_a_week_per_nominal_dispatch() {
    // Two weeks for one nominal dispatch.
    refused(
        Publish {
            period: period(WEEK, "2026-03-22T16:00:00Z"),
            nominal: vec![at("2026-03-23T01:00:00Z")],
            ..dispatch()
        },
        PublicationError::PeriodMismatch {
            kind: PublicationKind::Dispatch,
            needs: "自当地时间零时起的整周，每次原定调度对应一周",
        },
    );
    refused(
        Publish {
            // 01:00 local, not midnight.
            period: period("2026-03-08T17:00:00Z", NEXT_WEEK),
            ..dispatch()
        },
        PublicationError::PeriodMismatch {
            kind: PublicationKind::Dispatch,
            needs: "自当地时间零时起的整周，每次原定调度对应一周",
        },
    );
}

#[test]
fn two_nominal_dispatches_moved_onto_one_day_make_one_dispatch_that_says_so() {
    // Spring Festival on China's 2026 arrangement (15–23 February off): the dispatches of
    // Mondays 16 and 23 February both move to Tuesday 24 February 09:00.
    let merged = Publish {
        publication: pid("dispatch~qunfu-2026~2026-02-09~task_force:yibao"),
        period: period("2026-02-08T16:00:00Z", "2026-02-22T16:00:00Z"),
        nominal: vec![at("2026-02-16T01:00:00Z"), at("2026-02-23T01:00:00Z")],
        ..dispatch()
    };
    let when = "2026-02-24T01:00:01Z";
    china()
        .given_no_previous_events()
        .when(cmd_at(when, publish(merged.clone())))
        .then_expect_events(vec![published(merged.clone(), false, when)]);
    // On a calendar without that holiday they fall due a week apart: not one dispatch.
    framework()
        .given_no_previous_events()
        .when(cmd_at(when, publish(merged)))
        .then_expect_error(PublicationError::NominalMismatch {
            kind: PublicationKind::Dispatch,
            needs: "只能合并顺延至同一天的原定调度",
        });
}

#[test]
fn nominal_dispatches_are_named_once_in_order_and_only_by_dispatches() {
    let needs = |kind, needs| PublicationError::NominalMismatch { kind, needs };
    use PublicationKind::{Bulletin, Dispatch};
    refused(
        Publish {
            nominal: vec![],
            ..dispatch()
        },
        needs(Dispatch, "须列明所代表的原定调度时点"),
    );
    refused(
        Publish {
            period: period(WEEK, "2026-03-22T16:00:00Z"),
            nominal: vec![at(DISPATCH_DUE), at(DISPATCH_DUE)],
            ..dispatch()
        },
        needs(Dispatch, "须按时间先后列明各原定调度时点，不得重复"),
    );
    // Monday 16 March at 08:00, and Sunday 15 March at 09:00: not the rhythm's.
    for nominal in ["2026-03-16T00:00:00Z", "2026-03-15T01:00:00Z"] {
        refused(
            Publish {
                nominal: vec![at(nominal)],
                ..dispatch()
            },
            needs(Dispatch, "的原定调度时点须为调度日的发布时刻"),
        );
    }
    // Monday 23 March 09:00 for the week that ends on the 16th.
    refused(
        Publish {
            nominal: vec![at("2026-03-23T01:00:00Z")],
            ..dispatch()
        },
        needs(Dispatch, "的原定调度时点须为所覆盖各周的结束之时"),
    );
    refused(
        Publish {
            nominal: vec![at(DUE)],
            ..bulletin()
        },
        needs(Bulletin, "不设原定调度时点"),
    );
}

#[test]
fn a_dispatch_is_per_task_force_and_an_assessment_county_wide() {
    refused(
        Publish {
            scope: PublicationScope::County,
            ..dispatch()
        },
        PublicationError::ScopeMismatch {
            kind: PublicationKind::Dispatch,
        },
    );
    refused(
        Publish {
            scope: yibao(),
            ..assessment()
        },
        PublicationError::ScopeMismatch {
            kind: PublicationKind::Assessment,
        },
    );
}

#[test]
fn period_labels_name_the_week_month_and_quarter() {
    let tz = chrono_tz::Asia::Shanghai;
    let label = |kind, p, weeks| period_label(kind, p, weeks, tz).ok();
    assert_eq!(
        label(PublicationKind::Bulletin, period(MARCH, APRIL), 0).as_deref(),
        Some("2026-03")
    );
    assert_eq!(
        label(PublicationKind::Assessment, period(Q1, APRIL), 0).as_deref(),
        Some("2026-Q1")
    );
    assert_eq!(
        label(PublicationKind::Dispatch, period(WEEK, NEXT_WEEK), 1).as_deref(),
        Some("2026-03-09")
    );
    assert_eq!(
        label(PublicationKind::Dispatch, period(WEEK, NEXT_WEEK), 0),
        None
    );
}
