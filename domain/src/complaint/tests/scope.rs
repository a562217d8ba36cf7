//! Where the complaint's events belong: its campaign, its field's task force (recorded at
//! receipt), its field and its units — what the executor writes into every event's metadata.

use super::fixtures::*;
use crate::complaint::*;
use crate::event::Scoped;
use crate::settings::Field;
use crate::values::TaskForceId;

#[test]
fn the_receipt_records_the_task_force_of_the_complaints_field() {
    let events = framework()
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, receive(Field::MedicalInsurance, None)))
        .inspect_result()
        .expect("received");
    assert!(matches!(
        &events[..],
        [ComplaintEvent::Received { task_force: Some(task_force), .. }]
            if task_force.as_str() == "yibao"
    ));
}

#[test]
fn the_scope_names_the_task_force_recorded_at_receipt() {
    let complaint = fold(vec![
        received(),
        transferred("county-education-bureau", "market-regulation"),
    ]);
    let scope = complaint.scope();
    assert_eq!(scope.campaign, Some(campaign()));
    assert_eq!(scope.task_force, Some(xiaoyuan()));
    assert_eq!(scope.field, Some(Field::SchoolMeals));
    assert_eq!(
        scope.units,
        vec![unit("county-education-bureau"), unit("market-regulation")]
    );
}

/// A complaint must never be lost: one in a field the campaign has no task force for is
/// received all the same, and its scope names no task force.
#[test]
fn a_complaint_in_a_field_without_a_task_force_is_received_without_one() {
    let events = framework()
        .given_no_previous_events()
        .when(cmd_at(
            RECEIVED,
            receive(Field::Other("食品安全".into()), None),
        ))
        .inspect_result()
        .expect("received");
    assert!(matches!(
        &events[..],
        [ComplaintEvent::Received {
            task_force: None,
            ..
        }]
    ));
    assert_eq!(fold(events).scope().task_force, None::<TaskForceId>);
}

/// Receipts recorded before the task force was: read as none, so schema version 1 stands.
#[test]
fn a_receipt_recorded_without_a_task_force_reads_as_none() {
    let mut json = serde_json::to_value(received()).expect("json");
    if let Some(fields) = json["Received"].as_object_mut() {
        fields.remove("task_force");
    }
    let event: ComplaintEvent = serde_json::from_value(json).expect("an older receipt");
    assert!(matches!(
        event,
        ComplaintEvent::Received {
            task_force: None,
            ..
        }
    ));
}
