//! Receipt: sealing the identity, refusals, the due instant stored at receipt.

use std::sync::Arc;

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::complaint::*;
use crate::failure::DomainError;
use crate::identity::ComplainantIdentity;
use crate::services::DomainServices;
use crate::settings::{Field, ResponseWindow};

#[test]
fn an_anonymous_school_meal_complaint_is_due_in_24_hours() {
    framework()
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, receive(Field::SchoolMeals, None)))
        .then_expect_events(vec![received()]);
}

#[test]
fn the_complainant_their_words_and_files_are_sealed_and_never_in_clear_in_the_events() {
    let (services, vault) = services();
    let events = receive_named(&services);
    let [ComplaintEvent::Received {
        sealed, summary, ..
    }] = &events[..]
    else {
        panic!("expected one Received event: {events:?}");
    };
    // The vault (and only the vault) can open it: the identity, the words, the photo.
    let secret = vault.open(&sealed.key_ref).expect("sealed in the vault");
    assert_eq!(secret.complainant, Some(identity()));
    assert_eq!(secret.content, CONTENT);
    assert_eq!(secret.attachments, vec![photo()]);
    assert_eq!(summary.as_str(), SUMMARY);
    let json = serde_json::to_string(&events).expect("serialise");
    for clear in [NAME, CONTACT, CONTENT, "午餐照片", "oss://evidence"] {
        assert!(!json.contains(clear), "{clear} in clear in events: {json}");
    }
}

#[test]
fn a_complaint_for_an_unknown_campaign_is_refused() {
    let services = without_campaigns(services().0);
    TestFramework::<Complaint>::with(services)
        .given_no_previous_events()
        .when(cmd(receive(Field::SchoolMeals, None)))
        .then_expect_error(ComplaintError::UnknownCampaign {
            campaign: campaign(),
        });
}

#[test]
fn a_blank_identity_is_refused_rather_than_taken_for_anonymous() {
    let blank = ComplainantIdentity {
        name: "  ".into(),
        contact: String::new(),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(receive(Field::SchoolMeals, Some(blank))))
        .then_expect_error(ComplaintError::BlankIdentity);
}

#[test]
fn a_complaint_is_received_once() {
    framework()
        .given(vec![received()])
        .when(cmd(receive(Field::SchoolMeals, None)))
        .then_expect_error(invalid("open", "receive"));
}

#[test]
fn an_unreachable_vault_fails_the_complaint_and_records_nothing() {
    let services = DomainServices {
        vault: Arc::new(BrokenVault),
        ..services().0
    };
    TestFramework::<Complaint>::with(services)
        .given_no_previous_events()
        .when(cmd(receive(Field::SchoolMeals, Some(identity()))))
        .then_expect_error(vault_down());
}

#[test]
fn a_vault_failure_is_the_ports_not_a_refusal_of_the_sender() {
    let services = DomainServices {
        vault: Arc::new(BrokenVault),
        ..services().0
    };
    let error = TestFramework::<Complaint>::with(services)
        .given_no_previous_events()
        .when(cmd(receive(Field::SchoolMeals, Some(identity()))))
        .inspect_result()
        .expect_err("the vault is down");
    let unavailable = DomainError::unavailable(&error).expect("reported as a port failure");
    assert_eq!(unavailable.port, "identity_vault");
    assert_eq!(unavailable.reason, "key store unreachable");
    assert_eq!(DomainError::code(&error), "complaint.unavailable");
    assert_eq!(
        error.to_string(),
        "identity_vault unavailable: key store unreachable"
    );
}

#[test]
fn a_refusal_by_the_rules_is_not_a_port_failure() {
    let error = framework()
        .given(vec![received()])
        .when(cmd(receive(Field::SchoolMeals, None)))
        .inspect_result()
        .expect_err("a complaint is received once");
    assert_eq!(DomainError::unavailable(&error), None);
    assert_eq!(DomainError::code(&error), "complaint.invalid_transition");
}

#[test]
fn a_complaint_in_another_field_is_due_after_working_days_stored_at_receipt() {
    // Tuesday 10:00 local + 3 working days = Friday; due Friday 24:00 local = Fri 16:00 UTC.
    let events = framework()
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, receive(Field::ElderlyCare, None)))
        .inspect_result()
        .expect("received");
    assert!(matches!(
        &events[..],
        [ComplaintEvent::Received { response_window: ResponseWindow::WorkingDays(3), response_due, .. }]
            if *response_due == at("2026-03-13T16:00:00Z")
    ));
}
