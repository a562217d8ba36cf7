//! Given/when/then tests of the admonishment aggregate.

use cqrs_es::test::TestFramework;

use super::*;
use crate::testing::fixtures::{
    assert_codes_distinct_and_namespaced, assert_round_trips, at, campaign, code, person, text,
};
use crate::testing::{default_services, without_campaigns};
use crate::values::{AdmonishmentId, PersonId, UnitId, Uri};
use crate::{Command, Stamp};

fn framework() -> TestFramework<Admonishment> {
    TestFramework::with(default_services())
}

const TRIGGERED: &str = "2026-04-01T01:00:00Z";
const NOW: &str = "2026-04-02T02:00:00Z";
const MEETING: &str = "2026-04-08T01:00:00Z";

fn system() -> PersonId {
    person("system:policy")
}

fn unit() -> UnitId {
    crate::testing::fixtures::unit("township-a")
}

fn id(s: &str) -> AdmonishmentId {
    AdmonishmentId::parse(s).expect("id")
}

fn minutes() -> Uri {
    Uri::parse("oss://minutes/adm-2.pdf").expect("uri")
}

fn cmd_at(when: &str, actor: PersonId, body: AdmonishmentCommand) -> Command<AdmonishmentCommand> {
    Command::new(
        Stamp {
            at: at(when),
            actor,
        },
        body,
    )
}

fn cmd(body: AdmonishmentCommand) -> Command<AdmonishmentCommand> {
    cmd_at(NOW, person("sec-1"), body)
}

fn bulletin_evidence() -> AdmonishmentEvidence {
    AdmonishmentEvidence {
        basis: Some(EvidenceBasis::Bulletin {
            reference: text("bulletin-2026-03"),
        }),
        items: vec![
            code("YB-2026-0001"),
            code("YB-2026-0002"),
            code("YB-2026-0003"),
        ],
    }
}

fn trigger(rule: AdmonishmentRule, evidence: AdmonishmentEvidence) -> AdmonishmentCommand {
    AdmonishmentCommand::Trigger {
        admonishment: id("adm-2"),
        campaign: campaign(),
        unit: unit(),
        rule,
        reasons: vec![text("3项问题逾期未整改")],
        evidence,
    }
}

fn triggered() -> AdmonishmentEvent {
    AdmonishmentEvent::Triggered {
        admonishment: id("adm-2"),
        campaign: campaign(),
        unit: unit(),
        rule: AdmonishmentRule::OverdueItems,
        reasons: vec![text("3项问题逾期未整改")],
        evidence: bulletin_evidence(),
        by: system(),
        at: at(TRIGGERED),
    }
}

fn scheduled() -> AdmonishmentEvent {
    AdmonishmentEvent::Scheduled {
        when: at(MEETING),
        place: text("县纪委第一会议室"),
        conducted_by: vec![person("deputy-head")],
        by: person("sec-1"),
        at: at(NOW),
    }
}

fn held() -> AdmonishmentEvent {
    AdmonishmentEvent::Held {
        attendees: vec![person("township-head")],
        minutes: minutes(),
        scheduled_for: at(MEETING),
        by: person("sec-1"),
        at: at("2026-04-08T03:00:00Z"),
    }
}

fn followed_up() -> AdmonishmentEvent {
    AdmonishmentEvent::FollowedUp {
        outcome: text("已制定整改方案"),
        by: person("sec-1"),
        at: at("2026-04-20T03:00:00Z"),
    }
}

fn invalid(state: &'static str, request: &'static str) -> AdmonishmentError {
    AdmonishmentError::InvalidTransition { state, request }
}

// ---- trigger ----

#[test]
fn the_policy_triggers_an_admonishment_with_its_evidence() {
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            TRIGGERED,
            system(),
            trigger(AdmonishmentRule::OverdueItems, bulletin_evidence()),
        ))
        .then_expect_events(vec![triggered()]);
}

#[test]
fn each_rule_accepts_the_evidence_it_is_read_from() {
    let assessment = AdmonishmentEvidence {
        basis: Some(EvidenceBasis::Assessment {
            reference: text("assessment-2026-Q1"),
        }),
        items: vec![],
    };
    let bulletin_only = AdmonishmentEvidence {
        items: vec![],
        ..bulletin_evidence()
    };
    for (rule, evidence) in [
        (AdmonishmentRule::BottomOfRanking, bulletin_only),
        (AdmonishmentRule::FailedAssessment, assessment),
        (AdmonishmentRule::Manual, AdmonishmentEvidence::default()),
    ] {
        let result = framework()
            .given_no_previous_events()
            .when(cmd(trigger(rule, evidence)))
            .inspect_result();
        assert!(
            matches!(&result.as_deref(), Ok([AdmonishmentEvent::Triggered { rule: r, .. }]) if *r == rule),
            "{rule:?}: {result:?}"
        );
    }
}

#[test]
fn the_overdue_items_rule_needs_the_campaign_threshold() {
    // Default threshold: 3 overdue, non-exempt items.
    framework()
        .given_no_previous_events()
        .when(cmd(trigger(
            AdmonishmentRule::OverdueItems,
            AdmonishmentEvidence {
                items: vec![code("YB-2026-0001"), code("YB-2026-0002")],
                ..bulletin_evidence()
            },
        )))
        .then_expect_error(AdmonishmentError::BelowThreshold {
            items: 2,
            threshold: 3,
        });
}

#[test]
fn evidence_that_does_not_fit_the_rule_is_refused() {
    let mismatch = |rule, needs| AdmonishmentError::EvidenceMismatch { rule, needs };
    framework()
        .given_no_previous_events()
        .when(cmd(trigger(
            AdmonishmentRule::OverdueItems,
            AdmonishmentEvidence {
                items: vec![],
                ..bulletin_evidence()
            },
        )))
        .then_expect_error(mismatch(
            AdmonishmentRule::OverdueItems,
            "the overdue items",
        ));
    framework()
        .given_no_previous_events()
        .when(cmd(trigger(
            AdmonishmentRule::OverdueItems,
            AdmonishmentEvidence::default(),
        )))
        .then_expect_error(mismatch(
            AdmonishmentRule::OverdueItems,
            "a bulletin and the overdue items",
        ));
    framework()
        .given_no_previous_events()
        .when(cmd(trigger(
            AdmonishmentRule::BottomOfRanking,
            AdmonishmentEvidence::default(),
        )))
        .then_expect_error(mismatch(AdmonishmentRule::BottomOfRanking, "a bulletin"));
    framework()
        .given_no_previous_events()
        .when(cmd(trigger(
            AdmonishmentRule::FailedAssessment,
            bulletin_evidence(),
        )))
        .then_expect_error(mismatch(
            AdmonishmentRule::FailedAssessment,
            "an assessment",
        ));
}

#[test]
fn a_trigger_needs_a_reason_a_known_campaign_and_a_fresh_stream() {
    framework()
        .given_no_previous_events()
        .when(cmd(AdmonishmentCommand::Trigger {
            admonishment: id("adm-2"),
            campaign: campaign(),
            unit: unit(),
            rule: AdmonishmentRule::Manual,
            reasons: vec![],
            evidence: AdmonishmentEvidence::default(),
        }))
        .then_expect_error(AdmonishmentError::MissingReasons);
    let services = without_campaigns(default_services());
    TestFramework::<Admonishment>::with(services)
        .given_no_previous_events()
        .when(cmd(trigger(
            AdmonishmentRule::OverdueItems,
            bulletin_evidence(),
        )))
        .then_expect_error(AdmonishmentError::UnknownCampaign {
            campaign: campaign(),
        });
    framework()
        .given(vec![triggered()])
        .when(cmd(trigger(
            AdmonishmentRule::OverdueItems,
            bulletin_evidence(),
        )))
        .then_expect_error(invalid("triggered", "trigger"));
}

// ---- schedule ----

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

// ---- held ----

#[test]
fn a_scheduled_talk_is_recorded_held_with_attendees_and_minutes() {
    framework()
        .given(vec![triggered(), scheduled()])
        .when(cmd_at(
            "2026-04-08T03:00:00Z",
            person("sec-1"),
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
        .when(cmd_at(MEETING, person("sec-1"), record(vec![])))
        .then_expect_error(AdmonishmentError::MissingAttendees);
    framework()
        .given(vec![triggered(), scheduled(), held()])
        .when(cmd_at(MEETING, person("sec-1"), record(vec![person("x")])))
        .then_expect_error(invalid("held", "record_held"));
}

// ---- follow-up ----

#[test]
fn a_held_talk_is_followed_up_once() {
    let follow = || AdmonishmentCommand::RecordFollowUp {
        outcome: text("已制定整改方案"),
    };
    framework()
        .given(vec![triggered(), scheduled(), held()])
        .when(cmd_at("2026-04-20T03:00:00Z", person("sec-1"), follow()))
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

// ---- referral (问责) ----

#[test]
fn a_referral_names_the_earlier_admonishment_and_is_its_own_event() {
    framework()
        .given(vec![triggered()])
        .when(cmd_at(
            TRIGGERED,
            system(),
            AdmonishmentCommand::ReferForAccountability {
                earlier: id("adm-1"),
                reason: text("两个季度内第二次约谈"),
            },
        ))
        .then_expect_events(vec![AdmonishmentEvent::ReferredForAccountability {
            unit: unit(),
            earlier: id("adm-1"),
            reason: text("两个季度内第二次约谈"),
            by: system(),
            at: at(TRIGGERED),
        }]);
}

#[test]
fn a_referral_is_recorded_once_and_never_against_itself() {
    let refer = |earlier| AdmonishmentCommand::ReferForAccountability {
        earlier: id(earlier),
        reason: text("两个季度内第二次约谈"),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(refer("adm-1")))
        .then_expect_error(invalid("not_triggered", "refer_for_accountability"));
    framework()
        .given(vec![triggered()])
        .when(cmd(refer("adm-2")))
        .then_expect_error(AdmonishmentError::SelfReference {
            earlier: id("adm-2"),
        });
    framework()
        .given(vec![
            triggered(),
            AdmonishmentEvent::ReferredForAccountability {
                unit: unit(),
                earlier: id("adm-1"),
                reason: text("r"),
                by: system(),
                at: at(TRIGGERED),
            },
        ])
        .when(cmd(refer("adm-0")))
        .then_expect_error(AdmonishmentError::AlreadyReferred);
}

// ---- wire format ----

#[test]
fn events_round_trip_and_error_codes_are_namespaced() {
    for event in [triggered(), scheduled(), held(), followed_up()] {
        assert_round_trips(&event);
    }
    let errors = [
        AdmonishmentError::UnknownCampaign {
            campaign: campaign(),
        },
        invalid("held", "schedule"),
        AdmonishmentError::MissingReasons,
        AdmonishmentError::EvidenceMismatch {
            rule: AdmonishmentRule::Manual,
            needs: "x",
        },
        AdmonishmentError::ScheduledInPast { when: at(NOW) },
        AdmonishmentError::MissingConductors,
        AdmonishmentError::NotYetHeld {
            scheduled_for: at(NOW),
        },
        AdmonishmentError::MissingAttendees,
        AdmonishmentError::AlreadyReferred,
        AdmonishmentError::SelfReference { earlier: id("a") },
    ];
    assert_codes_distinct_and_namespaced(&errors, "admonishment.");
}
