//! The campaign aggregate: decisions in [`Campaign::decide`], state folding in `apply`.

use std::collections::{BTreeMap, BTreeSet};

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use super::closing::CampaignClosure;
use super::commands::{CampaignCommand, ItemPrefix};
use super::errors::CampaignError;
use super::events::CampaignEvent;
use super::task_force::NewTaskForce;
use crate::organisation::Organisation;
use crate::permission::{Forbidden, Party};
use crate::services::DomainServices;
use crate::settings::{CampaignSettings, Field};
use crate::values::{CampaignId, PersonId, TaskForceId, Text, UnitId};

/// Campaign years accepted; anything else is a typing error, not a campaign.
const YEARS: std::ops::RangeInclusive<u16> = 2000..=2100;

/// A campaign as folded from its events. `Default` is "not created yet".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Campaign {
    id: Option<CampaignId>,
    name: Option<Text>,
    year: u16,
    settings: CampaignSettings,
    task_forces: BTreeMap<TaskForceId, TaskForce>,
    /// Set once the campaign is closed with its final report.
    #[serde(default)]
    closure: Option<CampaignClosure>,
}

/// A task force (专班).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TaskForce {
    pub field: Field,
    pub name: Text,
    /// The lead official (分管副县长). Not required to be a registered responsible person: the
    /// lead supervises, and does not own items.
    pub lead: PersonId,
    pub prefix: ItemPrefix,
    /// Its vocabulary of problem categories: an item's category is one of them.
    pub categories: BTreeSet<Text>,
    pub members: BTreeSet<UnitId>,
}

impl Campaign {
    pub fn id(&self) -> Option<&CampaignId> {
        self.id.as_ref()
    }

    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    pub fn name(&self) -> Option<&Text> {
        self.name.as_ref()
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    /// The settings in force (the latest recorded).
    pub fn settings(&self) -> &CampaignSettings {
        &self.settings
    }

    pub fn task_forces(&self) -> &BTreeMap<TaskForceId, TaskForce> {
        &self.task_forces
    }

    pub fn task_force(&self, id: &TaskForceId) -> Option<&TaskForce> {
        self.task_forces.get(id)
    }

    /// The task force of `field` (there is at most one per field).
    pub fn task_force_for(&self, field: &Field) -> Option<&TaskForceId> {
        self.task_forces
            .iter()
            .find(|(_, tf)| &tf.field == field)
            .map(|(id, _)| id)
    }

    /// Whether the campaign was closed with its final report: it then refuses every change
    /// to its settings, task forces and their members.
    pub fn is_closed(&self) -> bool {
        self.closure.is_some()
    }

    /// The closure and its final report, once closed.
    pub fn closure(&self) -> Option<&CampaignClosure> {
        self.closure.as_ref()
    }

    /// Decides what a command makes happen, or why it is refused. Pure: nothing is changed
    /// here, so a refused command emits nothing.
    pub fn decide(
        &self,
        command: crate::Command<CampaignCommand>,
        organisation: &Organisation,
    ) -> Result<Vec<CampaignEvent>, CampaignError> {
        let crate::Command { stamp, body } = command;
        let (by, at) = (stamp.actor, stamp.at);
        if let CampaignCommand::CreateCampaign {
            campaign,
            name,
            year,
            settings,
        } = body
        {
            if self.exists() {
                return Err(CampaignError::AlreadyExists);
            }
            if !YEARS.contains(&year) {
                return Err(CampaignError::InvalidYear(year));
            }
            settings
                .validate()
                .map_err(CampaignError::InvalidSettings)?;
            return Ok(vec![CampaignEvent::CampaignCreated {
                campaign,
                name,
                year,
                settings,
                by,
                at,
            }]);
        }
        if !self.exists() {
            return Err(CampaignError::NotFound);
        }
        self.ensure_open(&body)?;
        let event = match body {
            CampaignCommand::CreateCampaign { .. } => return Err(CampaignError::AlreadyExists),
            CampaignCommand::ChangeSettings { settings } => {
                settings
                    .validate()
                    .map_err(CampaignError::InvalidSettings)?;
                if settings == self.settings {
                    return Err(CampaignError::SettingsUnchanged);
                }
                CampaignEvent::SettingsChanged { settings, by, at }
            }
            CampaignCommand::AddTaskForce {
                task_force,
                field,
                name,
                lead,
                prefix,
                categories,
            } => self.add_task_force(
                NewTaskForce {
                    task_force,
                    field,
                    name,
                    lead,
                    prefix,
                    categories,
                },
                by,
                at,
            )?,
            CampaignCommand::AddCategory {
                task_force,
                category,
            } => self.add_category(task_force, category, by, at)?,
            CampaignCommand::CloseCampaign { report, summary } => {
                self.close(report, summary, by, at)
            }
            CampaignCommand::AddTaskForceMember { task_force, unit } => {
                let tf = self
                    .task_forces
                    .get(&task_force)
                    .ok_or_else(|| CampaignError::UnknownTaskForce(task_force.clone()))?;
                if organisation.unit(&unit).is_none() {
                    return Err(CampaignError::UnknownUnit(unit));
                }
                if tf.members.contains(&unit) {
                    return Err(CampaignError::AlreadyMember { task_force, unit });
                }
                CampaignEvent::TaskForceMemberAdded {
                    task_force,
                    unit,
                    by,
                    at,
                }
            }
        };
        Ok(vec![event])
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for Campaign {
    const FOLD_VERSION: u32 = 1;
}

impl Aggregate for Campaign {
    const TYPE: &'static str = "campaign";
    type Command = crate::Command<CampaignCommand>;
    type Event = CampaignEvent;
    type Error = CampaignError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        // Campaigns are configuration: an administrator's. The organisation, read at its
        // latest version, also says which units exist.
        let organisation = services
            .directory
            .organisation()
            .await
            .map_err(CampaignError::Unavailable)?;
        Party::Admin
            .check(&organisation, &command.stamp.actor)
            .map_err(|needs| {
                CampaignError::Forbidden(Forbidden {
                    actor: command.stamp.actor.clone(),
                    request: command.body.name(),
                    request_label: command.body.label(),
                    needs,
                })
            })?;
        for event in self.decide(command, &organisation)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CampaignEvent::CampaignCreated {
                campaign,
                name,
                year,
                settings,
                ..
            } => {
                self.id = Some(campaign);
                self.name = Some(name);
                self.year = year;
                self.settings = settings;
            }
            CampaignEvent::SettingsChanged { settings, .. } => self.settings = settings,
            CampaignEvent::TaskForceAdded {
                task_force,
                field,
                name,
                lead,
                prefix,
                categories,
                ..
            } => {
                self.task_forces.insert(
                    task_force,
                    TaskForce {
                        field,
                        name,
                        lead,
                        prefix,
                        categories: categories.into_iter().collect(),
                        members: BTreeSet::new(),
                    },
                );
            }
            CampaignEvent::TaskForceMemberAdded {
                task_force, unit, ..
            } => {
                if let Some(tf) = self.task_forces.get_mut(&task_force) {
                    tf.members.insert(unit);
                }
            }
            CampaignEvent::CategoryAdded {
                task_force,
                category,
                ..
            } => {
                if let Some(tf) = self.task_forces.get_mut(&task_force) {
                    tf.categories.insert(category);
                }
            }
            CampaignEvent::CampaignClosed {
                report,
                summary,
                by,
                at,
            } => {
                self.closure = Some(CampaignClosure {
                    report,
                    summary,
                    closed_by: by,
                    closed_at: at,
                });
            }
        }
    }
}

impl crate::event::Scoped for Campaign {
    /// The campaign itself.
    fn scope(&self) -> crate::event::Scope {
        self.id
            .as_ref()
            .map(crate::event::Scope::campaign)
            .unwrap_or_default()
    }
}
