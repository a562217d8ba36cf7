//! Registering the clue and opening the case.

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::case::*;
use crate::settings::Field;
use crate::values::{CaseId, ClueId, ComplaintId};

#[test]
fn a_clue_from_a_data_alert_is_registered_with_the_alerting_systems_reference() {
    let mut expected = clue_registered();
    if let CaseEvent::ClueRegistered {
        at: registered_at, ..
    } = &mut expected
    {
        *registered_at = at(NOW);
    }
    framework()
        .given_no_previous_events()
        .when(cmd(register()))
        .then_expect_events(vec![expected]);
}

#[test]
fn a_clue_from_a_complaint_names_the_complaint() {
    let body = CaseCommand::RegisterClue {
        campaign: campaign(),
        case: CaseId::parse("case-2").expect("id"),
        clue: ClueId::parse("clue-2").expect("id"),
        source: ClueSource::Complaint {
            complaint: ComplaintId::parse("cmp-9").expect("id"),
        },
        field: Field::SchoolMeals,
        summary: text("食堂食材以次充好"),
    };
    let events = framework()
        .given_no_previous_events()
        .when(cmd(body))
        .inspect_result()
        .expect("registered");
    assert!(matches!(
        &events[..],
        [CaseEvent::ClueRegistered { source: ClueSource::Complaint { complaint }, .. }]
            if complaint.as_str() == "cmp-9"
    ));
}

#[test]
fn a_clue_for_an_unknown_campaign_is_refused() {
    let services = without_campaigns(default_services());
    TestFramework::<Case>::with(services)
        .given_no_previous_events()
        .when(cmd(register()))
        .then_expect_error(CaseError::UnknownCampaign {
            campaign: campaign(),
        });
}

#[test]
fn a_clue_cannot_be_registered_twice_in_one_stream() {
    framework()
        .given(vec![clue_registered()])
        .when(cmd(register()))
        .then_expect_error(invalid("clue_registered", "register_clue"));
}

// ---- open case ----

#[test]
fn a_case_is_opened_on_a_registered_clue() {
    framework()
        .given(vec![clue_registered()])
        .when(cmd(CaseCommand::OpenCase {
            subject_unit: unit("xx-health-center"),
            supervising_unit: unit("county-healthcare-security-bureau"),
        }))
        .then_expect_events(vec![CaseEvent::CaseOpened {
            subject_unit: unit("xx-health-center"),
            supervising_unit: unit("county-healthcare-security-bureau"),
            by: secretary(),
            at: at(NOW),
        }]);
}

#[test]
fn a_case_needs_a_clue_and_opens_once() {
    let open = || CaseCommand::OpenCase {
        subject_unit: unit("a"),
        supervising_unit: unit("b"),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(open()))
        .then_expect_error(invalid("not_registered", "open_case"));
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(open()))
        .then_expect_error(invalid("open", "open_case"));
}
