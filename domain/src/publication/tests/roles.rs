//! Who publishes: the schedule publishes and skips; no person publishes, not even a
//! secretariat; any secretariat (and only a secretariat) publishes a correction.

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::permission::{Forbidden, Party};
use crate::publication::*;
use crate::testing::{roles_directory, services};
use crate::{Command, Stamp};

fn framework_with_roles() -> TestFramework<Publication> {
    TestFramework::with(services(roles_directory()).0)
}

fn by(actor: &str, body: PublicationCommand) -> Command<PublicationCommand> {
    Command::new(
        Stamp {
            at: at(NOW),
            actor: person(actor),
        },
        body,
    )
}

fn forbidden(actor: &str, request: &'static str, needs: Party) -> PublicationError {
    PublicationError::Forbidden(Forbidden {
        actor: person(actor),
        request,
        request_label: PublicationCommand::label_of(request),
        needs,
    })
}

fn correction() -> PublicationCommand {
    PublicationCommand::Correct {
        correction: Publish {
            publication: pid(&format!("{BULLETIN}~correction-1")),
            ..bulletin()
        },
        corrects: pid(BULLETIN),
        reason: text("更正"),
    }
}

#[test]
fn a_person_cannot_publish_not_even_a_secretariat() {
    for actor in ["sec-yibao", "jiwei-officer", "township-a-clerk"] {
        let refused = framework_with_roles()
            .given_no_previous_events()
            .when(by(actor, publish(bulletin())))
            .inspect_result();
        assert_eq!(
            refused.as_ref().map_err(PublicationError::code),
            Err("publication.forbidden"),
            "{actor}"
        );
        assert_eq!(refused, Err(forbidden(actor, "publish", Party::Schedule)));
    }
    // A policy is not the schedule either.
    framework_with_roles()
        .given_no_previous_events()
        .when(by("policy:admonishment", publish(bulletin())))
        .then_expect_error(forbidden("policy:admonishment", "publish", Party::Schedule));
    framework_with_roles()
        .given_no_previous_events()
        .when(by("schedule:bulletin", publish(bulletin())))
        .then_expect_events(vec![published(bulletin(), false, NOW)]);
}

#[test]
fn a_person_cannot_skip_a_dispatch() {
    framework_with_roles()
        .given_no_previous_events()
        .when(by(
            "sec-yibao",
            super::skip::skip(PublicationKind::Dispatch),
        ))
        .then_expect_error(forbidden("sec-yibao", "skip", Party::Schedule));
}

#[test]
fn only_a_secretariat_corrects() {
    for actor in ["schedule:bulletin", "jiwei-officer", "township-a-clerk"] {
        let refused = framework_with_roles()
            .given_no_previous_events()
            .when(by(actor, correction()))
            .inspect_result();
        assert_eq!(
            refused.map_err(|e| e.code()),
            Err("publication.forbidden"),
            "{actor}"
        );
    }
    // Any task force's secretariat: the county-wide bulletin is every task force's.
    for actor in ["sec-yibao", "sec-xiaoyuan"] {
        let events = framework_with_roles()
            .given_no_previous_events()
            .when(by(actor, correction()))
            .inspect_result()
            .expect("a secretariat corrects");
        assert!(matches!(
            events.as_slice(),
            [PublicationEvent::Published { correction: Some(_), by, .. }] if by.as_str() == actor
        ));
    }
}
