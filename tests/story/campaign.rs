//! Chapter one: the campaign and its medical-insurance task force.

use rectiflow_domain::campaign::{Campaign, CampaignCommand, ItemPrefix, UnitKind};
use rectiflow_domain::settings::{CampaignSettings, Field};
use rectiflow_domain::values::TaskForceId;
use rectiflow_tests::{person, unit};

use crate::world::{campaign_id, text, World};
use rectiflow_tests::Store;

pub async fn a_campaign_is_set_up_with_its_units_and_task_force<S: Store>(w: &World<S>) {
    w.ok::<Campaign, _>(
        "sec-li",
        "qunfu-2026",
        CampaignCommand::CreateCampaign {
            campaign: campaign_id(),
            name: text("2026 群腐整治"),
            year: 2026,
            settings: CampaignSettings::default(),
        },
    )
    .await;
    for (id, name, kind) in [
        ("county-hospital", "县人民医院", UnitKind::Hospital),
        ("health-bureau", "县医保局", UnitKind::Department),
    ] {
        w.ok::<Campaign, _>(
            "sec-li",
            "qunfu-2026",
            CampaignCommand::RegisterUnit {
                unit: unit(id),
                name: text(name),
                kind,
            },
        )
        .await;
    }
    w.ok::<Campaign, _>(
        "sec-li",
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
}
