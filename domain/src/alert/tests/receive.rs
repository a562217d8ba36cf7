//! Receipt: the stream named by the platform's reference, duplicates refused, the triage
//! deadline computed with the campaign's window, time zone and calendar.

use std::sync::Arc;

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::alert::*;
use crate::calendar::{ChinaCalendar, FixedCalendar};
use crate::services::DomainServices;
use crate::settings::CampaignSettings;
use crate::testing::fixtures::date;
use crate::testing::{default_services, services_with_settings, without_campaigns};
use crate::values::AlertId;

#[test]
fn an_alert_is_received_with_its_triage_deadline_three_working_days_on() {
    framework()
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, platform(), AlertCommand::Receive(push())))
        .then_expect_events(vec![received()]);
}

/// None doubled: a re-pushed alert meets its own stream.
#[test]
fn a_re_pushed_alert_is_refused_as_a_duplicate() {
    framework()
        .given(vec![received()])
        .when(cmd_at(RECEIVED, platform(), AlertCommand::Receive(push())))
        .then_expect_error(AlertError::Duplicate {
            reference: reference(),
        });
    framework()
        .given(vec![received(), triaged(RECEIVED, to_item(), false)])
        .when(cmd_at(RECEIVED, platform(), AlertCommand::Receive(push())))
        .then_expect_error(AlertError::Duplicate {
            reference: reference(),
        });
}

#[test]
fn the_stream_is_named_by_the_platforms_reference() {
    let other = AlertId::parse("alert-7").expect("id");
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            RECEIVED,
            platform(),
            AlertCommand::Receive(AlertPush {
                alert: other.clone(),
                ..push()
            }),
        ))
        .then_expect_error(AlertError::WrongAlertId {
            reference: reference(),
            named: other,
            expected: this_alert(),
        });
    assert_eq!(this_alert().as_str(), "alert~YBJK-2026-000123");
}

#[test]
fn an_alert_for_an_unknown_campaign_is_refused() {
    TestFramework::<Alert>::with(without_campaigns(default_services()))
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, platform(), AlertCommand::Receive(push())))
        .then_expect_error(AlertError::UnknownCampaign {
            campaign: campaign(),
        });
}

fn due_of(events: &[AlertEvent]) -> Option<(u32, chrono::DateTime<chrono::Utc>, bool)> {
    match events {
        [AlertEvent::Received {
            triage_working_days,
            triage_due,
            calendar_unknown,
            ..
        }] => Some((*triage_working_days, *triage_due, *calendar_unknown)),
        _ => None,
    }
}

#[test]
fn the_window_time_zone_and_calendar_are_the_campaigns() {
    let settings = CampaignSettings {
        alert_triage_working_days: 1,
        time_zone: chrono_tz::UTC,
        ..CampaignSettings::default()
    };
    let services = DomainServices {
        calendar: Arc::new(FixedCalendar::weekdays().with_holidays([date(2026, 3, 11)])),
        ..services_with_settings(settings)
    };
    // Tuesday 2026-03-10 in UTC; Wednesday a holiday → Thursday 24:00 UTC.
    let events = TestFramework::<Alert>::with(services)
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, platform(), AlertCommand::Receive(push())))
        .inspect_result()
        .expect("received");
    assert_eq!(
        due_of(&events),
        Some((1, at("2026-03-13T00:00:00Z"), false))
    );
}

/// Counted from the local date of receipt: 01:30 Saturday in Beijing is still Friday in UTC.
#[test]
fn working_days_count_from_the_local_date_of_receipt() {
    let due = triage_due(
        at("2026-03-13T17:30:00Z"),
        3,
        chrono_tz::Asia::Shanghai,
        &FixedCalendar::weekdays(),
    );
    // Saturday 14 local: Mon 16, Tue 17, Wed 18 → Wednesday 24:00 local.
    assert_eq!(due.value, at("2026-03-18T16:00:00Z"));
}

#[test]
fn a_window_over_an_unpublished_year_is_received_flagged() {
    let services = DomainServices {
        calendar: Arc::new(ChinaCalendar),
        ..default_services()
    };
    // Tuesday 2027-12-28 10:00 local: 2027 has no published arrangement.
    let events = TestFramework::<Alert>::with(services)
        .given_no_previous_events()
        .when(cmd_at(
            "2027-12-28T02:00:00Z",
            platform(),
            AlertCommand::Receive(push()),
        ))
        .inspect_result()
        .expect("received");
    assert_eq!(due_of(&events), Some((3, at("2027-12-31T16:00:00Z"), true)));
}
