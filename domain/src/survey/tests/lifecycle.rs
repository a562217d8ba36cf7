//! A round's life: opened, scores recorded with their sample sizes, closed with the
//! sample-weighted mean; events and errors on the wire.

use cqrs_es::test::TestFramework;

use super::*;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};
use crate::testing::{default_services, without_campaigns};
use crate::values::Score;

// ---- open ----

#[test]
fn a_round_is_opened_per_quarter_field_and_unit() {
    framework()
        .given_no_previous_events()
        .when(cmd(open()))
        .then_expect_events(vec![opened()]);
}

#[test]
fn a_round_for_an_unknown_campaign_is_refused() {
    let services = without_campaigns(default_services());
    TestFramework::<Survey>::with(services)
        .given_no_previous_events()
        .when(cmd(open()))
        .then_expect_error(SurveyError::UnknownCampaign {
            campaign: campaign(),
        });
}

#[test]
fn a_round_opens_once() {
    framework()
        .given(vec![opened()])
        .when(cmd(open()))
        .then_expect_error(invalid("open", "open_round"));
    framework()
        .given(vec![opened(), closed(0, None)])
        .when(cmd(open()))
        .then_expect_error(invalid("closed", "open_round"));
}

// ---- record ----

#[test]
fn an_aggregated_score_is_recorded_with_its_sample_size() {
    framework()
        .given(vec![opened()])
        .when(cmd(SurveyCommand::RecordScore {
            score: score(87.5),
            sample_size: 120,
        }))
        .then_expect_events(vec![recorded(87.5, 120)]);
}

#[test]
fn a_score_needs_respondents_and_an_open_round() {
    framework()
        .given(vec![opened()])
        .when(cmd(SurveyCommand::RecordScore {
            score: score(80.0),
            sample_size: 0,
        }))
        .then_expect_error(SurveyError::EmptySample);
    framework()
        .given_no_previous_events()
        .when(cmd(SurveyCommand::RecordScore {
            score: score(80.0),
            sample_size: 10,
        }))
        .then_expect_error(invalid("not_opened", "record_score"));
    framework()
        .given(vec![opened(), recorded(90.0, 10), closed(10, Some(90.0))])
        .when(cmd(SurveyCommand::RecordScore {
            score: score(80.0),
            sample_size: 10,
        }))
        .then_expect_error(invalid("closed", "record_score"));
}

#[test]
fn a_score_outside_0_to_100_cannot_even_be_constructed() {
    assert!(Score::parse(100.1).is_err());
    assert!(Score::parse(-1.0).is_err());
    assert!(serde_json::from_str::<SurveyCommand>(
        r#"{"type":"record_score","score":101.0,"sample_size":5}"#
    )
    .is_err());
}

// ---- close ----

#[test]
fn closing_records_the_sample_weighted_mean() {
    // (90 × 100 + 60 × 50) / 150 = 80.
    framework()
        .given(vec![opened(), recorded(90.0, 100), recorded(60.0, 50)])
        .when(cmd(SurveyCommand::CloseRound))
        .then_expect_events(vec![closed(150, Some(80.0))]);
}

#[test]
fn a_round_without_scores_closes_as_not_applicable() {
    framework()
        .given(vec![opened()])
        .when(cmd(SurveyCommand::CloseRound))
        .then_expect_events(vec![closed(0, None)]);
}

#[test]
fn only_an_open_round_closes() {
    framework()
        .given_no_previous_events()
        .when(cmd(SurveyCommand::CloseRound))
        .then_expect_error(invalid("not_opened", "close_round"));
    framework()
        .given(vec![opened(), closed(0, None)])
        .when(cmd(SurveyCommand::CloseRound))
        .then_expect_error(invalid("closed", "close_round"));
}

// ---- wire format ----

#[test]
fn events_round_trip_and_error_codes_are_namespaced() {
    for event in [opened(), recorded(50.0, 3), closed(3, Some(50.0))] {
        assert_round_trips(&event);
    }
    let errors = [
        SurveyError::UnknownCampaign {
            campaign: campaign(),
        },
        SurveyError::NoTaskForce {
            campaign: campaign(),
            field: crate::settings::Field::Other("食品安全".into()),
        },
        invalid("open", "open_round"),
        SurveyError::EmptySample,
        SurveyError::WrongRoundId {
            named: round(),
            expected: round(),
        },
        SurveyError::UnaddressableRound {
            reason: crate::values::ValueError::Empty {
                kind: "满意度测评编号",
            },
        },
        SurveyError::OutsideQuarter {
            quarter: q1(),
            at: at(NOW),
        },
    ];
    assert_codes_distinct_and_namespaced(&errors, "survey.");
}
