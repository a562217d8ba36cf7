//! Given/when/then tests of the survey round, and of [`Quarter`].

use cqrs_es::test::TestFramework;

use super::*;
use crate::settings::Field;
use crate::testing::fixtures::{
    assert_codes_distinct_and_namespaced, assert_round_trips, at, campaign, date, officer, score,
    unit,
};
use crate::testing::{default_services, without_campaigns};
use crate::values::Score;
use crate::{Command, Stamp};

fn framework() -> TestFramework<Survey> {
    TestFramework::with(default_services())
}

const NOW: &str = "2026-03-25T02:00:00Z";

fn q1() -> Quarter {
    Quarter::new(2026, 1).expect("quarter")
}

fn cmd(body: SurveyCommand) -> Command<SurveyCommand> {
    Command::new(
        Stamp {
            at: at(NOW),
            actor: officer(),
        },
        body,
    )
}

fn open() -> SurveyCommand {
    SurveyCommand::OpenRound {
        campaign: campaign(),
        quarter: q1(),
        field: Field::ElderlyCare,
        unit: unit("civil-affairs-bureau"),
    }
}

fn opened() -> SurveyEvent {
    SurveyEvent::RoundOpened {
        campaign: campaign(),
        quarter: q1(),
        field: Field::ElderlyCare,
        unit: unit("civil-affairs-bureau"),
        by: officer(),
        at: at(NOW),
    }
}

fn recorded(v: f64, n: u32) -> SurveyEvent {
    SurveyEvent::ScoreRecorded {
        score: score(v),
        sample_size: n,
        by: officer(),
        at: at(NOW),
    }
}

fn closed(n: u64, mean: Option<f64>) -> SurveyEvent {
    SurveyEvent::RoundClosed {
        sample_size: n,
        mean: mean.map(score),
        by: officer(),
        at: at(NOW),
    }
}

fn invalid(state: &'static str, request: &'static str) -> SurveyError {
    SurveyError::InvalidTransition { state, request }
}

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

// ---- Quarter ----

#[test]
fn quarters_parse_and_print_as_year_dash_q() {
    assert_eq!(Quarter::parse("2026-Q1"), Ok(q1()));
    assert_eq!(
        Quarter::parse("2026q4").map(|q| q.to_string()),
        Ok("2026-Q4".into())
    );
    for bad in [
        "2026-Q0", "2026-Q5", "26-Q1", "2026-1", "2026-Q12", "Q1-2026", "", "abcd-Q1",
    ] {
        assert!(Quarter::parse(bad).is_err(), "{bad} should be refused");
    }
    assert!(Quarter::new(2026, 0).is_err());
    assert!(Quarter::new(2026, 5).is_err());
    assert_eq!(serde_json::to_string(&q1()).expect("json"), "\"2026-Q1\"");
    assert!(serde_json::from_str::<Quarter>("\"2026-Q9\"").is_err());
}

#[test]
fn quarters_know_their_days_and_neighbours() {
    let q4 = Quarter::new(2026, 4).expect("quarter");
    assert_eq!(q1().first_day(), date(2026, 1, 1));
    assert_eq!(q1().last_day(), date(2026, 3, 31));
    assert_eq!(
        Quarter::new(2026, 2).map(Quarter::last_day),
        Ok(date(2026, 6, 30))
    );
    assert_eq!(q4.first_day(), date(2026, 10, 1));
    assert_eq!(q4.last_day(), date(2026, 12, 31));
    assert_eq!(
        Quarter::containing(date(2026, 8, 15)),
        Quarter::new(2026, 3)
    );
    assert!(q1().contains(date(2026, 3, 31)) && !q1().contains(date(2026, 4, 1)));
    assert_eq!(q4.next(), Quarter::new(2027, 1).ok());
    assert_eq!(q1().previous(), Quarter::new(2025, 4).ok());
    assert!(q1() < q4);
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
        invalid("open", "open_round"),
        SurveyError::EmptySample,
    ];
    assert_codes_distinct_and_namespaced(&errors, "survey.");
}
