//! Given/when/then tests of the supplier blacklist and the award check (一票否决); the
//! parties each request needs in `roles`.

use chrono::NaiveDate;
use cqrs_es::test::TestFramework;

use super::*;
use crate::testing::fixtures::{
    assert_codes_distinct_and_namespaced, assert_round_trips, at, campaign, code, date, officer,
    text,
};
use crate::testing::{default_services, without_campaigns};
use crate::values::CaseId;
use crate::{Command, Stamp};

mod roles;

fn framework() -> TestFramework<Supplier> {
    TestFramework::with(default_services())
}

const NOW: &str = "2026-03-10T02:00:00Z";

fn basis() -> BlacklistBasis {
    BlacklistBasis::Case {
        case: CaseId::parse("case-1").expect("id"),
    }
}

fn cmd_at(when: &str, body: SupplierCommand) -> Command<SupplierCommand> {
    Command::new(
        Stamp {
            at: at(when),
            actor: officer(),
        },
        body,
    )
}

fn cmd(body: SupplierCommand) -> Command<SupplierCommand> {
    cmd_at(NOW, body)
}

fn blacklist(from: NaiveDate, until: NaiveDate) -> SupplierCommand {
    SupplierCommand::Blacklist {
        campaign: campaign(),
        basis: basis(),
        reason: text("围标串标"),
        from,
        until,
    }
}

/// Listed 2026-03-01..=2026-08-31 Beijing time.
fn listed() -> SupplierEvent {
    SupplierEvent::Blacklisted {
        campaign: campaign(),
        basis: basis(),
        reason: text("围标串标"),
        from: date(2026, 3, 1),
        until: date(2026, 8, 31),
        listed_from: at("2026-02-28T16:00:00Z"),
        listed_until: at("2026-08-31T16:00:00Z"),
        by: officer(),
        at: at(NOW),
    }
}

fn check() -> SupplierCommand {
    SupplierCommand::CheckAward {
        procurement_ref: text("GGZY-2026-0815"),
    }
}

fn cleared(when: &str) -> SupplierEvent {
    SupplierEvent::AwardCleared {
        procurement_ref: text("GGZY-2026-0815"),
        by: officer(),
        at: at(when),
    }
}

fn vetoed() -> SupplierError {
    SupplierError::Blacklisted {
        procurement_ref: text("GGZY-2026-0815"),
        basis: basis(),
        until: date(2026, 8, 31),
        listed_until: at("2026-08-31T16:00:00Z"),
    }
}

fn invalid(state: &'static str, request: &'static str) -> SupplierError {
    SupplierError::InvalidTransition { state, request }
}

/// A refusal reads in Chinese: the state and the request by the names users read.
#[test]
fn a_refused_transition_names_the_state_and_the_request_in_chinese() {
    assert_eq!(
        invalid("listed", "blacklist").to_string(),
        "供应商处于“已列入黑名单”状态，不能列入黑名单"
    );
    assert_eq!(
        invalid("not_listed", "remove_from_blacklist").to_string(),
        "供应商处于“未列入黑名单”状态，不能移出黑名单"
    );
}

// ---- blacklist ----

#[test]
fn a_supplier_is_listed_from_local_midnight_to_local_midnight() {
    framework()
        .given_no_previous_events()
        .when(cmd(blacklist(date(2026, 3, 1), date(2026, 8, 31))))
        .then_expect_events(vec![listed()]);
}

#[test]
fn a_listing_may_rest_on_an_item() {
    let result = framework()
        .given_no_previous_events()
        .when(cmd(SupplierCommand::Blacklist {
            campaign: campaign(),
            basis: BlacklistBasis::Item {
                code: code("GZ-2026-0009"),
            },
            reason: text("行贿"),
            from: date(2026, 3, 10),
            until: date(2026, 3, 10),
        }))
        .inspect_result();
    assert!(matches!(
        result.as_deref(),
        Ok([SupplierEvent::Blacklisted {
            basis: BlacklistBasis::Item { .. },
            ..
        }])
    ));
}

#[test]
fn a_listing_needs_a_known_campaign_and_a_period_not_yet_over() {
    let services = without_campaigns(default_services());
    TestFramework::<Supplier>::with(services)
        .given_no_previous_events()
        .when(cmd(blacklist(date(2026, 3, 1), date(2026, 8, 31))))
        .then_expect_error(SupplierError::UnknownCampaign {
            campaign: campaign(),
        });
    framework()
        .given_no_previous_events()
        .when(cmd(blacklist(date(2026, 8, 31), date(2026, 3, 1))))
        .then_expect_error(SupplierError::InvalidPeriod {
            from: date(2026, 8, 31),
            until: date(2026, 3, 1),
        });
    // 2026-03-09 ended at 2026-03-09T16:00Z, before NOW.
    framework()
        .given_no_previous_events()
        .when(cmd(blacklist(date(2026, 1, 1), date(2026, 3, 9))))
        .then_expect_error(SupplierError::PeriodAlreadyOver {
            until: date(2026, 3, 9),
        });
}

#[test]
fn a_listed_supplier_is_not_listed_again_until_its_period_ends() {
    framework()
        .given(vec![listed()])
        .when(cmd(blacklist(date(2026, 3, 1), date(2026, 12, 31))))
        .then_expect_error(invalid("listed", "blacklist"));
    let result = framework()
        .given(vec![listed()])
        .when(cmd_at(
            "2026-09-01T02:00:00Z",
            blacklist(date(2026, 9, 1), date(2026, 12, 31)),
        ))
        .inspect_result();
    assert!(matches!(
        result.as_deref(),
        Ok([SupplierEvent::Blacklisted { .. }])
    ));
}

// ---- remove ----

#[test]
fn a_listed_supplier_is_removed_with_a_reason() {
    framework()
        .given(vec![listed()])
        .when(cmd(SupplierCommand::RemoveFromBlacklist {
            reason: text("处理决定被撤销"),
        }))
        .then_expect_events(vec![SupplierEvent::RemovedFromBlacklist {
            reason: text("处理决定被撤销"),
            by: officer(),
            at: at(NOW),
        }]);
}

#[test]
fn only_a_listed_supplier_is_removed() {
    let remove = || SupplierCommand::RemoveFromBlacklist { reason: text("r") };
    framework()
        .given_no_previous_events()
        .when(cmd(remove()))
        .then_expect_error(invalid("not_listed", "remove_from_blacklist"));
    framework()
        .given(vec![listed()])
        .when(cmd_at("2026-09-01T00:00:00Z", remove()))
        .then_expect_error(invalid("not_listed", "remove_from_blacklist"));
}

// ---- award check (一票否决) ----

#[test]
fn a_supplier_never_listed_is_cleared() {
    framework()
        .given_no_previous_events()
        .when(cmd(check()))
        .then_expect_events(vec![cleared(NOW)]);
}

#[test]
fn a_listed_supplier_cannot_be_awarded_up_to_24_00_of_the_last_day() {
    for when in [NOW, "2026-02-28T16:00:00Z", "2026-08-31T15:59:59Z"] {
        framework()
            .given(vec![listed()])
            .when(cmd_at(when, check()))
            .then_expect_error(vetoed());
    }
    assert_eq!(vetoed().code(), "supplier.blacklisted");
}

#[test]
fn a_supplier_is_cleared_before_and_after_its_period_and_after_removal() {
    for when in ["2026-02-28T15:59:59Z", "2026-08-31T16:00:00Z"] {
        framework()
            .given(vec![listed()])
            .when(cmd_at(when, check()))
            .then_expect_events(vec![cleared(when)]);
    }
    framework()
        .given(vec![
            listed(),
            SupplierEvent::RemovedFromBlacklist {
                reason: text("撤销"),
                by: officer(),
                at: at(NOW),
            },
        ])
        .when(cmd(check()))
        .then_expect_events(vec![cleared(NOW)]);
}

// ---- wire format ----

#[test]
fn events_round_trip_and_error_codes_are_namespaced() {
    for event in [listed(), cleared(NOW)] {
        assert_round_trips(&event);
    }
    let errors = [
        SupplierError::UnknownCampaign {
            campaign: campaign(),
        },
        invalid("listed", "blacklist"),
        SupplierError::InvalidPeriod {
            from: date(2026, 1, 2),
            until: date(2026, 1, 1),
        },
        SupplierError::PeriodAlreadyOver {
            until: date(2026, 1, 1),
        },
        vetoed(),
    ];
    assert_codes_distinct_and_namespaced(&errors, "supplier.");
}
