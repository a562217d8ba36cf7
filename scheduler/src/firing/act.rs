//! Taking one step of a plan: fire or skip the occurrence at the version loaded, make its
//! publications (or record them as skipped), complete it — or find another process did.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use rectiflow_domain::campaign::Campaign;
use rectiflow_domain::publication::{
    catch_up_until, Publication, PublicationCommand, PublicationError, Skip,
};
use rectiflow_domain::schedule::{
    Done, Schedule, ScheduleCommand, ScheduleError, ScheduleEvent, ScheduleKind, SkipReason,
};
use rectiflow_domain::settings::Rhythm;
use rectiflow_domain::values::{CampaignId, PersonId, PublicationId, ScheduleId};
use rectiflow_engine::{
    CancellationToken, CommandContext, EventStore, ExecuteError, StreamRef, TraceContext,
};
use tracing::Instrument as _;
use uuid::Uuid;

use super::orders::{orders, PublicationOrder};
use super::plan::Step;
use super::run::{Failed, Loaded};
use super::{Occurred, Publisher, Scheduler, Tick};

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Taken {
    Done,
    /// Another process fired, skipped or completed it first: the look ends here, and the next
    /// one takes up where the other left.
    Lost,
}

/// The campaign a step belongs to, as in force for this look.
pub(super) struct InCampaign<'a> {
    pub(super) id: &'a CampaignId,
    pub(super) campaign: &'a Arc<Campaign>,
    pub(super) rhythm: &'a Rhythm,
}

impl<S, P> Scheduler<S, P>
where
    S: EventStore + Clone,
    P: Publisher,
{
    /// Carries out `step` on `loaded` (kept at the version the step left it at), in a trace of
    /// its own that every command of the step records — so the publications an occurrence
    /// made, and whatever their events set moving, trace back to it.
    pub(super) async fn take(
        &self,
        step: Step,
        campaign: &InCampaign<'_>,
        loaded: &mut Loaded,
        stop: &CancellationToken,
        tick: &mut Tick,
    ) -> Result<Taken, Failed> {
        let span = tracing::error_span!(
            "occurrence",
            schedule = %loaded.id,
            trace_id = tracing::field::Empty,
        );
        let trace = &rectiflow_engine::trace::begin(&span, None);
        async {
            let kind = step.kind();
            let occurred = match step {
                Step::Complete { nominal, done, .. } => {
                    let cause = self.cause_of(&loaded.id, &nominal).await?;
                    Some((nominal, done, cause))
                }
                Step::Fire { nominal, .. } => {
                    let body = ScheduleCommand::Fire {
                        nominal: nominal.clone(),
                    };
                    let occurred = self.occur(loaded, body, trace, tick).await?;
                    occurred.map(|(done, cause)| (nominal, done, Some(cause)))
                }
                Step::Skip { nominal, .. } => {
                    let body = ScheduleCommand::Skip {
                        nominal: nominal.clone(),
                        reason: SkipReason::PastCatchUpWindow,
                    };
                    let occurred = self.occur(loaded, body, trace, tick).await?;
                    occurred.map(|(done, cause)| (nominal, done, Some(cause)))
                }
            };
            let Some((nominal, done, cause)) = occurred else {
                return Ok(Taken::Lost);
            };
            let context = context(&loaded.actor, cause, Some(trace));
            let publications = self
                .act(kind, campaign, &nominal, done, &context, stop)
                .await?;
            let Some(&key) = nominal.last() else {
                return Err(format!("an occurrence of {} names no time", loaded.id));
            };
            self.complete(loaded, key, publications, &context, tick)
                .await
        }
        .instrument(span)
        .await
    }

    /// Fires or skips an occurrence at the version loaded: what was done and the event that
    /// did it, or `None` when another process did it first.
    async fn occur(
        &self,
        loaded: &mut Loaded,
        body: ScheduleCommand,
        trace: &TraceContext,
        tick: &mut Tick,
    ) -> Result<Option<(Done, Uuid)>, Failed> {
        let request = body.name();
        let sent = self
            .send(
                &loaded.actor,
                None,
                Some(trace),
                &loaded.id,
                Some(loaded.version),
                body,
            )
            .await;
        let outcome = match sent {
            Ok(outcome) => outcome,
            // Another process fired it (or an administrator changed the schedule meanwhile):
            // look again.
            Err(ExecuteError::Conflict { .. })
            | Err(ExecuteError::Refused(ScheduleError::AlreadyDone { .. })) => {
                // The look ends here; the next one loads the schedule afresh.
                tick.lost += 1;
                return Ok(None);
            }
            Err(error) => return Err(format!("{request} on {}: {error}", loaded.id)),
        };
        loaded.version = outcome.version;
        let Some(recorded) = outcome.events.first() else {
            return Err(format!("{request} on {} recorded nothing", loaded.id));
        };
        let (done, nominal, list) = match &recorded.event {
            ScheduleEvent::OccurrenceFired {
                due_at,
                late,
                nominal,
                ..
            } => (
                Done::Fired {
                    due_at: *due_at,
                    late: *late,
                },
                nominal,
                &mut tick.fired,
            ),
            ScheduleEvent::OccurrenceSkipped {
                due_at,
                reason,
                nominal,
                ..
            } => (
                Done::Skipped {
                    due_at: *due_at,
                    reason: *reason,
                },
                nominal,
                &mut tick.skipped,
            ),
            other => return Err(format!("{request} on {} recorded {other:?}", loaded.id)),
        };
        let (Some(&key), Done::Fired { due_at, .. } | Done::Skipped { due_at, .. }) =
            (nominal.last(), done)
        else {
            return Err(format!("{request} on {} named no time", loaded.id));
        };
        list.push(Occurred {
            schedule: loaded.id.clone(),
            nominal: key,
            due_at,
        });
        Ok(Some((done, recorded.event_id)))
    }

    /// Makes the publications of the occurrence standing for `nominal`, or records them as
    /// skipped: a skipped dispatch's, and a fired dispatch's whose catch-up window closed
    /// before they were made (its process stopped between the two) — the publication refuses
    /// a dispatch past its window, and a fired occurrence cannot be unfired.
    async fn act(
        &self,
        kind: ScheduleKind,
        campaign: &InCampaign<'_>,
        nominal: &[DateTime<Utc>],
        done: Done,
        context: &CommandContext,
        stop: &CancellationToken,
    ) -> Result<Vec<PublicationId>, Failed> {
        let zone = campaign.campaign.settings().time_zone;
        let orders = orders(kind, campaign.id, campaign.campaign, nominal, zone)
            .map_err(|e| e.to_string())?;
        let skip = match done {
            Done::Skipped { .. } => true,
            Done::Fired { due_at, .. } => {
                kind.may_skip()
                    && self.exec.clock().now() >= catch_up_until(due_at, campaign.rhythm)
            }
        };
        for order in &orders {
            if skip {
                self.skip_publication(order, context).await?;
            } else {
                self.publisher
                    .publish(order, context, stop)
                    .await
                    .map_err(|e| format!("publishing {}: {e}", order.publication))?;
            }
        }
        Ok(orders.into_iter().map(|order| order.publication).collect())
    }

    /// Records the action of the occurrence identified by `key` complete.
    async fn complete(
        &self,
        loaded: &mut Loaded,
        key: DateTime<Utc>,
        publications: Vec<PublicationId>,
        context: &CommandContext,
        tick: &mut Tick,
    ) -> Result<Taken, Failed> {
        let body = ScheduleCommand::Complete {
            nominal: key,
            publications: publications.clone(),
        };
        match self
            .send(
                &loaded.actor,
                context.causation_id,
                context.trace.as_ref(),
                &loaded.id,
                None,
                body,
            )
            .await
        {
            Ok(outcome) => {
                loaded.version = outcome.version;
                tick.completed.push((loaded.id.clone(), key, publications));
                Ok(Taken::Done)
            }
            Err(ExecuteError::Refused(ScheduleError::NotAwaitingAction { .. })) => {
                tick.lost += 1;
                Ok(Taken::Lost)
            }
            Err(error) => Err(format!("completing {} at {key}: {error}", loaded.id)),
        }
    }

    /// Records a dispatch's publication as skipped (once: a second time is refused as already
    /// recorded, which is what was wanted).
    async fn skip_publication(
        &self,
        order: &PublicationOrder,
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
        let id = order.publication.as_str();
        match self
            .exec
            .execute::<Publication, _>(context, id, None, body, &self.services)
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

    pub(super) async fn send(
        &self,
        actor: &PersonId,
        cause: Option<Uuid>,
        trace: Option<&TraceContext>,
        id: &ScheduleId,
        expected_version: Option<u64>,
        body: ScheduleCommand,
    ) -> Result<rectiflow_engine::Outcome<ScheduleEvent>, ExecuteError<ScheduleError>> {
        self.exec
            .execute::<Schedule, _>(
                &context(actor, cause, trace),
                id.as_str(),
                expected_version,
                body,
                &self.services,
            )
            .await
    }
}

/// The schedule as actor, on behalf of the occurrence's event (its conversation too), in the
/// occurrence's trace.
fn context(actor: &PersonId, cause: Option<Uuid>, trace: Option<&TraceContext>) -> CommandContext {
    let mut context = CommandContext::new(actor.clone());
    context.causation_id = cause;
    context.correlation_id = cause;
    context.trace = trace.cloned();
    context
}
