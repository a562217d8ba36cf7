//! Publishing once: on time or late, never before the cut-off, on its own stream.

use super::fixtures::*;
use crate::publication::*;
use crate::testing::{default_services, without_campaigns};

#[test]
fn a_bulletin_is_published_with_its_log_point_and_figures() {
    framework()
        .given_no_previous_events()
        .when(cmd(publish(bulletin())))
        .then_expect_events(vec![published(bulletin(), false, NOW)]);
}

#[test]
fn each_kind_is_published_on_its_own_stream() {
    for (p, when) in [(dispatch(), "2026-03-16T01:00:02Z"), (assessment(), NOW)] {
        framework()
            .given_no_previous_events()
            .when(cmd_at(when, publish(p.clone())))
            .then_expect_events(vec![published(p, false, when)]);
    }
}

#[test]
fn a_bulletin_published_on_a_later_day_than_due_is_marked_late() {
    // Downtime on 1 April: caught up on 2 April at 10:00 Beijing time.
    let later = "2026-04-02T02:00:00Z";
    framework()
        .given_no_previous_events()
        .when(cmd_at(later, publish(bulletin())))
        .then_expect_events(vec![published(bulletin(), true, later)]);
}

#[test]
fn a_publication_is_never_published_twice() {
    framework()
        .given(vec![published(bulletin(), false, NOW)])
        .when(cmd(publish(bulletin())))
        .then_expect_error(PublicationError::AlreadyRecorded { state: "published" });
}

#[test]
fn nothing_is_published_before_its_cut_off() {
    let before = "2026-03-31T15:59:59Z";
    framework()
        .given_no_previous_events()
        .when(cmd_at(before, publish(bulletin())))
        .then_expect_error(PublicationError::BeforeCutOff { cut_off: at(APRIL) });
}

#[test]
fn the_stream_must_be_the_one_its_kind_period_and_scope_make() {
    let elsewhere = Publish {
        publication: pid("bulletin~qunfu-2026~2026-02~county"),
        ..bulletin()
    };
    framework()
        .given_no_previous_events()
        .when(cmd(publish(elsewhere)))
        .then_expect_error(PublicationError::WrongStream {
            named: pid("bulletin~qunfu-2026~2026-02~county"),
            expected: BULLETIN.into(),
        });
    // A correction's stream is not an original's.
    let as_correction = Publish {
        publication: pid(&format!("{BULLETIN}~correction-1")),
        ..bulletin()
    };
    let result = framework()
        .given_no_previous_events()
        .when(cmd(publish(as_correction)))
        .inspect_result();
    assert!(matches!(result, Err(PublicationError::WrongStream { .. })));
}

#[test]
fn a_publication_needs_a_known_campaign() {
    cqrs_es::test::TestFramework::<Publication>::with(without_campaigns(default_services()))
        .given_no_previous_events()
        .when(cmd(publish(bulletin())))
        .then_expect_error(PublicationError::UnknownCampaign {
            campaign: campaign(),
        });
}

#[test]
fn a_task_force_bulletin_is_scoped_to_its_task_force() {
    use crate::event::Scoped;
    let p = Publish {
        publication: pid("bulletin~qunfu-2026~2026-03~task_force:yibao"),
        scope: yibao(),
        ..bulletin()
    };
    let events = framework()
        .given_no_previous_events()
        .when(cmd(publish(p)))
        .inspect_result()
        .expect("published");
    let state: Publication = crate::testing::fixtures::replay(events);
    let scope = state.scope();
    assert_eq!(scope.campaign, Some(campaign()));
    assert_eq!(scope.task_force.map(String::from).as_deref(), Some("yibao"));
    let county: Publication = crate::testing::fixtures::replay([published(bulletin(), false, NOW)]);
    assert_eq!(county.scope().task_force, None);
}
