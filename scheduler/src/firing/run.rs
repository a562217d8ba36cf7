//! One look at every campaign: create the built-in schedules, then fire, skip and complete
//! what the plan says, through the executor.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::Aggregate;
use rectiflow_domain::campaign::{Campaign, CampaignEvent};
use rectiflow_domain::publication::{Publication, PublicationCommand, PublicationError, Skip};
use rectiflow_domain::schedule::{
    actor_of, schedule_id, Done, Schedule, ScheduleCommand, ScheduleError, ScheduleEvent,
    ScheduleKind, SkipReason,
};
use rectiflow_domain::values::{local_date, CampaignId, PersonId, PublicationId, ScheduleId};

use rectiflow_engine::{
    CancellationToken, CommandContext, EventStore, ExecuteError, StoreError, StreamRef,
};
use uuid::Uuid;

use super::orders::orders;
use super::plan::{plan, Step};
use super::{Occurred, Publisher, Scheduler, Tick};
use crate::calendar::CampaignCalendar;

/// Campaigns listed per page.
const PAGE: u32 = 500;

/// Why a campaign's look stopped short (the rest of its steps wait for the next look: they
/// are in publishing order, and a bulletin must not be overtaken by the assessment).
type Failed = String;

/// A schedule as loaded, with the version its next firing must find.
struct Loaded {
    id: ScheduleId,
    actor: PersonId,
    schedule: Schedule,
    version: u64,
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
        let mut after = String::new();
        loop {
            let page = self
                .exec
                .store()
                .stream_ids(Campaign::TYPE, &after, PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = last.clone();
            for id in page {
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
        if campaign.is_closed() {
            return Ok(());
        }
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
        let plan =
            plan(&rhythm, calendar, &states, self.exec.clock().now()).map_err(|e| e.to_string())?;
        tick.next_due = tick.next_due.into_iter().chain(plan.next_due).min();
        for step in plan.steps {
            if stop.is_cancelled() {
                return Ok(());
            }
            let Some(loaded) = schedules.get_mut(&step.kind()) else {
                continue;
            };
            self.take(step, campaign_id, &campaign, loaded, stop, tick)
                .await?;
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
        match self.send(&actor, None, &id, Some(0), create).await {
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

    /// Carries out one step on `loaded` (kept at the version the step left it at).
    async fn take(
        &self,
        step: Step,
        campaign_id: &CampaignId,
        campaign: &Arc<Campaign>,
        loaded: &mut Loaded,
        stop: &CancellationToken,
        tick: &mut Tick,
    ) -> Result<(), Failed> {
        let skipping = matches!(step, Step::Skip { .. });
        let (nominal, done, cause) = match step {
            Step::Complete { nominal, done, .. } => {
                let cause = self.cause_of(&loaded.id, &nominal).await?;
                (nominal, done, cause)
            }
            Step::Fire {
                nominal, due_at, ..
            }
            | Step::Skip {
                nominal, due_at, ..
            } => {
                let body = if skipping {
                    ScheduleCommand::Skip {
                        nominal: nominal.clone(),
                        reason: SkipReason::PastCatchUpWindow,
                    }
                } else {
                    ScheduleCommand::Fire {
                        nominal: nominal.clone(),
                    }
                };
                let sent = self
                    .send(&loaded.actor, None, &loaded.id, Some(loaded.version), body)
                    .await;
                let outcome = match sent {
                    Ok(outcome) => outcome,
                    Err(ExecuteError::Conflict { .. })
                    | Err(ExecuteError::Refused(ScheduleError::AlreadyDone { .. })) => {
                        // Another process fired it: its action is that process's (or, if it
                        // dies, the next look's).
                        tick.lost += 1;
                        (loaded.schedule, loaded.version) = self.load(&loaded.id).await?;
                        return Ok(());
                    }
                    Err(error) => {
                        return Err(format!("{} on {}: {error}", step_name(skipping), loaded.id))
                    }
                };
                loaded.version = outcome.version;
                let Some(recorded) = outcome.events.first() else {
                    return Err(format!("firing {} recorded nothing", loaded.id));
                };
                let (done, occurred) = match &recorded.event {
                    ScheduleEvent::OccurrenceFired { due_at, late, .. } => (
                        Done::Fired {
                            due_at: *due_at,
                            late: *late,
                        },
                        &mut tick.fired,
                    ),
                    ScheduleEvent::OccurrenceSkipped { due_at, reason, .. } => (
                        Done::Skipped {
                            due_at: *due_at,
                            reason: *reason,
                        },
                        &mut tick.skipped,
                    ),
                    other => return Err(format!("firing {} recorded {other:?}", loaded.id)),
                };
                occurred.push(Occurred {
                    schedule: loaded.id.clone(),
                    nominal: nominal.last().copied().unwrap_or(due_at),
                    due_at,
                });
                (nominal, done, Some(recorded.event_id))
            }
        };
        let kind = loaded
            .schedule
            .state()
            .map(|s| s.kind)
            .ok_or_else(|| format!("{} is not created", loaded.id))?;
        let zone = campaign.settings().time_zone;
        let orders =
            orders(kind, campaign_id, campaign, &nominal, zone).map_err(|e| e.to_string())?;
        let context = context(&loaded.actor, cause);
        for order in &orders {
            match done {
                Done::Fired { .. } => self
                    .publisher
                    .publish(order, &context, stop)
                    .await
                    .map_err(|e| format!("publishing {}: {e}", order.publication))?,
                Done::Skipped { .. } => self.skip_publication(order, &context).await?,
            }
        }
        let publications: Vec<PublicationId> =
            orders.into_iter().map(|order| order.publication).collect();
        let Some(&key) = nominal.last() else {
            return Ok(());
        };
        let complete = ScheduleCommand::Complete {
            nominal: key,
            publications: publications.clone(),
        };
        match self
            .send(&loaded.actor, cause, &loaded.id, None, complete)
            .await
        {
            Ok(outcome) => {
                loaded.version = outcome.version;
                tick.completed.push((loaded.id.clone(), key, publications));
            }
            Err(ExecuteError::Refused(ScheduleError::NotAwaitingAction { .. })) => tick.lost += 1,
            Err(error) => return Err(format!("completing {} at {key}: {error}", loaded.id)),
        }
        (loaded.schedule, loaded.version) = self.load(&loaded.id).await?;
        Ok(())
    }

    /// Records a skipped dispatch's publication as skipped (once: a second time is refused
    /// as already recorded, which is what was wanted).
    async fn skip_publication(
        &self,
        order: &super::PublicationOrder,
        context: &CommandContext,
    ) -> Result<(), Failed> {
        let body = PublicationCommand::Skip(Skip {
            publication: order.publication.clone(),
            kind: order.kind,
            campaign: order.campaign.clone(),
            scope: order.scope.clone(),
            period: order.period,
            nominal: order.nominal.clone(),
        });
        match self
            .exec
            .execute::<Publication, _>(
                context,
                order.publication.as_str(),
                None,
                body,
                &self.services,
            )
            .await
        {
            Ok(_) | Err(ExecuteError::Refused(PublicationError::AlreadyRecorded { .. })) => Ok(()),
            Err(error) => Err(format!("skipping {}: {error}", order.publication)),
        }
    }

    /// The event that fired or skipped the occurrence standing for `nominal`: the cause of
    /// its publications, found again when another process's action is taken up.
    async fn cause_of(
        &self,
        id: &ScheduleId,
        nominal: &[DateTime<Utc>],
    ) -> Result<Option<Uuid>, Failed> {
        let stream = StreamRef::new(Schedule::TYPE, id.as_str());
        let events = self
            .exec
            .store()
            .load_events(&stream, 0)
            .await
            .map_err(|e| e.to_string())?;
        for recorded in events.into_iter().rev() {
            let recorded = self
                .exec
                .decode::<Schedule>(recorded)
                .map_err(|e| e.to_string())?;
            match &recorded.event {
                ScheduleEvent::OccurrenceFired { nominal: n, .. }
                | ScheduleEvent::OccurrenceSkipped { nominal: n, .. }
                    if n.as_slice() == nominal =>
                {
                    return Ok(Some(recorded.event_id))
                }
                _ => {}
            }
        }
        Ok(None)
    }

    async fn send(
        &self,
        actor: &PersonId,
        cause: Option<Uuid>,
        id: &ScheduleId,
        expected_version: Option<u64>,
        body: ScheduleCommand,
    ) -> Result<rectiflow_engine::Outcome<ScheduleEvent>, ExecuteError<ScheduleError>> {
        self.exec
            .execute::<Schedule, _>(
                &context(actor, cause),
                id.as_str(),
                expected_version,
                body,
                &self.services,
            )
            .await
    }
}

/// The schedule as actor, on behalf of the occurrence's event (its conversation too).
fn context(actor: &PersonId, cause: Option<Uuid>) -> CommandContext {
    let mut context = CommandContext::new(actor.clone());
    context.causation_id = cause;
    context.correlation_id = cause;
    context
}

fn step_name(skipping: bool) -> &'static str {
    if skipping {
        "skipping"
    } else {
        "firing"
    }
}
