//! Erasing (crypto-shredding): the key goes, and with it the complainant, their words and
//! their files — anonymous complaints included, since the words alone can name someone.

use std::sync::Arc;

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::complaint::*;
use crate::services::DomainServices;
use crate::settings::Field;

#[test]
fn erasing_the_identity_destroys_the_key_for_good() {
    let (services, vault) = services();
    // Receive through the aggregate so the vault holds the key.
    let received_events = receive_named(&services);
    let key_ref = match &received_events[..] {
        [ComplaintEvent::Received { sealed, .. }] => sealed.key_ref.clone(),
        other => panic!("unexpected {other:?}"),
    };
    assert!(vault.open(&key_ref).is_some());
    let mut history = received_events;
    history.extend([resolved(), closed()]);
    TestFramework::<Complaint>::with(services)
        .given(history)
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_events(vec![ComplaintEvent::IdentityErased {
            key_ref: key_ref.clone(),
            by: officer(),
            at: at("2026-03-10T06:00:00Z"),
        }]);
    assert_eq!(vault.open(&key_ref), None);
}

/// An anonymous complaint's text and photos are sealed too, and erased the same way.
#[test]
fn an_anonymous_complaints_words_are_erased_too() {
    let (services, vault) = services();
    let events = TestFramework::<Complaint>::with(services.clone())
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, receive(Field::SchoolMeals, None)))
        .inspect_result()
        .expect("received");
    let secret = vault.open("key:cmp-1").expect("sealed");
    assert_eq!(
        (secret.complainant, secret.content.as_str()),
        (None, CONTENT)
    );
    TestFramework::<Complaint>::with(services)
        .given(events)
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_events(vec![ComplaintEvent::IdentityErased {
            key_ref: "key:cmp-1".into(),
            by: officer(),
            at: at("2026-03-10T06:00:00Z"),
        }]);
    assert_eq!(vault.open("key:cmp-1"), None);
}

#[test]
fn erasure_is_refused_for_erased_or_unknown_complaints() {
    framework()
        .given_no_previous_events()
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_error(invalid("not_received", "erase_identity"));
    framework()
        .given(vec![
            received_named(),
            ComplaintEvent::IdentityErased {
                key_ref: "key:cmp-1".into(),
                by: officer(),
                at: at("2026-03-10T04:00:00Z"),
            },
        ])
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_error(ComplaintError::IdentityAlreadyErased);
}

#[test]
fn a_vault_failure_during_erasure_records_nothing() {
    let services = DomainServices {
        vault: Arc::new(BrokenVault),
        ..services().0
    };
    TestFramework::<Complaint>::with(services)
        .given(vec![received_named()])
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_error(vault_down());
}
