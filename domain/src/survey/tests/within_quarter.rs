//! Scores are recorded only within the round's quarter, in the campaign's local time: from
//! 00:00 of its first day to 24:00 of its last, refused otherwise with the quarter and the
//! instant.

use super::*;

fn record_at(instant: &str) -> Command<SurveyCommand> {
    cmd_at(
        instant,
        SurveyCommand::RecordScore {
            score: score(88.0),
            sample_size: 40,
        },
    )
}

fn recorded_at(instant: &str) -> SurveyEvent {
    SurveyEvent::ScoreRecorded {
        score: score(88.0),
        sample_size: 40,
        by: officer(),
        at: at(instant),
    }
}

#[test]
fn the_round_records_the_quarters_bounds_in_the_campaigns_time_zone() {
    let events = framework()
        .given_no_previous_events()
        .when(cmd(open()))
        .inspect_result();
    assert!(matches!(
        events.as_deref(),
        Ok([SurveyEvent::RoundOpened { quarter_starts_at, quarter_ends_at, .. }])
            if *quarter_starts_at == at(Q1_STARTS) && *quarter_ends_at == at(Q1_ENDS)
    ));
}

#[test]
fn a_score_is_recorded_from_the_first_local_instant_to_the_last_of_the_quarter() {
    // 2026-01-01 00:00 Beijing time, though still 2025 in UTC.
    framework()
        .given(vec![opened()])
        .when(record_at(Q1_STARTS))
        .then_expect_events(vec![recorded_at(Q1_STARTS)]);
    // 2026-03-31 23:59:59 Beijing time.
    framework()
        .given(vec![opened()])
        .when(record_at("2026-03-31T15:59:59Z"))
        .then_expect_events(vec![recorded_at("2026-03-31T15:59:59Z")]);
}

#[test]
fn a_score_outside_the_quarter_is_refused_naming_the_quarter_and_the_instant() {
    for instant in [
        // 2026-04-01 00:00 Beijing time: the quarter has ended.
        Q1_ENDS,
        "2026-05-10T02:00:00Z",
        // 2025-12-31 23:59:59 Beijing time: not yet begun.
        "2025-12-31T15:59:59Z",
    ] {
        framework()
            .given(vec![opened()])
            .when(record_at(instant))
            .then_expect_error(SurveyError::OutsideQuarter {
                quarter: q1(),
                at: at(instant),
            });
    }
    let error = SurveyError::OutsideQuarter {
        quarter: q1(),
        at: at(Q1_ENDS),
    };
    assert_eq!(error.code(), "survey.outside_quarter");
    assert_eq!(
        error.to_string(),
        "2026-Q1 的得分须在该季度内录入，不能于 2026-03-31 16:00:00 UTC 录入"
    );
}
