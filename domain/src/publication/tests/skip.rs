//! Skipped dispatches: recorded, never for a bulletin or an assessment.

use super::fixtures::*;
use crate::publication::*;
use crate::settings::Rhythm;

pub(super) fn skip(kind: PublicationKind) -> PublicationCommand {
    let p = match kind {
        PublicationKind::Dispatch => dispatch(),
        PublicationKind::Bulletin => bulletin(),
        PublicationKind::Assessment => assessment(),
    };
    PublicationCommand::Skip(Skip {
        publication: p.publication,
        kind: p.kind,
        campaign: p.campaign,
        scope: p.scope,
        period: p.period,
        nominal: p.nominal,
    })
}

fn skipped(when: &str) -> PublicationEvent {
    let p = dispatch();
    PublicationEvent::Skipped {
        publication: p.publication,
        kind: p.kind,
        campaign: p.campaign,
        scope: p.scope,
        period: p.period,
        due_at: at(DISPATCH_DUE),
        calendar_unknown: false,
        rhythm: Rhythm::default(),
        nominal: p.nominal,
        by: schedule(),
        at: at(when),
    }
}

#[test]
fn a_dispatch_missed_beyond_the_catch_up_window_is_recorded_as_skipped() {
    framework()
        .given_no_previous_events()
        .when(cmd(skip(PublicationKind::Dispatch)))
        .then_expect_events(vec![skipped(NOW)]);
}

#[test]
fn bulletins_and_assessments_are_never_skipped() {
    for kind in [PublicationKind::Bulletin, PublicationKind::Assessment] {
        framework()
            .given_no_previous_events()
            .when(cmd(skip(kind)))
            .then_expect_error(PublicationError::NeverSkipped { kind });
    }
}

#[test]
fn a_dispatch_is_skipped_only_once_due_and_then_never_published() {
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            "2026-03-16T00:59:59Z",
            skip(PublicationKind::Dispatch),
        ))
        .then_expect_error(PublicationError::NotYetDue {
            due_at: at(DISPATCH_DUE),
        });
    framework()
        .given(vec![skipped(NOW)])
        .when(cmd(publish(dispatch())))
        .then_expect_error(PublicationError::AlreadyRecorded { state: "skipped" });
}
