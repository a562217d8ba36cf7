//! The clue records its field's task force, whose secretariat runs the clue and the case; every
//! event of the case then names it in its metadata (the case's scope). No task force, no clue.

use super::fixtures::*;
use crate::case::*;
use crate::event::Scoped;
use crate::failure::DomainError;
use crate::settings::Field;
use crate::testing::fixtures::replay;

fn register_in(field: Field) -> CaseCommand {
    let mut body = register();
    if let CaseCommand::RegisterClue { field: f, .. } = &mut body {
        *f = field;
    }
    body
}

fn food_safety() -> Field {
    Field::Other("食品安全".into())
}

#[test]
fn the_clue_records_the_task_force_of_its_field() {
    let events = framework()
        .given_no_previous_events()
        .when(cmd(register_in(Field::ElderlyCare)))
        .inspect_result()
        .expect("registered");
    assert!(matches!(
        &events[..],
        [CaseEvent::ClueRegistered { task_force: Some(task_force), .. }]
            if task_force.as_str() == "yanglao"
    ));
}

#[test]
fn the_scope_of_a_case_names_its_task_force() {
    let case: Case = replay(vec![clue_registered(), opened()]);
    let scope = case.scope();
    assert_eq!(scope.campaign, Some(campaign()));
    assert_eq!(scope.task_force, Some(yibao()));
    assert_eq!(scope.field, Some(Field::MedicalInsurance));
}

/// Without a task force for the field no secretariat could run the clue: it is refused with
/// its own error rather than recorded unowned.
#[test]
fn a_clue_in_a_field_without_a_task_force_is_refused() {
    let refused = Case::default().decide(cmd(register_in(food_safety())), &default_services());
    assert_eq!(
        refused,
        Err(CaseError::NoTaskForce {
            campaign: campaign(),
            field: food_safety(),
        })
    );
    assert_eq!(
        refused.err().map(|e| DomainError::code(&e)),
        Some("case.no_task_force")
    );
    // Sent through the aggregate, it is refused before deciding: the party it needs is that
    // missing task force's secretariat. Either way nothing is recorded.
    let error = framework()
        .given_no_previous_events()
        .when(cmd(register_in(food_safety())))
        .inspect_result()
        .expect_err("no task force, no clue");
    assert!(
        ["case.forbidden", "case.no_task_force"].contains(&error.code()),
        "{error:?}"
    );
}

/// Clues registered before the task force was recorded read as having none, so schema
/// version 1 stands.
#[test]
fn a_clue_recorded_without_a_task_force_reads_as_none() {
    let mut json = serde_json::to_value(clue_registered()).expect("json");
    if let Some(fields) = json["ClueRegistered"].as_object_mut() {
        fields.remove("task_force");
    }
    let event: CaseEvent = serde_json::from_value(json).expect("an older clue");
    assert!(matches!(
        event,
        CaseEvent::ClueRegistered {
            task_force: None,
            ..
        }
    ));
}
