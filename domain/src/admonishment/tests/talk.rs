//! The talk (约谈): scheduled, held with the unit head, followed up.

use super::fixtures::*;
use crate::admonishment::*;

fn schedule(when: &str) -> AdmonishmentCommand {
    AdmonishmentCommand::Schedule {
        when: at(when),
        place: text("县纪委第一会议室"),
        conducted_by: vec![person("deputy-head")],
    }
}

#[test]
fn a_triggered_talk_is_scheduled_and_may_be_rescheduled() {
    framework()
        .given(vec![triggered()])
        .when(cmd(schedule(MEETING)))
        .then_expect_events(vec![scheduled()]);
    let result = framework()
        .given(vec![triggered(), scheduled()])
        .when(cmd(schedule("2026-04-09T01:00:00Z")))
        .inspect_result();
    assert!(matches!(
        result.as_deref(),
        Ok([AdmonishmentEvent::Scheduled { when, .. }]) if *when == at("2026-04-09T01:00:00Z")
    ));
}

#[test]
fn a_talk_is_scheduled_in_the_future_with_someone_to_conduct_it() {
    framework()
        .given(vec![triggered()])
        .when(cmd(schedule(NOW)))
        .then_expect_error(AdmonishmentError::ScheduledInPast { when: at(NOW) });
    framework()
        .given(vec![triggered()])
        .when(cmd(AdmonishmentCommand::Schedule {
            when: at(MEETING),
            place: text("会议室"),
            conducted_by: vec![],
        }))
        .then_expect_error(AdmonishmentError::MissingConductors);
    framework()
        .given_no_previous_events()
        .when(cmd(schedule(MEETING)))
        .then_expect_error(invalid("not_triggered", "schedule"));
    framework()
        .given(vec![triggered(), scheduled(), held()])
        .when(cmd(schedule(MEETING)))
        .then_expect_error(invalid("held", "schedule"));
}

#[test]
fn a_scheduled_talk_is_recorded_held_with_attendees_and_minutes() {
    framework()
        .given(vec![triggered(), scheduled()])
        .when(cmd_at(
            "2026-04-08T03:00:00Z",
            person("sec-yibao"),
            AdmonishmentCommand::RecordHeld {
                attendees: vec![person("township-head")],
                minutes: minutes(),
            },
        ))
        .then_expect_events(vec![held()]);
}

#[test]
fn a_talk_is_held_only_once_scheduled_at_its_time_and_with_attendees() {
    let record = |attendees| AdmonishmentCommand::RecordHeld {
        attendees,
        minutes: minutes(),
    };
    framework()
        .given(vec![triggered()])
        .when(cmd(record(vec![person("x")])))
        .then_expect_error(invalid("triggered", "record_held"));
    framework()
        .given(vec![triggered(), scheduled()])
        .when(cmd(record(vec![person("x")])))
        .then_expect_error(AdmonishmentError::NotYetHeld {
            scheduled_for: at(MEETING),
        });
    framework()
        .given(vec![triggered(), scheduled()])
        .when(cmd_at(MEETING, person("sec-yibao"), record(vec![])))
        .then_expect_error(AdmonishmentError::MissingAttendees);
    framework()
        .given(vec![triggered(), scheduled(), held()])
        .when(cmd_at(
            MEETING,
            person("sec-yibao"),
            record(vec![person("x")]),
        ))
        .then_expect_error(invalid("held", "record_held"));
}

#[test]
fn a_held_talk_is_followed_up_once() {
    let follow = || AdmonishmentCommand::RecordFollowUp {
        outcome: text("已制定整改方案"),
    };
    framework()
        .given(vec![triggered(), scheduled(), held()])
        .when(cmd_at(
            "2026-04-20T03:00:00Z",
            person("sec-yibao"),
            follow(),
        ))
        .then_expect_events(vec![followed_up()]);
    framework()
        .given(vec![triggered(), scheduled()])
        .when(cmd(follow()))
        .then_expect_error(invalid("scheduled", "record_follow_up"));
    framework()
        .given(vec![triggered(), scheduled(), held(), followed_up()])
        .when(cmd(follow()))
        .then_expect_error(invalid("followed_up", "record_follow_up"));
}

#[test]
fn the_talk_is_held_with_the_units_head() {
    // DOMAIN.md: the talk is held with the unit head (一把手) — a talk without them is not one.
    framework()
        .given(vec![triggered(), scheduled()])
        .when(cmd_at(
            "2026-04-08T03:00:00Z",
            person("sec-yibao"),
            AdmonishmentCommand::RecordHeld {
                attendees: vec![person("township-deputy")],
                minutes: minutes(),
            },
        ))
        .then_expect_error(AdmonishmentError::HeadNotAttending {
            unit: unit(),
            head: Some(person("township-head")),
        });
}
