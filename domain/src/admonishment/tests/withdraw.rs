//! Withdrawal (撤销): a secretariat withdraws an admonishment before its talk is held — e.g.
//! one resting on a publication since corrected — and a withdrawn admonishment counts for
//! nothing.

use super::fixtures::*;
use crate::admonishment::*;
use crate::testing::fixtures::replay;
use crate::values::PublicationId;

const CORRECTION: &str = "bulletin~qunfu-2026~2026-03~county~correction-1";

fn reasons() -> Vec<crate::values::Text> {
    vec![text("通报已更正，该单位逾期数不足3项")]
}

fn withdraw(correction: Option<PublicationId>) -> AdmonishmentCommand {
    AdmonishmentCommand::Withdraw {
        reasons: reasons(),
        correction,
    }
}

fn withdrawn(correction: Option<PublicationId>) -> AdmonishmentEvent {
    AdmonishmentEvent::Withdrawn {
        reasons: reasons(),
        correction,
        by: person("sec-yibao"),
        at: at(NOW),
    }
}

#[test]
fn a_triggered_or_scheduled_admonishment_is_withdrawn_naming_the_correction() {
    framework()
        .given(vec![triggered()])
        .when(cmd(withdraw(Some(pid(CORRECTION)))))
        .then_expect_events(vec![withdrawn(Some(pid(CORRECTION)))]);
    framework()
        .given(vec![triggered(), scheduled()])
        .when(cmd(withdraw(None)))
        .then_expect_events(vec![withdrawn(None)]);
}

#[test]
fn a_withdrawal_needs_a_reason() {
    framework()
        .given(vec![triggered()])
        .when(cmd(AdmonishmentCommand::Withdraw {
            reasons: vec![],
            correction: None,
        }))
        .then_expect_error(AdmonishmentError::MissingReasons);
}

#[test]
fn a_held_talk_happened_and_is_not_withdrawn() {
    framework()
        .given(vec![triggered(), scheduled(), held()])
        .when(cmd(withdraw(None)))
        .then_expect_error(invalid("held", "withdraw"));
    framework()
        .given(vec![triggered(), scheduled(), held(), followed_up()])
        .when(cmd(withdraw(None)))
        .then_expect_error(invalid("followed_up", "withdraw"));
}

#[test]
fn an_admonishment_is_withdrawn_once_and_only_once_triggered() {
    framework()
        .given(vec![triggered(), withdrawn(None)])
        .when(cmd(withdraw(None)))
        .then_expect_error(invalid("withdrawn", "withdraw"));
    framework()
        .given_no_previous_events()
        .when(cmd(withdraw(None)))
        .then_expect_error(invalid("not_triggered", "withdraw"));
}

#[test]
fn a_withdrawn_talk_is_neither_scheduled_nor_held() {
    framework()
        .given(vec![triggered(), withdrawn(None)])
        .when(cmd(AdmonishmentCommand::Schedule {
            when: at(MEETING),
            place: text("会议室"),
            conducted_by: vec![person("deputy-head")],
        }))
        .then_expect_error(invalid("withdrawn", "schedule"));
    framework()
        .given(vec![triggered(), scheduled(), withdrawn(None)])
        .when(cmd_at(
            "2026-04-08T03:00:00Z",
            person("sec-yibao"),
            AdmonishmentCommand::RecordHeld {
                attendees: vec![person("township-head")],
                minutes: minutes(),
            },
        ))
        .then_expect_error(invalid("withdrawn", "record_held"));
}

#[test]
fn the_correction_named_corrects_the_publication_the_admonishment_rests_on() {
    // The original, another bulletin's correction, or not a publication id at all.
    for named in [
        BULLETIN,
        "bulletin~qunfu-2026~2026-02~county~correction-1",
        "adm-free",
    ] {
        framework()
            .given(vec![triggered()])
            .when(cmd(withdraw(Some(pid(named)))))
            .then_expect_error(AdmonishmentError::NotACorrection {
                correction: pid(named),
                rests_on: Some(pid(BULLETIN)),
            });
    }
    // A correction of a correction corrects the original too.
    let second = "bulletin~qunfu-2026~2026-03~county~correction-2";
    framework()
        .given(vec![triggered()])
        .when(cmd(withdraw(Some(pid(second)))))
        .then_expect_events(vec![withdrawn(Some(pid(second)))]);
    // A manual admonishment naming no publication has nothing to be corrected.
    let manual = AdmonishmentEvent::Triggered {
        admonishment: id("adm-manual-7"),
        campaign: campaign(),
        unit: unit(),
        basis: Basis::Manual { publication: None },
        items: vec![],
        reasons: vec![text("推诿扯皮")],
        by: person("sec-yibao"),
        at: at(NOW),
    };
    framework()
        .given(vec![manual])
        .when(cmd(withdraw(Some(pid(CORRECTION)))))
        .then_expect_error(AdmonishmentError::NotACorrection {
            correction: pid(CORRECTION),
            rests_on: None,
        });
}

#[test]
fn a_withdrawn_admonishment_counts_for_neither_the_window_nor_deductions() {
    let standing: Admonishment = replay([triggered(), scheduled()]);
    assert_eq!(standing.window_instant(), Some(at(APRIL)));
    assert!(!standing.is_withdrawn());
    let gone: Admonishment = replay([triggered(), scheduled(), withdrawn(Some(pid(CORRECTION)))]);
    assert!(gone.is_withdrawn());
    assert_eq!(gone.status, AdmonishmentStatus::Withdrawn);
    assert_eq!(gone.window_instant(), None);
    assert_eq!(
        gone.withdrawal.as_ref().and_then(|w| w.correction.clone()),
        Some(pid(CORRECTION))
    );
}
