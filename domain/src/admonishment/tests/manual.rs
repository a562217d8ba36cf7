//! The secretariat's own admonishments: a free id, a publication named or not.

use super::fixtures::*;
use crate::admonishment::*;

fn manual(publication: Option<PublicationRef>) -> AdmonishmentCommand {
    AdmonishmentCommand::TriggerManually {
        admonishment: id("adm-manual-7"),
        campaign: campaign(),
        unit: unit(),
        publication,
        items: vec![code("YB-2026-0009")],
        reasons: vec![text("推诿扯皮，群众反映强烈")],
    }
}

fn manually_triggered(publication: Option<PublicationRef>) -> AdmonishmentEvent {
    AdmonishmentEvent::Triggered {
        admonishment: id("adm-manual-7"),
        campaign: campaign(),
        unit: unit(),
        basis: Basis::Manual { publication },
        items: vec![code("YB-2026-0009")],
        reasons: vec![text("推诿扯皮，群众反映强烈")],
        by: person("sec-yibao"),
        at: at(NOW),
    }
}

#[test]
fn the_secretariat_admonishes_under_a_free_id_naming_a_publication_or_not() {
    for publication in [None, Some(bulletin())] {
        framework()
            .given_no_previous_events()
            .when(cmd(manual(publication.clone())))
            .then_expect_events(vec![manually_triggered(publication)]);
    }
}

#[test]
fn a_manual_admonishment_needs_a_reason_and_a_publication_that_reads_as_named() {
    let mut no_reason = manual(None);
    if let AdmonishmentCommand::TriggerManually { reasons, .. } = &mut no_reason {
        reasons.clear();
    }
    framework()
        .given_no_previous_events()
        .when(cmd(no_reason))
        .then_expect_error(AdmonishmentError::MissingReasons);
    let wrong = PublicationRef {
        kind: crate::publication::PublicationKind::Assessment,
        ..bulletin()
    };
    framework()
        .given_no_previous_events()
        .when(cmd(manual(Some(wrong))))
        .then_expect_error(AdmonishmentError::PublicationMismatch {
            publication: pid(BULLETIN),
        });
    framework()
        .given(vec![manually_triggered(None)])
        .when(cmd(manual(None)))
        .then_expect_error(invalid("triggered", "trigger_manually"));
}

#[test]
fn a_manual_admonishment_counts_from_its_trigger_instant() {
    // Even when it names a publication: the window of a manual admonishment is its own.
    let state: Admonishment =
        crate::testing::fixtures::replay([manually_triggered(Some(bulletin()))]);
    assert_eq!(state.window_instant(), Some(at(NOW)));
}
