//! Deadlines in a time zone whose midnight is skipped: in America/Sao_Paulo, daylight saving
//! time began on Sunday 2018-11-04 at 00:00, when clocks jumped from 23:59:59 on Saturday
//! (UTC−3) to 01:00 on Sunday (UTC−2). Sunday began at 01:00 local, 03:00 UTC, so a deadline of
//! Saturday 2018-11-03 passes at 2018-11-04T03:00:00Z — not an hour earlier (midnight read
//! with Sunday's offset) nor at 00:00 UTC, and without panicking on a local time that does not
//! exist. Every window ending that day ends at the same instant.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::calendar::FixedCalendar;
use crate::item::*;
use crate::settings::CampaignSettings;
use crate::testing::fixtures::at;
use crate::values::{local_date, local_start_of_day};

const SAO_PAULO: Tz = chrono_tz::America::Sao_Paulo;

/// The first instant of Sunday 2018-11-04 in São Paulo.
fn sunday_begins() -> DateTime<Utc> {
    at("2018-11-04T03:00:00Z")
}

/// Monday–Friday plus Saturday 2018-11-03 as a make-up working day, so a two-day 签收 window
/// opened on Thursday ends with Saturday, at the skipped midnight.
fn framework_in_sao_paulo() -> TestFramework<Item> {
    let calendar = FixedCalendar::weekdays().with_make_up_days([date(2018, 11, 3)]);
    let settings = CampaignSettings {
        time_zone: SAO_PAULO,
        warning_working_days: 1,
        ..CampaignSettings::default()
    };
    TestFramework::with(services_with(calendar, settings))
}

fn registered_in_sao_paulo() -> ItemEvent {
    match registered() {
        ItemEvent::ItemRegistered {
            campaign,
            task_force,
            code,
            title,
            description,
            category,
            source,
            source_ref,
            severity,
            yellow_after_send_backs,
            by,
            ..
        } => ItemEvent::ItemRegistered {
            campaign,
            task_force,
            code,
            title,
            description,
            category,
            source,
            source_ref,
            severity,
            time_zone: SAO_PAULO,
            yellow_after_send_backs,
            by,
            at: at("2018-10-31T12:00:00Z"),
        },
        other => unreachable!("{other:?}"),
    }
}

/// Assigned on Thursday 2018-11-01 at 10:00 local (13:00 UTC) with the deadline Saturday
/// 2018-11-03.
fn assigned_in_sao_paulo() -> ItemEvent {
    let body = AssignItem {
        deadline: deadline(2018, 11, 3),
        milestones: vec![],
        ..assign_body()
    };
    let events = framework_in_sao_paulo()
        .given(vec![registered_in_sao_paulo()])
        .when(cmd(
            at("2018-11-01T13:00:00Z"),
            sec(),
            ItemCommand::Assign(body),
        ))
        .inspect_result()
        .expect("assignment accepted");
    events.into_iter().next().expect("one event")
}

#[test]
fn the_day_after_a_skipped_midnight_begins_at_one_oclock() {
    assert_eq!(
        local_start_of_day(date(2018, 11, 4), SAO_PAULO),
        sunday_begins()
    );
    assert_eq!(
        deadline(2018, 11, 3).passes_at(SAO_PAULO),
        sunday_begins(),
        "24:00 of Saturday is the first instant of Sunday"
    );
    let tick = Duration::microseconds(1);
    assert_eq!(
        local_date(sunday_begins() - tick, SAO_PAULO),
        date(2018, 11, 3)
    );
    assert_eq!(local_date(sunday_begins(), SAO_PAULO), date(2018, 11, 4));
    // The days either side keep their ordinary midnights (UTC−3 before, UTC−2 after).
    assert_eq!(
        local_start_of_day(date(2018, 11, 3), SAO_PAULO),
        at("2018-11-03T03:00:00Z")
    );
    assert_eq!(
        local_start_of_day(date(2018, 11, 5), SAO_PAULO),
        at("2018-11-05T02:00:00Z")
    );
}

#[test]
fn an_assignment_stores_instants_at_the_skipped_midnight() {
    let (ack_due, passes_at, warning_at) = instants(&assigned_in_sao_paulo());
    // Thursday + 2 working days = Friday, Saturday (make-up): due at 24:00 Saturday.
    assert_eq!(ack_due, sunday_begins());
    assert_eq!(passes_at, sunday_begins());
    // One working day before Saturday is Friday 2018-11-02, 00:00 at UTC−3.
    assert_eq!(warning_at, at("2018-11-02T03:00:00Z"));
}

#[test]
fn facts_at_a_skipped_midnight_fall_due_at_its_exact_instant() {
    let tick = Duration::microseconds(1);
    let history = vec![registered_in_sao_paulo(), assigned_in_sao_paulo()];
    // 签收 overdue: not at Saturday 23:59:59.999999 local, from Sunday 01:00 local on.
    framework_in_sao_paulo()
        .given(history.clone())
        .when(cmd(
            sunday_begins() - tick,
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_error(ItemError::NotYetDue {
            due_at: sunday_begins(),
        });
    framework_in_sao_paulo()
        .given(history.clone())
        .when(cmd(
            sunday_begins(),
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_events(vec![ItemEvent::AcknowledgementOverdueRecorded {
            effective_at: sunday_begins(),
            calendar_unknown: false,
            by: scheduler(),
            at: sunday_begins(),
        }]);
    // Overdue: the same instant.
    framework_in_sao_paulo()
        .given(history.clone())
        .when(cmd(
            sunday_begins() - tick,
            scheduler(),
            ItemCommand::RecordOverdue,
        ))
        .then_expect_error(ItemError::NotYetDue {
            due_at: sunday_begins(),
        });
    framework_in_sao_paulo()
        .given(history.clone())
        .when(cmd(
            sunday_begins(),
            scheduler(),
            ItemCommand::RecordOverdue,
        ))
        .then_expect_events(vec![ItemEvent::ItemBecameOverdue {
            deadline: deadline(2018, 11, 3),
            effective_at: sunday_begins(),
            by: scheduler(),
            at: sunday_begins(),
        }]);
    let item = fold(&history);
    assert_eq!(item.colour(sunday_begins() - tick), Colour::Yellow);
    assert_eq!(item.colour(sunday_begins()), Colour::Red);
}

#[test]
fn a_complaint_window_ending_at_the_skipped_midnight_ends_at_its_first_instant() {
    use crate::complaint::response_due;
    use crate::settings::ResponseWindow;
    let calendar = FixedCalendar::weekdays().with_make_up_days([date(2018, 11, 3)]);
    // Received Wednesday 2018-10-31 at 20:00 local (23:00 UTC): 3 working days are Thursday,
    // Friday and Saturday (make-up), so the response is due at 24:00 Saturday.
    let received = at("2018-10-31T23:00:00Z");
    assert_eq!(
        response_due(
            received,
            ResponseWindow::WorkingDays(3),
            SAO_PAULO,
            &calendar
        )
        .value,
        sunday_begins()
    );
    // 24 elapsed hours across the jump are 24 hours, not a local day.
    assert_eq!(
        response_due(
            at("2018-11-03T12:00:00Z"),
            ResponseWindow::Hours(24),
            SAO_PAULO,
            &calendar
        )
        .value,
        at("2018-11-04T12:00:00Z")
    );
}
