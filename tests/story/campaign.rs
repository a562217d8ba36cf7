//! Chapter one: the administrator sets up the campaign and its medical-insurance task force
//! (the units it draws on are the organisation's, from chapter zero).

use rectiflow_domain::campaign::{Campaign, CampaignCommand, ItemPrefix};
use rectiflow_domain::settings::{CampaignSettings, Field};
use rectiflow_domain::values::TaskForceId;
use rectiflow_tests::person;

use crate::world::{campaign_id, text, World};
use rectiflow_tests::Store;

pub async fn a_campaign_is_set_up_with_its_task_force<S: Store>(w: &World<S>) {
    w.ok::<Campaign, _>(
        "admin-wu",
        "qunfu-2026",
        CampaignCommand::CreateCampaign {
            campaign: campaign_id(),
            name: text("2026 群腐整治"),
            year: 2026,
            settings: CampaignSettings::default(),
        },
    )
    .await;
    w.ok::<Campaign, _>(
        "admin-wu",
        "qunfu-2026",
        CampaignCommand::AddTaskForce {
            task_force: TaskForceId::parse("yibao").expect("a valid TaskForceId"),
            field: Field::MedicalInsurance,
            name: text("医保基金专班"),
            lead: person("deputy-head-sun"),
            prefix: ItemPrefix::parse("YB").expect("a valid ItemPrefix"),
        },
    )
    .await;
    // Its member units must be units of the organisation.
    for member in ["county-hospital", "health-bureau"] {
        w.ok::<Campaign, _>(
            "admin-wu",
            "qunfu-2026",
            CampaignCommand::AddTaskForceMember {
                task_force: TaskForceId::parse("yibao").expect("a valid TaskForceId"),
                unit: rectiflow_tests::unit(member),
            },
        )
        .await;
    }
    let refused = w
        .refused::<Campaign, _>(
            "admin-wu",
            "qunfu-2026",
            CampaignCommand::AddTaskForceMember {
                task_force: TaskForceId::parse("yibao").expect("a valid TaskForceId"),
                unit: rectiflow_tests::unit("ghost-bureau"),
            },
        )
        .await;
    assert_eq!(refused.code(), "campaign.unknown_unit");
}
