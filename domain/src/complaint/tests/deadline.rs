//! The response deadline: elapsed hours or working days, time zone and calendar.

use std::sync::Arc;

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::calendar::FixedCalendar;
use crate::complaint::*;
use crate::services::DomainServices;
use crate::settings::{CampaignSettings, Field, ResponseWindow};
use crate::testing::StaticSettings;

#[test]
fn school_meal_deadline_is_24_elapsed_hours_even_over_a_weekend() {
    let cal = FixedCalendar::weekdays();
    // Saturday 2026-03-14 22:15 local.
    let due = response_due(
        at("2026-03-14T14:15:00Z"),
        ResponseWindow::Hours(24),
        chrono_tz::Asia::Shanghai,
        &cal,
    )
    .value;
    assert_eq!(due, at("2026-03-15T14:15:00Z"));
}

#[test]
fn working_day_deadline_skips_the_weekend() {
    let cal = FixedCalendar::weekdays();
    // Friday 2026-03-13 10:00 local: Mon 16, Tue 17, Wed 18 → due Wed 24:00 local.
    let due = response_due(
        at("2026-03-13T02:00:00Z"),
        ResponseWindow::WorkingDays(3),
        chrono_tz::Asia::Shanghai,
        &cal,
    )
    .value;
    assert_eq!(due, at("2026-03-18T16:00:00Z"));
}

#[test]
fn working_days_count_from_the_local_date_of_receipt_in_asia_shanghai() {
    let cal = FixedCalendar::weekdays();
    // 2026-03-12T17:30Z is Thursday in UTC but Friday 01:30 in Beijing: count from Friday.
    let due = response_due(
        at("2026-03-12T17:30:00Z"),
        ResponseWindow::WorkingDays(3),
        chrono_tz::Asia::Shanghai,
        &cal,
    )
    .value;
    assert_eq!(due, at("2026-03-18T16:00:00Z"));
    assert_eq!(
        due.with_timezone(&chrono_tz::Asia::Shanghai).to_rfc3339(),
        "2026-03-19T00:00:00+08:00"
    );
    // One minute earlier in Beijing time (Thursday 23:59 local) counts from Thursday.
    let due = response_due(
        at("2026-03-12T15:59:00Z"),
        ResponseWindow::WorkingDays(3),
        chrono_tz::Asia::Shanghai,
        &cal,
    )
    .value;
    assert_eq!(due, at("2026-03-17T16:00:00Z"));
}

#[test]
fn working_day_deadline_skips_holidays_and_keeps_make_up_days() {
    // National Day 2026-10-01..07 off; Sunday 2026-10-11 a make-up working day (调休).
    let cal = FixedCalendar::weekdays()
        .with_holidays((1..=7).map(|d| date(2026, 10, d)))
        .with_make_up_days([date(2026, 10, 11)]);
    // Wednesday 2026-09-30 10:00 local: Thu 8, Fri 9, Sun 11 → due Sun 11 24:00 local.
    let due = response_due(
        at("2026-09-30T02:00:00Z"),
        ResponseWindow::WorkingDays(3),
        chrono_tz::Asia::Shanghai,
        &cal,
    )
    .value;
    assert_eq!(due, at("2026-10-11T16:00:00Z"));
}

#[test]
fn the_campaign_time_zone_and_calendar_come_from_services() {
    let settings = CampaignSettings {
        time_zone: chrono_tz::UTC,
        other_response: ResponseWindow::WorkingDays(1),
        ..CampaignSettings::default()
    };
    let services = DomainServices {
        settings: Arc::new(StaticSettings(settings)),
        calendar: Arc::new(FixedCalendar::weekdays().with_holidays([date(2026, 3, 11)])),
        ..services().0
    };
    // Tuesday 2026-03-10 in UTC; Wednesday is a holiday → Thursday 24:00 UTC.
    let events = TestFramework::<Complaint>::with(services)
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, receive(Field::StateAssets, None)))
        .inspect_result()
        .expect("received");
    assert!(matches!(
        &events[..],
        [ComplaintEvent::Received { response_due, .. }] if *response_due == at("2026-03-13T00:00:00Z")
    ));
}

#[test]
fn a_working_day_window_over_an_unpublished_year_is_received_flagged() {
    use crate::calendar::ChinaCalendar;
    let services = DomainServices {
        calendar: Arc::new(ChinaCalendar),
        ..services().0
    };
    let receive_at = |when: &str, field: Field| {
        TestFramework::<Complaint>::with(services.clone())
            .given_no_previous_events()
            .when(cmd_at(when, receive(field, None)))
            .inspect_result()
            .expect("received")
    };
    // Tuesday 2027-12-28 10:00 local: 2027 has no published arrangement, so Wednesday 29,
    // Thursday 30 and Friday 31 are working days by the Monday–Friday fallback, and the event
    // says so.
    assert!(matches!(
        &receive_at("2027-12-28T02:00:00Z", Field::ElderlyCare)[..],
        [ComplaintEvent::Received { response_due, calendar_unknown: true, .. }]
            if *response_due == at("2027-12-31T16:00:00Z")
    ));
    // School meals: 24 elapsed hours, no calendar, no guess.
    assert!(matches!(
        &receive_at("2027-12-28T02:00:00Z", Field::SchoolMeals)[..],
        [ComplaintEvent::Received {
            calendar_unknown: false,
            ..
        }]
    ));
    // Friday 2026-09-18 in 2026's published arrangement: Sunday 20 (调休), Monday 21,
    // Tuesday 22.
    assert!(matches!(
        &receive_at("2026-09-18T02:00:00Z", Field::ElderlyCare)[..],
        [ComplaintEvent::Received { response_due, calendar_unknown: false, .. }]
            if *response_due == at("2026-09-22T16:00:00Z")
    ));
}

#[test]
fn a_missed_response_on_a_guessed_due_instant_says_so() {
    let mut received = received();
    if let ComplaintEvent::Received {
        calendar_unknown, ..
    } = &mut received
    {
        *calendar_unknown = true;
    }
    framework()
        .given(vec![received])
        .when(cmd_at(MEAL_DUE, ComplaintCommand::RecordResponseMissed))
        .then_expect_events(vec![ComplaintEvent::ResponseMissed {
            response_due: at(MEAL_DUE),
            calendar_unknown: true,
            by: person("schedule:responses"),
            at: at(MEAL_DUE),
        }]);
}
