//! One look at every campaign: create the built-in schedules, then fire, skip and complete
//! what the plan says, through the executor.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use cqrs_es::Aggregate;
use rectiflow_domain::campaign::{Campaign, CampaignEvent};
use rectiflow_domain::schedule::{
    actor_of, schedule_id, Schedule, ScheduleCommand, ScheduleError, ScheduleKind,
};
use rectiflow_domain::values::{local_date, CampaignId, PersonId, ScheduleId};
use rectiflow_engine::{CancellationToken, EventStore, ExecuteError, StoreError, StreamRef};

use super::act::{InCampaign, Taken};
use super::plan::{plan, Step};
use super::{Publisher, Scheduler, Tick};
use crate::calendar::CampaignCalendar;

/// Why a campaign's look stopped short (the rest of its steps wait for the next look: they
/// are in publishing order, and a bulletin must not be overtaken by the assessment).
pub(super) type Failed = String;

/// A schedule as loaded, with the version its next firing must find.
pub(super) struct Loaded {
    pub(super) id: ScheduleId,
    pub(super) actor: PersonId,
    pub(super) schedule: Schedule,
    pub(super) version: u64,
}

impl<S, P> Scheduler<S, P>
where
    S: EventStore + Clone,
    P: Publisher,
{
    /// Looks once at every campaign: what is due fires (or is skipped), what awaits its action
    /// is completed. A campaign whose look failed is reported in [`Tick::failures`] and the
    /// others go on; only a failure to list the campaigns is an error.
    pub async fn tick(&self, stop: &CancellationToken) -> Result<Tick, StoreError> {
        let mut tick = Tick::default();
        for id in self.exec.store().all_stream_ids(Campaign::TYPE).await? {
            if stop.is_cancelled() {
                return Ok(tick);
            }
            let campaign = match CampaignId::parse(id.clone()) {
                Ok(campaign) => campaign,
                Err(error) => {
                    tick.failures
                        .push(format!("campaign stream {id:?}: {error}"));
                    continue;
                }
            };
            if let Err(failed) = self.look_at(&campaign, stop, &mut tick).await {
                tick.failures.push(format!("campaign {campaign}: {failed}"));
            }
        }
        Ok(tick)
    }

    async fn look_at(
        &self,
        campaign_id: &CampaignId,
        stop: &CancellationToken,
        tick: &mut Tick,
    ) -> Result<(), Failed> {
        // The campaign and the county's working days as in force now, as a command's
        // decision reads them.
        let view = self
            .services
            .for_campaigns(std::slice::from_ref(campaign_id))
            .await
            .map_err(|e| e.to_string())?;
        let Some(campaign) = view.settings.campaign(campaign_id) else {
            return Err("not found through the settings".into());
        };
        let zone = campaign.settings().time_zone;
        let rhythm = campaign.settings().rhythm;
        let mut schedules = BTreeMap::new();
        for kind in ScheduleKind::ALL {
            let loaded = self.schedule(campaign_id, kind, zone, tick).await?;
            schedules.insert(kind, loaded);
        }
        let calendar = CampaignCalendar::new(zone, &*view.calendar);
        let states: Vec<(ScheduleKind, &_)> = schedules
            .iter()
            .filter_map(|(kind, loaded)| loaded.schedule.state().map(|state| (*kind, state)))
            .collect();
        let mut plan =
            plan(&rhythm, calendar, &states, self.exec.clock().now()).map_err(|e| e.to_string())?;
        if campaign.is_closed() {
            // A closed campaign fires nothing more, but what it fired is published.
            plan.steps
                .retain(|step| matches!(step, Step::Complete { .. }));
            plan.next_due = None;
        }
        tick.next_due = tick.next_due.into_iter().chain(plan.next_due).min();
        // In order, each step done before the next: a step that fails, or that another
        // process took, ends the look — the next look (this process's or the other's) takes
        // up what it left, so nothing overtakes it (the assessment never its bulletin).
        for step in plan.steps {
            if stop.is_cancelled() {
                return Ok(());
            }
            let Some(loaded) = schedules.get_mut(&step.kind()) else {
                continue;
            };
            let in_campaign = InCampaign {
                id: campaign_id,
                campaign: &campaign,
                rhythm: &rhythm,
            };
            let taken = self.take(step, &in_campaign, loaded, stop, tick).await?;
            if taken == Taken::Lost {
                break;
            }
        }
        Ok(())
    }

    /// `campaign`'s schedule of `kind`, created (as the schedule itself, running from the day
    /// after the campaign's creation) if missing.
    async fn schedule(
        &self,
        campaign: &CampaignId,
        kind: ScheduleKind,
        zone: chrono_tz::Tz,
        tick: &mut Tick,
    ) -> Result<Loaded, Failed> {
        let id = schedule_id(campaign, kind).map_err(|e| e.to_string())?;
        let actor = actor_of(&id).map_err(|e| e.to_string())?;
        let (schedule, version) = self.load(&id).await?;
        if version > 0 {
            return Ok(Loaded {
                id,
                actor,
                schedule,
                version,
            });
        }
        // An occurrence publishes the period before its nominal day: one nominally on the
        // creation day would cover only time before the campaign existed.
        let created = self.created_on(campaign, zone).await?;
        let starts = created
            .succ_opt()
            .ok_or_else(|| format!("no day after {created}"))?;
        let create = ScheduleCommand::Create {
            schedule: id.clone(),
            campaign: campaign.clone(),
            kind,
            starts,
        };
        match self.send(&actor, None, None, &id, Some(0), create).await {
            Ok(_) => tick.created.push(id.clone()),
            // Another process created it first.
            Err(ExecuteError::Conflict { .. })
            | Err(ExecuteError::Refused(ScheduleError::InvalidTransition { .. })) => {}
            Err(error) => return Err(format!("creating {id}: {error}")),
        }
        let (schedule, version) = self.load(&id).await?;
        Ok(Loaded {
            id,
            actor,
            schedule,
            version,
        })
    }

    async fn load(&self, id: &ScheduleId) -> Result<(Schedule, u64), Failed> {
        self.exec
            .load::<Schedule>(id.as_str())
            .await
            .map_err(|e| format!("loading {id}: {e}"))
    }

    /// The local day `campaign` was created on: the built-in schedules run from it.
    async fn created_on(
        &self,
        campaign: &CampaignId,
        zone: chrono_tz::Tz,
    ) -> Result<NaiveDate, Failed> {
        let stream = StreamRef::new(Campaign::TYPE, campaign.as_str());
        let first = self
            .exec
            .store()
            .load_range(&stream, 0, 1)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .next()
            .ok_or_else(|| format!("{stream} has no events"))?;
        match self.exec.decode::<Campaign>(first) {
            Ok(recorded) => match recorded.event {
                CampaignEvent::CampaignCreated { at, .. } => Ok(local_date(at, zone)),
                other => Err(format!("{stream} begins with {other:?}, not its creation")),
            },
            Err(error) => Err(error.to_string()),
        }
    }
}
