//! The county organised and the campaign set up, on the demo's first morning: the
//! administrator bootstraps the organisation, registers every unit and person, appoints the
//! heads and grants the roles, then creates the campaign with its four task forces.

use rectiflow_domain::campaign::{Campaign, CampaignCommand, ItemPrefix};
use rectiflow_domain::organisation::{Organisation, OrganisationCommand, Role, ORGANISATION};
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::values::{CampaignId, PersonId, TaskForceId, Text, UnitId};
use rectiflow_engine::{Batch, CommandContext, EventStore};
use rectiflow_store::Store;

use super::acts::text;
use super::cast::{self, Post, TaskForce, Unit, ADMIN, LEADER};
use super::CAMPAIGN;
use crate::driver::Driver;

fn person(id: &str) -> anyhow::Result<PersonId> {
    Ok(PersonId::parse(id)?)
}

fn unit(id: &str) -> anyhow::Result<UnitId> {
    Ok(UnitId::parse(id)?)
}

async fn organisation<S: EventStore>(
    batch: &mut Batch<'_, S>,
    services: &rectiflow_domain::services::DomainServices,
    actor: &str,
    body: OrganisationCommand,
) -> anyhow::Result<()> {
    batch
        .execute::<Organisation, _>(
            &CommandContext::new(person(actor)?),
            ORGANISATION,
            body,
            services,
        )
        .await
        .map(|_| ())
        .map_err(|e| anyhow::anyhow!("organisation as {actor}: {e}"))
}

/// Organises the county and sets the campaign up, in three transactions (the organisation's
/// roles are read from the store by every later command, so each part is written before the
/// next is decided).
pub async fn organise<S: Store>(driver: &Driver<S>, forces: &[TaskForce]) -> anyhow::Result<()> {
    let exec = &driver.ports().exec;
    let services = &driver.ports().services;
    let mut batch = exec.batch();
    organisation(
        &mut batch,
        services,
        "installer",
        OrganisationCommand::Bootstrap {
            admin: person(ADMIN)?,
        },
    )
    .await?;
    batch.commit().await?;

    let mut batch = exec.batch();
    let units: Vec<Unit> = cast::departments()
        .into_iter()
        .chain(forces.iter().flat_map(|f| f.members.iter().cloned()))
        .collect();
    let mut named = 0;
    for u in &units {
        organisation(
            &mut batch,
            services,
            ADMIN,
            OrganisationCommand::RegisterUnit {
                unit: unit(&u.id)?,
                name: text(u.name.as_str())?,
                kind: u.kind,
            },
        )
        .await?;
        for id in [u.head(), u.staff(0), u.staff(1)] {
            named += 1;
            organisation(
                &mut batch,
                services,
                ADMIN,
                OrganisationCommand::RegisterPerson {
                    person: person(&id)?,
                    name: text(cast::name_of(named))?,
                    unit: unit(&u.id)?,
                },
            )
            .await?;
        }
        organisation(
            &mut batch,
            services,
            ADMIN,
            OrganisationCommand::AppointHead {
                unit: unit(&u.id)?,
                person: person(&u.head())?,
            },
        )
        .await?;
    }
    for (id, name, in_unit, post) in cast::officials() {
        organisation(
            &mut batch,
            services,
            ADMIN,
            OrganisationCommand::RegisterPerson {
                person: person(id)?,
                name: text(name)?,
                unit: unit(in_unit)?,
            },
        )
        .await?;
        let role = match post {
            Post::Secretariat(task_force) => Role::Secretariat {
                task_force: TaskForceId::parse(task_force)?,
            },
            Post::Role(role) => role,
        };
        organisation(
            &mut batch,
            services,
            ADMIN,
            OrganisationCommand::GrantRole {
                person: person(id)?,
                role,
            },
        )
        .await?;
    }
    batch.commit().await?;

    let mut batch = exec.batch();
    let admin = CommandContext::new(person(ADMIN)?);
    let mut bodies = vec![CampaignCommand::CreateCampaign {
        campaign: CampaignId::parse(CAMPAIGN)?,
        name: text("2026 年群众身边不正之风和腐败问题集中整治")?,
        year: 2026,
        settings: CampaignSettings {
            school_meal_responder: Some(unit("education-bureau")?),
            ..CampaignSettings::default()
        },
    }];
    for force in forces {
        let categories: Vec<Text> = force
            .field
            .seed_categories()
            .iter()
            .map(|c| text(*c))
            .collect::<Result<_, _>>()?;
        bodies.push(CampaignCommand::AddTaskForce {
            task_force: TaskForceId::parse(force.id)?,
            field: force.field.clone(),
            name: text(force.name)?,
            lead: person(LEADER)?,
            prefix: ItemPrefix::parse(force.prefix)?,
            categories,
        });
        // The lead department is a member too: a case's repair items are its own.
        for member in std::iter::once(force.lead).chain(force.members.iter().map(|m| m.id.as_str()))
        {
            bodies.push(CampaignCommand::AddTaskForceMember {
                task_force: TaskForceId::parse(force.id)?,
                unit: unit(member)?,
            });
        }
    }
    for body in bodies {
        batch
            .execute::<Campaign, _>(&admin, CAMPAIGN, body, services)
            .await
            .map_err(|e| anyhow::anyhow!("campaign: {e}"))?;
    }
    batch.commit().await?;
    Ok(())
}
