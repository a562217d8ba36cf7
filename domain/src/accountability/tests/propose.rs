//! Proposing a case: its grounds, the repeated-admonishment window, one case per person and
//! occasion.

use chrono::Duration;

use super::fixtures::*;
use crate::accountability::*;
use crate::settings::CampaignSettings;
use crate::testing::without_campaigns;
use crate::values::AccountabilityId;
use cqrs_es::test::TestFramework;

#[test]
fn the_policy_proposes_the_unit_head_on_a_second_admonishment_within_182_days() {
    framework()
        .given_no_previous_events()
        .when(cmd_at(PROPOSED, policy(), propose()))
        .then_expect_events(vec![proposed()]);
    let case = fold(vec![proposed()]);
    assert!(case.is_open() && !case.deducts());
    assert_eq!(case.charged_unit(), Some(&unit("county-hospital")));
    assert_eq!(case.decided_at(), None);
}

/// 0 < gap ≤ 182 days: exactly 182 days is in the window, one second more is not, and the
/// later admonishment must come after the earlier one.
#[test]
fn the_two_admonishments_must_be_0_to_182_days_apart() {
    let earlier = at(EARLIER_CUT_OFF);
    let propose_with =
        |later| AccountabilityCommand::Propose(proposal(vec![repeated(earlier, later)]));
    let at_end = earlier + Duration::days(182);
    let events = framework()
        .given_no_previous_events()
        .when(cmd_at(PROPOSED, policy(), propose_with(at_end)))
        .inspect_result();
    assert!(events.is_ok(), "{events:?}");
    for later in [
        at_end + Duration::seconds(1),
        earlier,
        earlier - Duration::days(30),
    ] {
        framework()
            .given_no_previous_events()
            .when(cmd_at(PROPOSED, policy(), propose_with(later)))
            .then_expect_error(AccountabilityError::OutsideReferralWindow {
                earlier,
                later,
                window_days: 182,
            });
    }
}

#[test]
fn the_window_is_the_campaigns_setting_in_force_and_the_event_records_it() {
    let mut settings = CampaignSettings::default();
    settings.admonishment.referral_window_days = 90;
    let framework = || {
        TestFramework::<Accountability>::with(crate::services::DomainServices {
            settings: std::sync::Arc::new(crate::testing::StaticSettings(settings.clone())),
            ..services()
        })
    };
    // 122 days apart: inside the default 182, outside 90.
    framework()
        .given_no_previous_events()
        .when(cmd_at(PROPOSED, policy(), propose()))
        .then_expect_error(AccountabilityError::OutsideReferralWindow {
            earlier: at(EARLIER_CUT_OFF),
            later: at(LATER_CUT_OFF),
            window_days: 90,
        });
    let later = at(EARLIER_CUT_OFF) + Duration::days(90);
    let events = framework()
        .given_no_previous_events()
        .when(cmd_at(
            PROPOSED,
            policy(),
            AccountabilityCommand::Propose(proposal(vec![repeated(at(EARLIER_CUT_OFF), later)])),
        ))
        .inspect_result()
        .expect("proposed");
    assert!(matches!(
        &events[..],
        [AccountabilityEvent::Proposed {
            referral_window_days: Some(90),
            ..
        }]
    ));
}

#[test]
fn one_admonishment_is_not_a_repetition() {
    let ground = Ground::RepeatedAdmonishment {
        earlier: basis("adm-2026-07-hospital", EARLIER_CUT_OFF),
        later: basis("adm-2026-07-hospital", LATER_CUT_OFF),
        role: Role::UnitHead,
    };
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            PROPOSED,
            policy(),
            AccountabilityCommand::Propose(proposal(vec![ground])),
        ))
        .then_expect_error(AccountabilityError::SameAdmonishment {
            admonishment: admonishment("adm-2026-07-hospital"),
        });
}

/// One case per person and occasion: the case lives on the id made of the person and the
/// later admonishment, so proposing it twice meets the first proposal.
#[test]
fn a_repeated_admonishment_case_lives_on_the_persons_occasion() {
    let mut wrong = proposal(vec![repeated(at(EARLIER_CUT_OFF), at(LATER_CUT_OFF))]);
    wrong.case = AccountabilityId::parse("acc-42").expect("id");
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            PROPOSED,
            policy(),
            AccountabilityCommand::Propose(wrong),
        ))
        .then_expect_error(AccountabilityError::WrongCaseId {
            named: AccountabilityId::parse("acc-42").expect("id"),
            expected: case_id(),
        });
    assert_eq!(
        occasion_id(&head(), &admonishment("adm-2026-07-hospital")).as_str(),
        "accountability~hospital-head-liu~adm-2026-07-hospital"
    );
    framework()
        .given(vec![proposed()])
        .when(cmd_at(PROPOSED, policy(), propose()))
        .then_expect_error(invalid("proposed", "propose"));
}

/// A secretariat may propose on other grounds, on an id of its own.
#[test]
fn a_secretariat_proposes_on_shirking_and_a_false_sign_off() {
    let grounds = vec![
        Ground::Shirking {
            facts: text("对医保基金违规问题推诿不办"),
        },
        Ground::FalseSignOff {
            item: code("YB-2026-0007"),
            facts: text("整改未完成即申请销号"),
        },
    ];
    let body = Proposal {
        case: AccountabilityId::parse("acc-2026-0003").expect("id"),
        ..proposal(grounds.clone())
    };
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            PROPOSED,
            person("sec-yibao"),
            AccountabilityCommand::Propose(body),
        ))
        .then_expect_events(vec![AccountabilityEvent::Proposed {
            case: AccountabilityId::parse("acc-2026-0003").expect("id"),
            campaign: campaign(),
            person: head(),
            unit: unit("county-hospital"),
            grounds,
            referral_window_days: None,
            by: person("sec-yibao"),
            at: at(PROPOSED),
        }]);
}

#[test]
fn a_proposal_needs_grounds_a_known_campaign_and_items_for_a_responsible_person() {
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            PROPOSED,
            policy(),
            AccountabilityCommand::Propose(proposal(vec![])),
        ))
        .then_expect_error(AccountabilityError::NoGrounds);
    TestFramework::<Accountability>::with(without_campaigns(services()))
        .given_no_previous_events()
        .when(cmd_at(PROPOSED, policy(), propose()))
        .then_expect_error(AccountabilityError::UnknownCampaign {
            campaign: campaign(),
        });
    let with_role = |role| Ground::RepeatedAdmonishment {
        earlier: basis("adm-2026-03-hospital", EARLIER_CUT_OFF),
        later: basis("adm-2026-07-hospital", LATER_CUT_OFF),
        role,
    };
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            PROPOSED,
            policy(),
            AccountabilityCommand::Propose(proposal(vec![with_role(Role::ResponsiblePerson {
                items: vec![],
            })])),
        ))
        .then_expect_error(AccountabilityError::NoItemsForRole);
    let items = Role::ResponsiblePerson {
        items: vec![code("YB-2026-0001"), code("YB-2026-0004")],
    };
    let accepted = framework()
        .given_no_previous_events()
        .when(cmd_at(
            PROPOSED,
            policy(),
            AccountabilityCommand::Propose(proposal(vec![with_role(items)])),
        ))
        .inspect_result();
    assert!(accepted.is_ok(), "{accepted:?}");
    let twice = vec![
        repeated(at(EARLIER_CUT_OFF), at(LATER_CUT_OFF)),
        repeated(at(EARLIER_CUT_OFF), at(LATER_CUT_OFF)),
    ];
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            PROPOSED,
            policy(),
            AccountabilityCommand::Propose(proposal(twice)),
        ))
        .then_expect_error(AccountabilityError::RepeatedGroundTwice);
}

#[test]
fn the_person_proposed_and_the_unit_charged_are_the_organisations() {
    let grounds = vec![Ground::Shirking {
        facts: text("对医保基金违规问题推诿不办"),
    }];
    let body = |person_id: &str, unit_id: &str| Proposal {
        case: AccountabilityId::parse("acc-2026-0004").expect("id"),
        person: person(person_id),
        unit: unit(unit_id),
        ..proposal(grounds.clone())
    };
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            PROPOSED,
            person("sec-yibao"),
            AccountabilityCommand::Propose(body("nobody", "county-hospital")),
        ))
        .then_expect_error(AccountabilityError::UnknownPerson(person("nobody")));
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            PROPOSED,
            person("sec-yibao"),
            AccountabilityCommand::Propose(body("hospital-head-liu", "ghost-unit")),
        ))
        .then_expect_error(AccountabilityError::UnknownUnit(unit("ghost-unit")));
}
