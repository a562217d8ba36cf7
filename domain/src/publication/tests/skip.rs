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
        rhythm: crate::testing::rhythm(),
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

/// Friday 19 March 09:00 Beijing time: three days after the dispatch fell due, the end of the
/// default catch-up window.
const CATCH_UP_ENDS: &str = "2026-03-19T01:00:00Z";

#[test]
fn a_dispatch_inside_the_catch_up_window_is_not_skipped_but_published_late() {
    // Wednesday 18 March: two days late.
    let inside = "2026-03-18T02:00:00Z";
    framework()
        .given_no_previous_events()
        .when(cmd_at(inside, skip(PublicationKind::Dispatch)))
        .then_expect_error(PublicationError::InsideCatchUpWindow {
            due_at: at(DISPATCH_DUE),
            until: at(CATCH_UP_ENDS),
        });
    framework()
        .given_no_previous_events()
        .when(cmd_at(inside, publish(dispatch())))
        .then_expect_events(vec![published(dispatch(), true, inside)]);
    // The last instant inside the window.
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            "2026-03-19T00:59:59Z",
            skip(PublicationKind::Dispatch),
        ))
        .then_expect_error(PublicationError::InsideCatchUpWindow {
            due_at: at(DISPATCH_DUE),
            until: at(CATCH_UP_ENDS),
        });
}

#[test]
fn a_dispatch_older_than_the_catch_up_window_is_skipped_and_no_longer_published() {
    framework()
        .given_no_previous_events()
        .when(cmd_at(CATCH_UP_ENDS, skip(PublicationKind::Dispatch)))
        .then_expect_events(vec![skipped(CATCH_UP_ENDS)]);
    framework()
        .given_no_previous_events()
        .when(cmd_at(CATCH_UP_ENDS, publish(dispatch())))
        .then_expect_error(PublicationError::CatchUpWindowPassed {
            due_at: at(DISPATCH_DUE),
            until: at(CATCH_UP_ENDS),
        });
}

#[test]
fn the_catch_up_window_is_the_campaigns() {
    let settings = crate::settings::CampaignSettings {
        rhythm: Rhythm {
            dispatch_catch_up_days: 1,
            ..crate::testing::rhythm()
        },
        ..crate::settings::CampaignSettings::default()
    };
    let events = cqrs_es::test::TestFramework::<Publication>::with(
        crate::testing::services_with_settings(settings),
    )
    .given_no_previous_events()
    .when(cmd_at(
        "2026-03-17T01:00:00Z",
        skip(PublicationKind::Dispatch),
    ))
    .inspect_result()
    .expect("skipped after one day");
    assert!(matches!(
        events.as_slice(),
        [PublicationEvent::Skipped { rhythm, calendar_unknown: false, .. }]
            if rhythm.dispatch_catch_up_days == 1
    ));
}
