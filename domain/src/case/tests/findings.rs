//! An investigation's findings name the persons found responsible and the amount involved
//! (涉案金额), exact to the fen.

use super::fixtures::*;
use crate::case::*;
use crate::testing::fixtures::replay;

fn conclude_direct() -> CaseCommand {
    CaseCommand::ConcludeInvestigation {
        track: InvestigationTrack::Direct,
        findings: text("科室主任指使虚构住院 37 人次"),
        persons_named: vec![
            person("wang-director"),
            person("li-accountant"),
            person("wang-director"),
        ],
        amount_involved: yuan("386500.5"),
        disposition: Disposition::JudicialTransfer,
    }
}

#[test]
fn findings_name_each_person_once_and_the_amount_involved() {
    let given = vec![
        clue_registered(),
        opened(),
        started(InvestigationTrack::Direct),
    ];
    let expected = CaseEvent::InvestigationConcluded {
        track: InvestigationTrack::Direct,
        findings: text("科室主任指使虚构住院 37 人次"),
        persons_named: vec![person("wang-director"), person("li-accountant")],
        amount_involved: yuan("386500.50"),
        disposition: Disposition::JudicialTransfer,
        by: secretary(),
        at: at(NOW),
    };
    framework()
        .given(given.clone())
        .when(cmd(conclude_direct()))
        .then_expect_events(vec![expected.clone()]);

    let mut history = given;
    history.push(expected.clone());
    let case: Case = replay(history);
    assert!(matches!(
        case.investigation(InvestigationTrack::Direct),
        Investigation::Concluded { persons_named, amount_involved, .. }
            if persons_named.len() == 2 && amount_involved.fen() == 38_650_050
    ));

    // On the wire the amount is a decimal string, never a float.
    let json = serde_json::to_value(&expected).ok();
    assert_eq!(
        json.as_ref()
            .and_then(|v| v.pointer("/InvestigationConcluded/amount_involved"))
            .cloned(),
        Some(serde_json::json!("386500.50"))
    );
    assert_eq!(
        json.as_ref()
            .and_then(|v| v.pointer("/InvestigationConcluded/persons_named"))
            .cloned(),
        Some(serde_json::json!(["wang-director", "li-accountant"]))
    );
}

#[test]
fn an_amount_in_a_command_is_a_decimal_string_with_at_most_two_fractional_digits() {
    let command = |amount: serde_json::Value| {
        serde_json::from_value::<CaseCommand>(serde_json::json!({
            "type": "conclude_investigation",
            "track": "supervisory",
            "findings": "监管缺位",
            "persons_named": [],
            "amount_involved": amount,
            "disposition": "organisational_handling",
        }))
    };
    assert!(command(serde_json::json!("0")).is_ok());
    assert!(command(serde_json::json!("1200.05")).is_ok());
    assert!(command(serde_json::json!(1200.05)).is_err());
    assert!(command(serde_json::json!("1200.055")).is_err());
    assert!(command(serde_json::json!("-1")).is_err());
}
