//! An item's code, category and units checked against its task force in the campaign in force
//! (DOMAIN.md, "The issue list"); a closed campaign takes no new item.

use std::sync::Arc;

use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;

use super::fixtures::*;
use crate::campaign::{Campaign, CampaignEvent};
use crate::item::*;
use crate::services::{DomainServices, SettingsFuture, SettingsSource};
use crate::settings::CampaignSettings;
use crate::testing::campaigns::test_campaign;
use crate::values::{CampaignId, ItemCode, TaskForceId, Uri};

fn register_with(change: impl FnOnce(&mut RegisterItem)) -> ItemCommand {
    let mut body = register_body();
    change(&mut body);
    ItemCommand::Register(body)
}

fn refused_registration(body: ItemCommand, error: ItemError) {
    framework()
        .given_no_previous_events()
        .when(cmd(local(2026, 3, 2, 9, 0), sec(), body))
        .then_expect_error(error);
}

#[test]
fn the_code_is_the_task_forces_prefix_and_the_campaigns_year() {
    for code in ["XYC-2026-0001", "YB-2025-0001"] {
        refused_registration(
            register_with(|r| r.code = ItemCode::parse(code).expect("valid")),
            ItemError::CodeMismatch {
                code: ItemCode::parse(code).expect("valid"),
                expected: "YB-2026-NNNN".into(),
            },
        );
    }
}

#[test]
fn the_category_comes_from_the_task_forces_vocabulary() {
    // 克扣 is a school-meal category, not the medical-insurance task force's.
    refused_registration(
        register_with(|r| r.category = text("克扣")),
        ItemError::UnknownCategory {
            category: text("克扣"),
            task_force: yibao(),
        },
    );
}

#[test]
fn the_task_force_must_be_the_campaigns() {
    let ghost = TaskForceId::parse("ghost").expect("valid");
    let directory = directory().with_role(
        sec(),
        crate::organisation::Role::Secretariat {
            task_force: ghost.clone(),
        },
    );
    TestFramework::<Item>::with(DomainServices {
        directory: Arc::new(directory),
        ..crate::testing::services(super::fixtures::directory()).0
    })
    .given_no_previous_events()
    .when(cmd(
        local(2026, 3, 2, 9, 0),
        sec(),
        register_with(|r| r.task_force = ghost.clone()),
    ))
    .then_expect_error(ItemError::UnknownTaskForce(ghost));
}

#[test]
fn the_responsible_unit_is_a_member_of_the_task_force() {
    // jiwei (the supervising unit of the fixtures) is no member of the medical-insurance
    // task force; its officer cannot be made responsible, at assignment or by reassignment.
    let outsider = person("jw-officer");
    let directory = directory().with_member(supervising_unit(), outsider.clone());
    let services = DomainServices {
        directory: Arc::new(directory),
        ..crate::testing::services(super::fixtures::directory()).0
    };
    let refused = ItemError::UnitNotInTaskForce {
        unit: supervising_unit(),
        task_force: yibao(),
    };
    TestFramework::<Item>::with(services.clone())
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            sec(),
            ItemCommand::Assign(AssignItem {
                responsible_unit: supervising_unit(),
                responsible_person: outsider.clone(),
                ..assign_body()
            }),
        ))
        .then_expect_error(refused.clone());
    TestFramework::<Item>::with(services)
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 10, 10, 0),
            sec(),
            ItemCommand::Reassign {
                responsible_unit: supervising_unit(),
                responsible_person: outsider,
                reason: text("改派纪委"),
            },
        ))
        .then_expect_error(refused);
}

/// The test campaign, closed with its final report.
#[derive(Clone)]
struct ClosedCampaign;

fn closed_campaign(id: &CampaignId) -> Campaign {
    let mut campaign = test_campaign(id, CampaignSettings::default());
    campaign.apply(CampaignEvent::CampaignClosed {
        report: Uri::parse("https://files.example/final-report.pdf").expect("valid"),
        summary: text("收官"),
        by: person("admin-1"),
        at: local(2026, 3, 1, 9, 0),
    });
    campaign
}

impl SettingsSource for ClosedCampaign {
    fn campaign(&self, id: &CampaignId) -> Option<Arc<Campaign>> {
        Some(Arc::new(closed_campaign(id)))
    }

    fn in_force<'a>(&'a self, _campaigns: &'a [CampaignId]) -> SettingsFuture<'a> {
        let view: Arc<dyn SettingsSource> = Arc::new(self.clone());
        Box::pin(async move { Ok(view) })
    }
}

#[test]
fn a_closed_campaign_takes_no_new_item() {
    TestFramework::<Item>::with(DomainServices {
        settings: Arc::new(ClosedCampaign),
        ..crate::testing::services(directory()).0
    })
    .given_no_previous_events()
    .when(cmd(
        local(2026, 3, 2, 9, 0),
        sec(),
        ItemCommand::Register(register_body()),
    ))
    .then_expect_error(ItemError::CampaignClosed {
        campaign: campaign(),
        closed_at: local(2026, 3, 1, 9, 0),
    });
}
