//! 黑名单: a violating home is listed with grounds and a period, and removed with a reason.

use super::fixtures::*;

fn blacklist(until: &str) -> CareHomeCommand {
    CareHomeCommand::Blacklist {
        campaign: campaign(),
        reason: text("克扣老人伙食费，整改逾期未完成"),
        until: deadline(until),
    }
}

fn listed() -> CareHomeEvent {
    CareHomeEvent::Blacklisted {
        campaign: campaign(),
        reason: text("克扣老人伙食费，整改逾期未完成"),
        until: deadline("2027-05-05"),
        listed_until: at("2027-05-05T16:00:00Z"),
        by: inspector(),
        at: at(AFTER),
    }
}

#[test]
fn a_home_with_a_violation_is_blacklisted_for_a_period() {
    framework()
        .given(failed())
        .when(cmd_at(AFTER, blacklist("2027-05-05")))
        .then_expect_events(vec![listed()]);
    let mut history = failed();
    history.push(listed());
    let home = crate::testing::fixtures::replay::<CareHome>(history);
    assert!(home.is_blacklisted_at(at("2027-05-05T15:59:59Z")));
    assert!(!home.is_blacklisted_at(at("2027-05-05T16:00:00Z")));
}

#[test]
fn only_a_violating_home_is_listed_and_only_once_at_a_time() {
    framework()
        .given(vec![inspected(scores(90.0, 90.0, 90.0), 90.0, 5)])
        .when(cmd_at(AFTER, blacklist("2027-05-05")))
        .then_expect_error(CareHomeError::NoViolation);
    let mut history = failed();
    history.push(listed());
    framework()
        .given(history.clone())
        .when(cmd_at(AFTER, blacklist("2027-12-31")))
        .then_expect_error(CareHomeError::AlreadyBlacklisted {
            until: deadline("2027-05-05"),
        });
    framework()
        .given(failed())
        .when(cmd_at(AFTER, blacklist("2026-05-01")))
        .then_expect_error(CareHomeError::DeadlinePassed {
            deadline: deadline("2026-05-01"),
        });
}

#[test]
fn a_listed_home_is_removed_with_a_reason() {
    let remove = CareHomeCommand::RemoveFromBlacklist {
        reason: text("复核确认整改到位"),
    };
    let mut history = failed();
    history.push(listed());
    framework()
        .given(history)
        .when(cmd_at(AFTER, remove.clone()))
        .then_expect_events(vec![CareHomeEvent::RemovedFromBlacklist {
            reason: text("复核确认整改到位"),
            by: inspector(),
            at: at(AFTER),
        }]);
    framework()
        .given(failed())
        .when(cmd_at(AFTER, remove))
        .then_expect_error(CareHomeError::NotBlacklisted);
}
