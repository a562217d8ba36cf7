//! The round records its field's task force, whose secretariat runs it; every event of the
//! round then names it in its metadata (the round's scope). No task force, no round.

use super::*;
use crate::event::Scoped;
use crate::failure::DomainError;
use crate::testing::fixtures::replay;

fn food_safety() -> Field {
    Field::Other("食品安全".into())
}

/// The round of the civil-affairs bureau in a field the campaign has no task force for.
fn open_in_food_safety() -> SurveyCommand {
    let unit = unit("civil-affairs-bureau");
    SurveyCommand::OpenRound {
        round: round_id(&campaign(), q1(), &food_safety(), &unit).expect("id"),
        campaign: campaign(),
        quarter: q1(),
        field: food_safety(),
        unit,
    }
}

#[test]
fn the_round_records_the_task_force_of_its_field() {
    framework()
        .given_no_previous_events()
        .when(cmd(open()))
        .then_expect_events(vec![opened()]);
}

#[test]
fn the_scope_of_a_round_names_its_task_force() {
    let survey: Survey = replay(vec![opened(), recorded(80.0, 10)]);
    let scope = survey.scope();
    assert_eq!(scope.campaign, Some(campaign()));
    assert_eq!(scope.task_force, Some(yanglao()));
    assert_eq!(scope.field, Some(Field::ElderlyCare));
    assert_eq!(scope.units, vec![unit("civil-affairs-bureau")]);
}

/// Without a task force for the field no secretariat could run the round: it is refused with
/// its own error rather than opened unowned.
#[test]
fn a_round_in_a_field_without_a_task_force_is_refused() {
    let refused = Survey::default().decide(
        cmd(open_in_food_safety()),
        &crate::testing::default_services(),
    );
    assert_eq!(
        refused,
        Err(SurveyError::NoTaskForce {
            campaign: campaign(),
            field: food_safety(),
        })
    );
    assert_eq!(
        refused.err().map(|e| DomainError::code(&e)),
        Some("survey.no_task_force")
    );
    // Sent through the aggregate, it is refused before deciding: the party it needs is that
    // missing task force's secretariat. Either way nothing is recorded.
    let error = framework()
        .given_no_previous_events()
        .when(cmd(open_in_food_safety()))
        .inspect_result()
        .expect_err("no task force, no round");
    assert!(
        ["survey.forbidden", "survey.no_task_force"].contains(&error.code()),
        "{error:?}"
    );
}

/// Rounds opened before the task force was recorded read as having none, so schema version 1
/// stands.
#[test]
fn a_round_recorded_without_a_task_force_reads_as_none() {
    let mut json = serde_json::to_value(opened()).expect("json");
    if let Some(fields) = json["RoundOpened"].as_object_mut() {
        fields.remove("task_force");
    }
    let event: SurveyEvent = serde_json::from_value(json).expect("an older round");
    assert!(matches!(
        event,
        SurveyEvent::RoundOpened {
            task_force: None,
            ..
        }
    ));
}
