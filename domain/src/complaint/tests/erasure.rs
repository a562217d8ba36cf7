//! Erasing the identity (crypto-shredding).

use std::sync::Arc;

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::complaint::*;
use crate::services::DomainServices;

#[test]
fn erasing_the_identity_destroys_the_key_for_good() {
    let (services, vault) = services();
    // Receive through the aggregate so the vault holds the key.
    let received_events = receive_named(&services);
    let key_ref = match &received_events[..] {
        [ComplaintEvent::Received {
            complainant: Some(sealed),
            ..
        }] => sealed.key_ref.clone(),
        other => panic!("unexpected {other:?}"),
    };
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

#[test]
fn erasure_is_refused_for_anonymous_erased_or_unknown_complaints() {
    framework()
        .given_no_previous_events()
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_error(invalid("not_received", "erase_identity"));
    framework()
        .given(vec![received()])
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_error(ComplaintError::AnonymousComplaint);
    framework()
        .given(vec![
            received_named(),
            ComplaintEvent::IdentityErased {
                key_ref: "key:cmp-1:0".into(),
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
