//! A substantiated complaint that becomes a clue names the case stream the clue is registered
//! on, so the policy that registers it addresses that stream and no other.

use crate::command::Addressed;
use crate::complaint::{FollowUp, Resolution};
use crate::values::{CaseId, ClueId, ComplaintId};

use super::fixtures::*;
use crate::case::*;
use crate::settings::Field;

#[test]
fn a_complaints_clue_follow_up_names_the_case_stream_it_opens() {
    let follow_up = FollowUp::Clue {
        clue: ClueId::parse("clue-9").expect("id"),
        case: CaseId::parse("case-9").expect("id"),
    };
    assert_eq!(
        serde_json::to_value(&follow_up).ok(),
        Some(serde_json::json!({"kind": "clue", "clue": "clue-9", "case": "case-9"}))
    );
    // A clue follow-up without its case stream is not a follow-up.
    let resolution = serde_json::from_value::<Resolution>(serde_json::json!({
        "outcome": "substantiated",
        "finding": "查实",
        "follow_up": {"kind": "clue", "clue": "clue-9"},
    }));
    assert!(resolution.is_err());

    // The clue registered from it is addressed to the named stream.
    let FollowUp::Clue { clue, case } = follow_up else {
        unreachable!("built as a clue above")
    };
    let register = CaseCommand::RegisterClue {
        campaign: campaign(),
        case: case.clone(),
        clue,
        source: ClueSource::Complaint {
            complaint: ComplaintId::parse("cmp-9").expect("id"),
        },
        field: Field::SchoolMeals,
        summary: text("食堂食材以次充好"),
    };
    assert_eq!(register.addressed_to(), Some(case.as_str()));
}
