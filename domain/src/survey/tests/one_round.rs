//! One round per campaign, quarter, field and unit: the round's stream id is made of those
//! four ([`round_id`]), and the opening refuses an id that does not match its body.

use super::*;
use crate::command::Addressed;
use crate::settings::Field;
use crate::values::SurveyId;

#[test]
fn a_round_is_opened_under_the_id_its_campaign_quarter_field_and_unit_make() {
    let made = round_id(
        &campaign(),
        q1(),
        &Field::ElderlyCare,
        &unit("civil-affairs-bureau"),
    );
    assert_eq!(made.as_ref(), Ok(&round()));
    framework()
        .given_no_previous_events()
        .when(cmd(open()))
        .then_expect_events(vec![opened()]);
    // The executor refuses the opening sent to any stream but that id.
    assert_eq!(open().addressed_to(), Some(round().as_str()));
    assert_eq!(SurveyCommand::CloseRound.addressed_to(), None);
}

#[test]
fn an_opening_naming_another_rounds_id_is_refused() {
    // The id of the same unit's round in another quarter: the body says Q1.
    let q2_round =
        SurveyId::parse("qunfu-2026~2026-Q2~elderly_care~civil-affairs-bureau").expect("id");
    let body = SurveyCommand::OpenRound {
        round: q2_round.clone(),
        campaign: campaign(),
        quarter: q1(),
        field: Field::ElderlyCare,
        unit: unit("civil-affairs-bureau"),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(body))
        .then_expect_error(SurveyError::WrongRoundId {
            named: q2_round,
            expected: round(),
        });
    // Any free-form id, e.g. a second stream for the same four, is refused the same way.
    let second = SurveyId::parse("survey-2").expect("id");
    let body = SurveyCommand::OpenRound {
        round: second.clone(),
        campaign: campaign(),
        quarter: q1(),
        field: Field::ElderlyCare,
        unit: unit("civil-affairs-bureau"),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(body))
        .then_expect_error(SurveyError::WrongRoundId {
            named: second,
            expected: round(),
        });
    assert_eq!(
        SurveyError::WrongRoundId {
            named: round(),
            expected: round()
        }
        .code(),
        "survey.wrong_round_id"
    );
}

#[test]
fn the_rounds_stream_opens_once() {
    framework()
        .given(vec![opened()])
        .when(cmd(open()))
        .then_expect_error(invalid("open", "open_round"));
}
