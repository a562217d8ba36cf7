//! The policy's trigger: one admonishment per publication and unit, every rule that fired,
//! the publication it rests on.

use super::fixtures::*;
use crate::admonishment::*;
use crate::testing::without_campaigns;

#[test]
fn the_policy_admonishes_once_per_publication_listing_every_rule_that_fired() {
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            TRIGGERED,
            policy(),
            trigger(vec![overdue(), bottom()]),
        ))
        .then_expect_events(vec![triggered()]);
}

#[test]
fn a_retried_policy_cannot_admonish_twice() {
    framework()
        .given(vec![triggered()])
        .when(cmd_at(TRIGGERED, policy(), trigger(vec![overdue()])))
        .then_expect_error(invalid("triggered", "trigger"));
}

#[test]
fn the_stream_is_the_publication_and_the_unit() {
    let AdmonishmentCommand::Trigger {
        campaign,
        unit,
        publication,
        findings,
        items,
        reasons,
        ..
    } = trigger(vec![overdue()])
    else {
        unreachable!("trigger() makes a Trigger")
    };
    framework()
        .given_no_previous_events()
        .when(cmd(AdmonishmentCommand::Trigger {
            admonishment: id("adm-2"),
            campaign,
            unit,
            publication,
            findings,
            items,
            reasons,
        }))
        .then_expect_error(AdmonishmentError::WrongStream {
            named: id("adm-2"),
            expected: ADMONISHMENT.into(),
        });
    assert_eq!(
        admonishment_id(&pid(BULLETIN), &super::fixtures::unit())
            .map(String::from)
            .ok()
            .as_deref(),
        Some(ADMONISHMENT)
    );
}

#[test]
fn a_trigger_needs_a_rule_that_fired_each_once_and_a_reason() {
    framework()
        .given_no_previous_events()
        .when(cmd(trigger(vec![])))
        .then_expect_error(AdmonishmentError::MissingFindings);
    framework()
        .given_no_previous_events()
        .when(cmd(trigger(vec![overdue(), overdue()])))
        .then_expect_error(AdmonishmentError::RuleTwice {
            rule: AdmonishmentRule::OverdueItems,
        });
    let mut no_reason = trigger(vec![overdue()]);
    if let AdmonishmentCommand::Trigger { reasons, .. } = &mut no_reason {
        reasons.clear();
    }
    framework()
        .given_no_previous_events()
        .when(cmd(no_reason))
        .then_expect_error(AdmonishmentError::MissingReasons);
}

#[test]
fn a_trigger_needs_a_known_campaign() {
    cqrs_es::test::TestFramework::<Admonishment>::with(without_campaigns(services()))
        .given_no_previous_events()
        .when(cmd(trigger(vec![overdue()])))
        .then_expect_error(AdmonishmentError::UnknownCampaign {
            campaign: campaign(),
        });
}

#[test]
fn the_publication_named_is_of_the_kind_and_scope_it_says() {
    // An assessment's stream named as a bulletin.
    let wrong = PublicationRef {
        publication: pid("assessment~qunfu-2026~2026-Q1~county"),
        ..bulletin()
    };
    framework()
        .given_no_previous_events()
        .when(cmd(trigger_at(wrong, vec![overdue()])))
        .then_expect_error(AdmonishmentError::PublicationMismatch {
            publication: pid("assessment~qunfu-2026~2026-Q1~county"),
        });
}

#[test]
fn the_window_is_measured_from_the_cut_off_a_policy_admonishment_rests_on() {
    let state: Admonishment = crate::testing::fixtures::replay([triggered()]);
    assert_eq!(state.window_instant(), Some(at(APRIL)));
    assert_eq!(Admonishment::default().window_instant(), None);
}
