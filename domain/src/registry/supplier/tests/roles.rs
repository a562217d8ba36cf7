//! Who keeps the supplier blacklist (DOMAIN.md "Roles and permissions"): the secretariat of the
//! state-assets task force (`sec-guoqi`) lists and removes; the trading platform, or that
//! secretariat, checks an award; nobody else.

use cqrs_es::test::TestFramework;

use super::*;
use crate::organisation::IntegratorKind;
use crate::permission::{Forbidden, Party};
use crate::testing::fixtures::person;
use crate::testing::{roles_directory, services};
use crate::values::TaskForceId;

fn framework_with_roles() -> TestFramework<Supplier> {
    TestFramework::with(services(roles_directory()).0)
}

fn by(actor: &str, body: SupplierCommand) -> Command<SupplierCommand> {
    Command::new(
        Stamp {
            at: at(NOW),
            actor: person(actor),
        },
        body,
    )
}

fn guoqi() -> Party {
    Party::secretariat(&TaskForceId::parse("guoqi").expect("id"))
}

fn trading_platform() -> Party {
    Party::Integrator {
        kind: IntegratorKind::TradingPlatform,
    }
}

fn forbidden(actor: &str, request: &'static str, needs: Party) -> SupplierError {
    SupplierError::Forbidden(Forbidden {
        actor: person(actor),
        request,
        request_label: SupplierCommand::label_of(request),
        needs,
    })
}

fn listing() -> SupplierCommand {
    blacklist(date(2026, 3, 1), date(2026, 8, 31))
}

#[test]
fn the_state_assets_secretariat_blacklists_and_nobody_else() {
    for actor in [
        "sec-yibao",
        "trading_platform-app",
        "jiwei-officer",
        "minzheng-officer",
    ] {
        framework_with_roles()
            .given_no_previous_events()
            .when(by(actor, listing()))
            .then_expect_error(forbidden(actor, "blacklist", guoqi()));
    }
    let events = framework_with_roles()
        .given_no_previous_events()
        .when(by("sec-guoqi", listing()))
        .inspect_result()
        .expect("the state-assets secretariat lists");
    assert!(matches!(
        events.as_slice(),
        [SupplierEvent::Blacklisted { by, .. }] if *by == person("sec-guoqi")
    ));
}

#[test]
fn the_state_assets_secretariat_removes_a_listing_and_nobody_else() {
    let remove = || SupplierCommand::RemoveFromBlacklist {
        reason: text("处理决定已撤销"),
    };
    for actor in ["sec-yibao", "trading_platform-app"] {
        framework_with_roles()
            .given(vec![listed()])
            .when(by(actor, remove()))
            .then_expect_error(forbidden(actor, "remove_from_blacklist", guoqi()));
    }
    let events = framework_with_roles()
        .given(vec![listed()])
        .when(by("sec-guoqi", remove()))
        .inspect_result()
        .expect("the state-assets secretariat removes");
    assert!(matches!(
        events.as_slice(),
        [SupplierEvent::RemovedFromBlacklist { .. }]
    ));
}

#[test]
fn the_trading_platform_or_the_state_assets_secretariat_checks_an_award() {
    let later = "2026-09-02T02:00:00Z";
    for actor in ["trading_platform-app", "sec-guoqi"] {
        let events = framework_with_roles()
            .given(vec![listed()])
            .when(Command::new(
                Stamp {
                    at: at(later),
                    actor: person(actor),
                },
                check(),
            ))
            .inspect_result()
            .expect("cleared after the period");
        assert!(matches!(
            events.as_slice(),
            [SupplierEvent::AwardCleared { by, .. }] if *by == person(actor)
        ));
    }
    for actor in ["meal_app-app", "sec-yibao", "jiwei-officer"] {
        framework_with_roles()
            .given(vec![listed()])
            .when(by(actor, check()))
            .then_expect_error(forbidden(
                actor,
                "check_award",
                trading_platform().or(guoqi()),
            ));
    }
}

/// A supplier never listed names no campaign, so no state-assets secretariat: the check is
/// the trading platform's alone.
#[test]
fn only_the_trading_platform_checks_an_award_for_a_supplier_never_listed() {
    let events = framework_with_roles()
        .given_no_previous_events()
        .when(by("trading_platform-app", check()))
        .inspect_result()
        .expect("the platform checks");
    assert!(matches!(
        events.as_slice(),
        [SupplierEvent::AwardCleared { .. }]
    ));
    for actor in ["sec-guoqi", "meal_app-app", "sec-yibao"] {
        framework_with_roles()
            .given_no_previous_events()
            .when(by(actor, check()))
            .then_expect_error(forbidden(actor, "check_award", trading_platform()));
    }
}
