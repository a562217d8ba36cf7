//! A clue is dismissed with reasons, or opened as a case — never both.

use super::fixtures::*;
use crate::case::*;
use crate::values::ClueId;

fn dismiss() -> CaseCommand {
    CaseCommand::DismissClue {
        reasons: text("初核不实：住院记录与监控数据一致"),
    }
}

fn dismissed() -> CaseEvent {
    CaseEvent::ClueDismissed {
        reasons: text("初核不实：住院记录与监控数据一致"),
        by: secretary(),
        at: at("2026-03-02T02:00:00Z"),
    }
}

fn clue_1() -> ClueId {
    ClueId::parse("clue-1").expect("id")
}

#[test]
fn a_clue_is_dismissed_with_reasons() {
    framework()
        .given(vec![clue_registered()])
        .when(cmd(dismiss()))
        .then_expect_events(vec![CaseEvent::ClueDismissed {
            reasons: text("初核不实：住院记录与监控数据一致"),
            by: secretary(),
            at: at(NOW),
        }]);
}

#[test]
fn a_dismissed_clue_cannot_be_opened_as_a_case() {
    framework()
        .given(vec![clue_registered(), dismissed()])
        .when(cmd(CaseCommand::OpenCase {
            subject_unit: unit("xx-health-center"),
            supervising_unit: unit("county-healthcare-security-bureau"),
        }))
        .then_expect_error(CaseError::ClueDismissed { clue: clue_1() });
    assert_eq!(
        CaseError::ClueDismissed { clue: clue_1() }.code(),
        "case.clue_dismissed"
    );
}

#[test]
fn a_clue_is_dismissed_once_and_never_after_a_case_was_opened_on_it() {
    framework()
        .given(vec![clue_registered(), dismissed()])
        .when(cmd(dismiss()))
        .then_expect_error(CaseError::ClueDismissed { clue: clue_1() });
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(dismiss()))
        .then_expect_error(CaseError::ClueAlreadyOpened { clue: clue_1() });
    framework()
        .given(closed_case())
        .when(cmd(dismiss()))
        .then_expect_error(CaseError::ClueAlreadyOpened { clue: clue_1() });
    framework()
        .given_no_previous_events()
        .when(cmd(dismiss()))
        .then_expect_error(invalid("not_registered", "dismiss_clue"));
}

#[test]
fn nothing_of_a_case_happens_on_a_dismissed_clue() {
    framework()
        .given(vec![clue_registered(), dismissed()])
        .when(cmd(CaseCommand::StartInvestigation {
            track: InvestigationTrack::Direct,
        }))
        .then_expect_error(invalid("clue_dismissed", "start_investigation"));
    framework()
        .given(vec![clue_registered(), dismissed()])
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(invalid("clue_dismissed", "close_case"));
}
