//! Withdrawal (撤回) of an undecided case, with reasons.

use super::fixtures::*;
use crate::accountability::*;

fn withdraw(reasons: Vec<crate::values::Text>) -> AccountabilityCommand {
    AccountabilityCommand::Withdraw { reasons }
}

#[test]
fn a_mistaken_proposal_is_withdrawn_before_the_decision() {
    framework()
        .given(vec![proposed()])
        .when(cmd_at(
            DECIDED,
            person("sec-yibao"),
            withdraw(vec![text("约谈记录所属单位有误，提议错误")]),
        ))
        .then_expect_events(vec![withdrawn()]);
    let case = fold(vec![proposed(), withdrawn()]);
    assert!(!case.is_open() && !case.deducts());
    assert_eq!(case.decided_at(), None);
}

#[test]
fn a_withdrawal_gives_reasons_and_comes_before_any_decision() {
    framework()
        .given(vec![proposed()])
        .when(cmd_at(DECIDED, person("sec-yibao"), withdraw(vec![])))
        .then_expect_error(AccountabilityError::NoReasons);
    for (history, state) in [
        (
            vec![proposed(), decided(Outcome::PublicCriticism)],
            "decided",
        ),
        (vec![proposed(), withdrawn()], "withdrawn"),
        (vec![], "not_proposed"),
    ] {
        framework()
            .given(history)
            .when(cmd_at(
                DECIDED,
                person("sec-yibao"),
                withdraw(vec![text("误报")]),
            ))
            .then_expect_error(invalid(state, "withdraw"));
    }
}
