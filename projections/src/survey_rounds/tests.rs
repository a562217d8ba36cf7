//! The rounds' fold, and which rounds a quarter's assessment counts.

use rectiflow_domain::assessment::AssessmentPeriod;
use rectiflow_domain::settings::Field;
use rectiflow_domain::survey::{Quarter, SurveyEvent};
use rectiflow_domain::testing::fixtures::{campaign, local, officer, score, unit, TZ};
use rectiflow_domain::values::SurveyId;
use rectiflow_engine::LoggedEvent;

use super::{RoundRow, SurveyRounds};
use crate::projector::RowProjection;

const ROUND: &str = "qunfu-2026~2026-Q1~elderly_care~civil-affairs-bureau";

fn logged(position: u64) -> LoggedEvent {
    crate::testing::logged("survey", ROUND, position)
}

fn q1() -> Quarter {
    Quarter::new(2026, 1).expect("a quarter")
}

fn folded(closed_on: Option<u32>) -> RoundRow {
    let mut events = vec![SurveyEvent::RoundOpened {
        round: SurveyId::parse(ROUND).expect("an id"),
        campaign: campaign(),
        quarter: q1(),
        field: Field::ElderlyCare,
        task_force: None,
        unit: unit("civil-affairs-bureau"),
        quarter_starts_at: local(2026, 1, 1, 0, 0),
        quarter_ends_at: local(2026, 4, 1, 0, 0),
        by: officer(),
        at: local(2026, 3, 2, 9, 0),
    }];
    events.push(SurveyEvent::ScoreRecorded {
        score: score(80.0),
        sample_size: 30,
        by: officer(),
        at: local(2026, 3, 10, 9, 0),
    });
    if let Some(day) = closed_on {
        let month = if day > 31 { 4 } else { 3 };
        let day = if day > 31 { day - 31 } else { day };
        events.push(SurveyEvent::RoundClosed {
            sample_size: 30,
            mean: Some(score(80.0)),
            by: officer(),
            at: local(2026, month, day, 9, 0),
        });
    }
    let mut row = None;
    for (i, event) in events.into_iter().enumerate() {
        row = SurveyRounds::fold(row, ROUND, event, &logged(i as u64 + 1));
    }
    row.expect("a round")
}

#[test]
fn a_closed_round_counts_in_its_quarter_only_when_closed_before_the_cut_off() {
    let q1_period = AssessmentPeriod::of(q1(), TZ);
    let q2_period = AssessmentPeriod::of(Quarter::new(2026, 2).expect("Q2"), TZ);
    let closed = folded(Some(28));
    assert_eq!(closed.sample_size, 30);
    let counted = closed.counted_in(&q1_period).expect("counted in Q1");
    assert_eq!((counted.mean.get(), counted.sample), (80.0, 30));
    assert!(closed.counted_in(&q2_period).is_none(), "another quarter's");
    assert!(folded(None).counted_in(&q1_period).is_none(), "not closed");
    // Closed on 2 April: after Q1's cut-off.
    assert!(folded(Some(33)).counted_in(&q1_period).is_none());
}

#[test]
fn a_round_row_travels_through_its_table() {
    let row = folded(Some(28));
    let json = serde_json::to_value(&row).expect("a row");
    let fields = match json {
        serde_json::Value::Object(fields) => fields,
        other => panic!("not an object: {other}"),
    };
    SurveyRounds::TABLE
        .upsert(&fields.clone().into_iter().collect())
        .expect("fits its table");
    let back: RoundRow =
        serde_json::from_value(serde_json::Value::Object(fields)).expect("reads back");
    assert_eq!(back, row);
}

#[test]
fn a_unit_standing_counts_the_rounds_closed_within_its_period() {
    let closed = folded(Some(28));
    let (year, end_of_march) = (local(2026, 1, 1, 0, 0), local(2026, 3, 28, 9, 0));
    let (mean, sample) = closed
        .closed_within(campaign().as_str(), year, local(2026, 4, 1, 0, 0))
        .expect("closed within the year so far");
    assert_eq!((mean.get(), sample), (80.0, 30));
    assert!(
        closed
            .closed_within(campaign().as_str(), year, end_of_march)
            .is_none(),
        "closed at the cut-off: not before it"
    );
    assert!(
        closed
            .closed_within(campaign().as_str(), end_of_march, local(2026, 12, 1, 0, 0))
            .is_some(),
        "closed at the start: within"
    );
    assert!(closed
        .closed_within("another-campaign", year, local(2026, 4, 1, 0, 0))
        .is_none());
    assert!(folded(None)
        .closed_within(campaign().as_str(), year, local(2026, 12, 1, 0, 0))
        .is_none());
}
