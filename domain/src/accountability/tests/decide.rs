//! Discipline inspection's decision: once, with reasons, with 容错 applied as part of it.

use super::fixtures::*;
use crate::accountability::*;
use crate::fault::{FaultCause, FaultDecision};

fn decide(outcome: Outcome, ruling: Option<(FaultCause, FaultDecision)>) -> AccountabilityCommand {
    AccountabilityCommand::Decide {
        outcome,
        reasons: reasons(),
        fault_tolerance: ruling.map(|(cause, decision)| FaultToleranceRuling {
            cause,
            decision,
            reason: text("汛期道路中断，核查无法按期开展"),
        }),
    }
}

fn ruled(cause: FaultCause, decision: FaultDecision) -> RecordedRuling {
    RecordedRuling {
        episode: AccountabilityEpisode::Accountability { case: case_id() },
        cause,
        decision,
        reason: text("汛期道路中断，核查无法按期开展"),
    }
}

#[test]
fn a_decided_sanction_deducts_from_the_unit_charged_in_the_quarter_of_its_decision() {
    framework()
        .given(vec![proposed()])
        .when(cmd_at(
            DECIDED,
            inspector(),
            decide(Outcome::AdmonishingTalk, None),
        ))
        .then_expect_events(vec![decided(Outcome::AdmonishingTalk)]);
    let case = fold(vec![proposed(), decided(Outcome::AdmonishingTalk)]);
    assert!(case.deducts() && !case.is_open());
    assert_eq!(case.decided_at(), Some(at(DECIDED)));
    assert_eq!(case.charged_unit(), Some(&unit("county-hospital")));
}

#[test]
fn not_held_accountable_deducts_nothing() {
    framework()
        .given(vec![proposed()])
        .when(cmd_at(
            DECIDED,
            inspector(),
            decide(Outcome::NotHeldAccountable, None),
        ))
        .then_expect_events(vec![decided(Outcome::NotHeldAccountable)]);
    let case = fold(vec![proposed(), decided(Outcome::NotHeldAccountable)]);
    assert!(!case.deducts());
    assert_eq!(case.decided_at(), Some(at(DECIDED)));
}

#[test]
fn a_case_is_decided_once_and_only_after_its_proposal() {
    framework()
        .given(vec![proposed(), decided(Outcome::PublicCriticism)])
        .when(cmd_at(
            DECIDED,
            inspector(),
            decide(Outcome::NotHeldAccountable, None),
        ))
        .then_expect_error(AccountabilityError::AlreadyDecided);
    framework()
        .given_no_previous_events()
        .when(cmd_at(
            DECIDED,
            inspector(),
            decide(Outcome::PublicCriticism, None),
        ))
        .then_expect_error(invalid("not_proposed", "decide"));
    framework()
        .given(vec![proposed(), withdrawn()])
        .when(cmd_at(
            DECIDED,
            inspector(),
            decide(Outcome::PublicCriticism, None),
        ))
        .then_expect_error(invalid("withdrawn", "decide"));
}

#[test]
fn a_decision_gives_reasons() {
    framework()
        .given(vec![proposed()])
        .when(cmd_at(
            DECIDED,
            inspector(),
            AccountabilityCommand::Decide {
                outcome: Outcome::CriticismAndEducation,
                reasons: vec![],
                fault_tolerance: None,
            },
        ))
        .then_expect_error(AccountabilityError::NoReasons);
}

/// 容错 is part of the decision: the ruling names this case as its episode.
#[test]
fn force_majeure_exempts_with_not_held_accountable_and_names_the_case() {
    let ruling = (FaultCause::ForceMajeure, FaultDecision::Exempt);
    framework()
        .given(vec![proposed()])
        .when(cmd_at(
            DECIDED,
            inspector(),
            decide(Outcome::NotHeldAccountable, Some(ruling)),
        ))
        .then_expect_events(vec![AccountabilityEvent::Decided {
            outcome: Outcome::NotHeldAccountable,
            reasons: reasons(),
            fault_tolerance: Some(ruled(FaultCause::ForceMajeure, FaultDecision::Exempt)),
            deducts: false,
            by: inspector(),
            at: at(DECIDED),
        }]);
}

/// 免责 says the person is not liable; only 不予问责 says the same. Any sanction beside it
/// is a contradiction, refused.
#[test]
fn an_exemption_with_a_sanction_is_a_contradiction() {
    for outcome in [
        Outcome::CriticismAndEducation,
        Outcome::AdmonishingTalk,
        Outcome::PublicCriticism,
        Outcome::OrganisationalHandling,
        Outcome::DisciplinaryReferral,
    ] {
        framework()
            .given(vec![proposed()])
            .when(cmd_at(
                DECIDED,
                inspector(),
                decide(
                    outcome,
                    Some((FaultCause::InexperienceInReform, FaultDecision::Exempt)),
                ),
            ))
            .then_expect_error(AccountabilityError::ExemptionContradictsOutcome { outcome });
    }
}

/// 减轻: the outcome is the mitigated one, and it still deducts.
#[test]
fn inexperience_in_reform_mitigates_to_a_lighter_outcome() {
    let ruling = (FaultCause::InexperienceInReform, FaultDecision::Mitigate);
    framework()
        .given(vec![proposed()])
        .when(cmd_at(
            DECIDED,
            inspector(),
            decide(Outcome::CriticismAndEducation, Some(ruling)),
        ))
        .then_expect_events(vec![AccountabilityEvent::Decided {
            outcome: Outcome::CriticismAndEducation,
            reasons: reasons(),
            fault_tolerance: Some(ruled(
                FaultCause::InexperienceInReform,
                FaultDecision::Mitigate,
            )),
            deducts: true,
            by: inspector(),
            at: at(DECIDED),
        }]);
}

#[test]
fn subjective_wrongdoing_is_never_exempted_or_mitigated() {
    for (outcome, decision) in [
        (Outcome::NotHeldAccountable, FaultDecision::Exempt),
        (Outcome::CriticismAndEducation, FaultDecision::Mitigate),
        (Outcome::NotHeldAccountable, FaultDecision::Mitigate),
    ] {
        framework()
            .given(vec![proposed()])
            .when(cmd_at(
                DECIDED,
                inspector(),
                decide(outcome, Some((FaultCause::SubjectiveWrongdoing, decision))),
            ))
            .then_expect_error(AccountabilityError::NotExcusable);
    }
    // Ruling that it counts in full is what such a case gets.
    let events = framework()
        .given(vec![proposed()])
        .when(cmd_at(
            DECIDED,
            inspector(),
            decide(
                Outcome::DisciplinaryReferral,
                Some((FaultCause::SubjectiveWrongdoing, FaultDecision::None)),
            ),
        ))
        .inspect_result();
    assert!(events.is_ok(), "{events:?}");
}
