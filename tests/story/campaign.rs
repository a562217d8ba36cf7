//! Chapter one: the administrator sets up the campaign — its settings (the education bureau
//! answers school-meal complaints), and one task force per field the story touches, each with
//! its item-code prefix, the source's vocabulary of problem categories and its member units
//! (units of the organisation, from chapter zero). Every later decision reads this campaign
//! from the store as it stands.

use rectiflow_domain::campaign::{Campaign, CampaignCommand, ItemPrefix};
use rectiflow_domain::settings::{CampaignSettings, Field, Rhythm};
use rectiflow_domain::values::{TaskForceId, Text};
use rectiflow_tests::{person, unit, Store};

use crate::world::{campaign_id, text, World};

fn tf(id: &str) -> TaskForceId {
    TaskForceId::parse(id).expect("a valid TaskForceId")
}

pub async fn a_campaign_is_set_up_with_its_task_forces<S: Store>(w: &World<S>) {
    let admin = |body| w.ok::<Campaign, _>("admin-wu", "qunfu-2026", body);
    admin(CampaignCommand::CreateCampaign {
        campaign: campaign_id(),
        name: text("2026 群腐整治"),
        year: 2026,
        settings: CampaignSettings {
            school_meal_responder: Some(unit("county-education-bureau")),
            // A 3-day catch-up window (the default is 7): the downtime chapter's dispatch
            // falls out of it within the nine days it is down.
            rhythm: Rhythm {
                dispatch_catch_up_days: 3,
                ..Rhythm::default()
            },
            ..CampaignSettings::default()
        },
    })
    .await;
    for (id, field, name, prefix, members) in [
        (
            "yibao",
            Field::MedicalInsurance,
            "医保基金专班",
            "YB",
            &["county-hospital", "health-bureau"][..],
        ),
        (
            "xiaoyuan",
            Field::SchoolMeals,
            "校园餐专班",
            "XYC",
            &["edu-bureau", "county-education-bureau"][..],
        ),
        (
            "yanglao",
            Field::ElderlyCare,
            "养老服务专班",
            "YL",
            &["civil-affairs", "kangle-care-home"][..],
        ),
    ] {
        let categories: Vec<Text> = field.seed_categories().iter().map(|c| text(c)).collect();
        admin(CampaignCommand::AddTaskForce {
            task_force: tf(id),
            field,
            name: text(name),
            lead: person("deputy-head-sun"),
            prefix: ItemPrefix::parse(prefix).expect("a valid ItemPrefix"),
            categories,
        })
        .await;
        for member in members {
            admin(CampaignCommand::AddTaskForceMember {
                task_force: tf(id),
                unit: unit(member),
            })
            .await;
        }
    }
    // A member unit must be a unit of the organisation.
    let refused = w
        .refused::<Campaign, _>(
            "admin-wu",
            "qunfu-2026",
            CampaignCommand::AddTaskForceMember {
                task_force: tf("yibao"),
                unit: unit("ghost-bureau"),
            },
        )
        .await;
    assert_eq!(refused.code(), "campaign.unknown_unit");
}
