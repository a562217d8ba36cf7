//! The two investigations (一案双查).

use super::fixtures::*;
use crate::case::*;
use crate::values::Yuan;

#[test]
fn each_investigation_is_started_on_an_open_case() {
    for track in InvestigationTrack::ALL {
        framework()
            .given(vec![clue_registered(), opened()])
            .when(cmd(CaseCommand::StartInvestigation { track }))
            .then_expect_events(vec![CaseEvent::InvestigationStarted {
                track,
                by: secretary(),
                at: at(NOW),
            }]);
    }
}

#[test]
fn an_investigation_needs_an_open_case_and_starts_once() {
    let start = CaseCommand::StartInvestigation {
        track: InvestigationTrack::Direct,
    };
    framework()
        .given(vec![clue_registered()])
        .when(cmd(start.clone()))
        .then_expect_error(invalid("clue_registered", "start_investigation"));
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Direct),
        ])
        .when(cmd(start.clone()))
        .then_expect_error(CaseError::InvestigationAlreadyStarted {
            track: InvestigationTrack::Direct,
        });
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Direct),
            concluded(InvestigationTrack::Direct),
        ])
        .when(cmd(start))
        .then_expect_error(CaseError::InvestigationAlreadyConcluded {
            track: InvestigationTrack::Direct,
        });
}

#[test]
fn an_investigation_concludes_with_findings_and_a_disposition() {
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Supervisory),
        ])
        .when(cmd(CaseCommand::ConcludeInvestigation {
            track: InvestigationTrack::Supervisory,
            findings: text("医保局日常监管缺位"),
            persons_named: vec![],
            amount_involved: Yuan::ZERO,
            disposition: Disposition::OrganisationalHandling,
        }))
        .then_expect_events(vec![CaseEvent::InvestigationConcluded {
            track: InvestigationTrack::Supervisory,
            findings: text("医保局日常监管缺位"),
            persons_named: vec![],
            amount_involved: Yuan::ZERO,
            disposition: Disposition::OrganisationalHandling,
            by: secretary(),
            at: at(NOW),
        }]);
}

#[test]
fn an_investigation_concludes_only_once_after_starting() {
    let conclude = || CaseCommand::ConcludeInvestigation {
        track: InvestigationTrack::Direct,
        findings: text("查实"),
        persons_named: vec![person("wang-director")],
        amount_involved: yuan("1200.50"),
        disposition: Disposition::JudicialTransfer,
    };
    framework()
        .given(vec![clue_registered()])
        .when(cmd(conclude()))
        .then_expect_error(invalid("clue_registered", "conclude_investigation"));
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(conclude()))
        .then_expect_error(CaseError::InvestigationNotStarted {
            track: InvestigationTrack::Direct,
        });
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Direct),
            concluded(InvestigationTrack::Direct),
        ])
        .when(cmd(conclude()))
        .then_expect_error(CaseError::InvestigationAlreadyConcluded {
            track: InvestigationTrack::Direct,
        });
}
