//! 收官 — closing a campaign with its final report; a closed campaign is final.

use super::fixtures::*;
use crate::campaign::*;
use crate::settings::{CampaignSettings, Field};
use crate::values::Uri;

fn report() -> Uri {
    Uri::parse("https://files.example/qunfu-2026/final-report.pdf").expect("valid")
}

fn close() -> CampaignCommand {
    CampaignCommand::CloseCampaign {
        report: report(),
        summary: text("县整治办〔2026〕30号：立行立改问题 412 个，追回资金 1260 万元"),
    }
}

fn campaign_closed() -> CampaignEvent {
    CampaignEvent::CampaignClosed {
        report: report(),
        summary: text("县整治办〔2026〕30号：立行立改问题 412 个，追回资金 1260 万元"),
        by: secretary(),
        at: at(),
    }
}

#[test]
fn closes_a_campaign_with_its_final_report() {
    framework()
        .given(vec![created(), task_force_added()])
        .when(cmd(close()))
        .then_expect_events(vec![campaign_closed()]);
    let open: Campaign = replay(vec![created()]);
    assert!(!open.is_closed());
    let closed: Campaign = replay(vec![created(), campaign_closed()]);
    assert!(closed.is_closed());
    let closure = closed.closure().expect("closed");
    assert_eq!(
        (&closure.report, &closure.closed_by, closure.closed_at),
        (&report(), &secretary(), at())
    );
}

#[test]
fn a_missing_campaign_cannot_be_closed() {
    framework()
        .given_no_previous_events()
        .when(cmd(close()))
        .then_expect_error(CampaignError::NotFound);
}

#[test]
fn a_closed_campaign_refuses_changes_to_what_it_owns() {
    let history = || vec![created(), task_force_added(), campaign_closed()];
    let refused = CampaignError::Closed { closed_at: at() };
    for body in [
        close(),
        CampaignCommand::ChangeSettings {
            settings: CampaignSettings {
                max_extensions: 1,
                ..CampaignSettings::default()
            },
        },
        CampaignCommand::AddTaskForce {
            task_force: tf("xiaoyuancan"),
            field: Field::SchoolMeals,
            name: text("校园餐专班"),
            lead: person("vice-head-zhao"),
            prefix: prefix("XYC"),
            categories: vec![crate::values::Text::parse("欺诈骗保").expect("valid")],
        },
        CampaignCommand::AddTaskForceMember {
            task_force: tf("yibao"),
            unit: unit("yibao-ju"),
        },
    ] {
        framework()
            .given(history())
            .when(cmd(body))
            .then_expect_error(refused.clone());
    }
}

#[test]
fn the_closure_round_trips_and_is_named() {
    use cqrs_es::DomainEvent;
    assert_eq!(campaign_closed().event_type(), "rectiflow.campaign.closed");
    crate::testing::fixtures::assert_round_trips(&campaign_closed());
    assert_eq!(
        CampaignError::Closed { closed_at: at() }.code(),
        "campaign.closed"
    );
}
