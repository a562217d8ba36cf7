//! Progress reports.

use super::fixtures::*;
use crate::item::*;
use crate::permission::Party;
use crate::values::Percent;

#[test]
fn the_unit_reports_progress() {
    let at = local(2026, 3, 10, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, li(), progress_body()))
        .then_expect_events(vec![ItemEvent::ProgressReported {
            text: text("已核查病历 80 份"),
            percent: Percent::parse(40).expect("valid"),
            evidence: vec![evidence()],
            by: li(),
            at,
        }]);
}

#[test]
fn progress_is_refused_to_outsiders_and_before_acknowledgement() {
    framework()
        .given(in_progress())
        .when(cmd(local(2026, 3, 10, 9, 0), sec(), progress_body()))
        .then_expect_error(ItemError::Forbidden {
            actor: sec(),
            request: ItemRequest::ReportProgress,
            needs: Party::MemberOf {
                unit: responsible_unit(),
            },
        });
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(local(2026, 3, 10, 9, 0), zhang(), progress_body()))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Assigned,
            request: ItemRequest::ReportProgress,
        });
}
