//! 结转 into a campaign read as in force: it must be open, of the same year or later, have the
//! task force the item goes to, and count the unit answering for the item among its members.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;

use super::fixtures::*;
use crate::campaign::{Campaign, CampaignEvent, ItemPrefix};
use crate::item::*;
use crate::services::{DomainServices, SettingsFuture, SettingsSource};
use crate::settings::{CampaignSettings, Field};
use crate::testing::campaigns::test_campaign;
use crate::values::{CampaignId, TaskForceId, Uri};

/// The next campaign as a test states it.
#[derive(Clone)]
struct Target {
    year: u16,
    task_force: &'static str,
    members: &'static [&'static str],
    closed: bool,
}

impl Target {
    fn open_2027() -> Self {
        Self {
            year: 2027,
            task_force: "yibao-2027",
            members: &["yibao-ju"],
            closed: false,
        }
    }

    fn campaign(&self) -> Campaign {
        let (by, at) = (person("admin-1"), DateTime::<Utc>::UNIX_EPOCH);
        let mut campaign = Campaign::default();
        campaign.apply(CampaignEvent::CampaignCreated {
            campaign: next_campaign(),
            name: text("2027 群腐整治"),
            year: self.year,
            settings: CampaignSettings::default(),
            by: by.clone(),
            at,
        });
        let task_force = TaskForceId::parse(self.task_force).expect("valid");
        campaign.apply(CampaignEvent::TaskForceAdded {
            task_force: task_force.clone(),
            field: Field::MedicalInsurance,
            name: text("医保基金专班"),
            lead: person("deputy-head"),
            prefix: ItemPrefix::parse("YB").expect("valid"),
            categories: vec![text("欺诈骗保")],
            by: by.clone(),
            at,
        });
        for member in self.members {
            campaign.apply(CampaignEvent::TaskForceMemberAdded {
                task_force: task_force.clone(),
                unit: unit(member),
                by: by.clone(),
                at,
            });
        }
        if self.closed {
            campaign.apply(CampaignEvent::CampaignClosed {
                report: Uri::parse("https://files.example/2027.pdf").expect("valid"),
                summary: text("收官"),
                by,
                at,
            });
        }
        campaign
    }
}

impl SettingsSource for Target {
    fn campaign(&self, id: &CampaignId) -> Option<Arc<Campaign>> {
        if id == &next_campaign() {
            Some(Arc::new(Target::campaign(self)))
        } else {
            Some(Arc::new(test_campaign(id, CampaignSettings::default())))
        }
    }

    fn in_force<'a>(&'a self, _campaigns: &'a [CampaignId]) -> SettingsFuture<'a> {
        let view: Arc<dyn SettingsSource> = Arc::new(self.clone());
        Box::pin(async move { Ok(view) })
    }
}

fn next_campaign() -> CampaignId {
    CampaignId::parse("qunfu-2027").expect("valid")
}

fn framework_into(target: Target) -> TestFramework<Item> {
    TestFramework::with(DomainServices {
        settings: Arc::new(target),
        ..crate::testing::services(directory()).0
    })
}

fn carry_over_to(task_force: &str) -> ItemCommand {
    ItemCommand::CarryOver {
        to: next_campaign(),
        task_force: Some(TaskForceId::parse(task_force).expect("valid")),
        reason: text("转入 2027 年度"),
    }
}

#[test]
fn the_item_joins_the_named_task_force_of_the_later_campaign() {
    let at = local(2026, 3, 20, 9, 0);
    framework_into(Target::open_2027())
        .given(in_progress())
        .when(cmd(at, sec(), carry_over_to("yibao-2027")))
        .then_expect_events(vec![ItemEvent::ItemCarriedOver {
            from: campaign(),
            to: next_campaign(),
            task_force: TaskForceId::parse("yibao-2027").expect("valid"),
            reason: text("转入 2027 年度"),
            by: sec(),
            at,
        }]);
}

#[test]
fn a_closed_or_earlier_campaign_takes_no_item() {
    let at = local(2026, 3, 20, 9, 0);
    framework_into(Target {
        closed: true,
        ..Target::open_2027()
    })
    .given(in_progress())
    .when(cmd(at, sec(), carry_over_to("yibao-2027")))
    .then_expect_error(ItemError::CampaignClosed {
        campaign: next_campaign(),
        closed_at: DateTime::<Utc>::UNIX_EPOCH,
    });
    framework_into(Target {
        year: 2025,
        ..Target::open_2027()
    })
    .given(in_progress())
    .when(cmd(at, sec(), carry_over_to("yibao-2027")))
    .then_expect_error(ItemError::NotALaterCampaign(next_campaign()));
}

#[test]
fn the_task_force_and_its_members_are_the_target_campaigns() {
    let at = local(2026, 3, 20, 9, 0);
    // Without a task force named, the item looks for its own (yibao): 2027 has none of that id.
    framework_into(Target::open_2027())
        .given(in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::CarryOver {
                to: next_campaign(),
                task_force: None,
                reason: text("转入 2027 年度"),
            },
        ))
        .then_expect_error(ItemError::UnknownTaskForce(
            TaskForceId::parse("yibao").expect("valid"),
        ));
    framework_into(Target {
        members: &["weijian-ju"],
        ..Target::open_2027()
    })
    .given(in_progress())
    .when(cmd(at, sec(), carry_over_to("yibao-2027")))
    .then_expect_error(ItemError::UnitNotInTaskForce {
        unit: responsible_unit(),
        task_force: TaskForceId::parse("yibao-2027").expect("valid"),
    });
}
