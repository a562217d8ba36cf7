//! The county the HTTP benchmark works in: a secretariat, one hospital per connection, the
//! campaign with its medical-insurance task force, and one assigned item per hospital.

use anyhow::Context;
use chrono::{TimeZone, Utc};
use rectiflow_domain::campaign::{Campaign, CampaignCommand, ItemPrefix};
use rectiflow_domain::item::{Item, ItemCommand};
use rectiflow_domain::organisation::{
    Organisation, OrganisationCommand, Role, UnitKind, ORGANISATION,
};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::settings::{CampaignSettings, Field};
use rectiflow_domain::values::{CampaignId, PersonId, TaskForceId, Text, UnitId};
use rectiflow_engine::{CommandContext, Executor};
use rectiflow_store::PgStore;
use serde_json::json;

use super::CONNECTIONS;

pub(crate) fn id(text: &str) -> anyhow::Result<PersonId> {
    PersonId::parse(text).context("a person id")
}

pub(crate) fn unit(i: usize) -> String {
    format!("hospital-{i:02}")
}

pub(crate) fn code(i: usize) -> String {
    format!("YB-2026-{:04}", i + 1)
}

/// The county (a secretariat and one hospital per connection), the campaign with its medical
/// insurance task force, and one assigned item per hospital — all through commands.
pub(crate) async fn set_up(
    exec: &Executor<PgStore>,
    services: &DomainServices,
) -> anyhow::Result<()> {
    let admin = CommandContext::new(id("admin-wu")?);
    let mut organisation = vec![
        OrganisationCommand::Bootstrap {
            admin: id("admin-wu")?,
        },
        OrganisationCommand::RegisterUnit {
            unit: UnitId::parse("yibao-office")?,
            name: Text::parse("医保专班办公室")?,
            kind: UnitKind::Department,
        },
        OrganisationCommand::RegisterUnit {
            unit: UnitId::parse("health-bureau")?,
            name: Text::parse("卫健局")?,
            kind: UnitKind::Department,
        },
        OrganisationCommand::RegisterPerson {
            person: id("sec-1")?,
            name: Text::parse("王干事")?,
            unit: UnitId::parse("yibao-office")?,
        },
        OrganisationCommand::GrantRole {
            person: id("sec-1")?,
            role: Role::Secretariat {
                task_force: TaskForceId::parse("yibao")?,
            },
        },
    ];
    for i in 0..CONNECTIONS {
        organisation.push(OrganisationCommand::RegisterUnit {
            unit: UnitId::parse(unit(i))?,
            name: Text::parse(format!("第{}医院", i + 1))?,
            kind: UnitKind::Hospital,
        });
        organisation.push(OrganisationCommand::RegisterPerson {
            person: id(&format!("head-{i:02}"))?,
            name: Text::parse(format!("院长{}", i + 1))?,
            unit: UnitId::parse(unit(i))?,
        });
    }
    for body in organisation {
        exec.execute::<Organisation, _>(&admin, ORGANISATION, None, body, services)
            .await
            .map_err(|e| anyhow::anyhow!("the organisation: {e}"))?;
    }
    let campaign = "c2026";
    let mut campaign_commands = vec![
        CampaignCommand::CreateCampaign {
            campaign: CampaignId::parse(campaign)?,
            name: Text::parse("2026 群腐整治")?,
            year: 2026,
            settings: CampaignSettings::default(),
        },
        CampaignCommand::AddTaskForce {
            task_force: TaskForceId::parse("yibao")?,
            field: Field::MedicalInsurance,
            name: Text::parse("医保基金专班")?,
            lead: id("sec-1")?,
            prefix: ItemPrefix::parse("YB")?,
            categories: vec![Text::parse("欺诈骗保")?],
        },
    ];
    for i in 0..CONNECTIONS {
        campaign_commands.push(CampaignCommand::AddTaskForceMember {
            task_force: TaskForceId::parse("yibao")?,
            unit: UnitId::parse(unit(i))?,
        });
    }
    for body in campaign_commands {
        exec.execute::<Campaign, _>(&admin, campaign, None, body, services)
            .await
            .map_err(|e| anyhow::anyhow!("the campaign: {e}"))?;
    }
    let secretariat = CommandContext::new(id("sec-1")?);
    let deadline = Utc
        .with_ymd_and_hms(2027, 6, 30, 0, 0, 0)
        .single()
        .context("a date")?
        .date_naive();
    for i in 0..CONNECTIONS {
        let register: ItemCommand = serde_json::from_value(json!({ "register": {
            "campaign": campaign, "task_force": "yibao", "code": code(i),
            "title": "挂床住院", "description": "定点医疗机构挂床住院、虚记费用",
            "category": "欺诈骗保", "source": "inspection", "severity": "medium"
        }}))?;
        let assign: ItemCommand = serde_json::from_value(json!({ "assign": {
            "responsible_unit": unit(i), "responsible_person": format!("head-{i:02}"),
            "supervising_unit": "health-bureau", "deadline": deadline,
            "measures": "逐项核查病历与收费清单"
        }}))?;
        for body in [register, assign] {
            exec.execute::<Item, _>(&secretariat, &code(i), None, body, services)
                .await
                .map_err(|e| anyhow::anyhow!("item {}: {e}", code(i)))?;
        }
    }
    Ok(())
}
