//! A case may be worked by a joint case team (专案组) of departments, e.g. public security
//! and health with the medical-insurance bureau.

use super::fixtures::*;
use crate::case::*;
use crate::event::Scoped;
use crate::testing::fixtures::replay;

fn team(units: &[&str]) -> CaseCommand {
    CaseCommand::RecordJointTeam {
        units: units.iter().map(|u| unit(u)).collect(),
    }
}

fn team_recorded(units: &[&str]) -> CaseEvent {
    CaseEvent::JointTeamRecorded {
        units: units.iter().map(|u| unit(u)).collect(),
        by: secretary(),
        at: at(NOW),
    }
}

#[test]
fn a_joint_team_of_departments_is_recorded_on_an_open_case() {
    let members = [
        "county-public-security-bureau",
        "county-health-commission",
        "county-healthcare-security-bureau",
    ];
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(team(&members)))
        .then_expect_events(vec![team_recorded(&members)]);
    let case: Case = replay(vec![clue_registered(), opened(), team_recorded(&members)]);
    assert_eq!(case.joint_team.len(), 3);
    // The team's departments are in the scope of the case's events.
    let scope = case.scope();
    assert!(scope.units.contains(&unit("county-public-security-bureau")));
    assert!(scope.units.contains(&unit("county-health-commission")));
}

#[test]
fn a_joint_team_names_two_departments_or_more_each_once() {
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(team(&["a-bureau", "b-bureau", "a-bureau"])))
        .then_expect_events(vec![team_recorded(&["a-bureau", "b-bureau"])]);
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(team(&["a-bureau", "a-bureau"])))
        .then_expect_error(CaseError::JointTeamTooSmall { units: 1 });
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(team(&[])))
        .then_expect_error(CaseError::JointTeamTooSmall { units: 0 });
}

#[test]
fn a_joint_team_works_an_open_case_and_a_later_record_replaces_it() {
    framework()
        .given(vec![clue_registered()])
        .when(cmd(team(&["a-bureau", "b-bureau"])))
        .then_expect_error(invalid("clue_registered", "record_joint_team"));
    framework()
        .given(closed_case())
        .when(cmd(team(&["a-bureau", "b-bureau"])))
        .then_expect_error(invalid("closed", "record_joint_team"));
    let case: Case = replay(vec![
        clue_registered(),
        opened(),
        team_recorded(&["a-bureau", "b-bureau"]),
        team_recorded(&["a-bureau", "c-bureau"]),
    ]);
    assert_eq!(case.joint_team, vec![unit("a-bureau"), unit("c-bureau")]);
}
