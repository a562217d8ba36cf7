//! The schedule aggregate: decisions in [`Schedule::decide`], folding in `apply`.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use super::commands::{ScheduleCommand, ScheduleKind, SkipReason};
use super::errors::ScheduleError;
use super::events::ScheduleEvent;
use super::occurrence;
use super::{actor_of, schedule_id};
use crate::services::DomainServices;
use crate::values::{CampaignId, PersonId, PublicationId, Text};
use crate::Command;

/// The years a schedule's dates may fall in, as for campaigns: anything else is a typing error.
const YEARS: RangeInclusive<i32> = 2000..=2100;

/// The most days one backfill covers: a year (a campaign set up late does not go further back).
pub const MAX_BACKFILL_DAYS: i64 = 366;

/// What became of an occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Done {
    Fired {
        due_at: DateTime<Utc>,
        late: bool,
    },
    Skipped {
        due_at: DateTime<Utc>,
        reason: SkipReason,
    },
}

/// A created schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScheduleState {
    pub campaign: CampaignId,
    pub kind: ScheduleKind,
    pub starts: NaiveDate,
    pub ends: Option<NaiveDate>,
    /// The note it was paused with, while paused.
    pub paused: Option<Text>,
    pub deleted: bool,
    /// Past ranges of nominal days opened before `starts`, each inclusive.
    pub backfills: Vec<(NaiveDate, NaiveDate)>,
    /// Every nominal time fired or skipped (each of an occurrence's, so a later merge of one
    /// done with another cannot fire it again).
    pub done: BTreeMap<DateTime<Utc>, Done>,
    /// The occurrences fired or skipped whose action (the publications) is not done yet, by
    /// their identifying nominal time: whichever scheduler process comes next completes them.
    #[serde(default)]
    pub awaiting: BTreeMap<DateTime<Utc>, Awaiting>,
    /// The last occurrence whose action was completed.
    #[serde(default)]
    pub last_completed: Option<Completed>,
    /// When an administrator last asked the scheduler to look now.
    #[serde(default)]
    pub triggered_at: Option<DateTime<Utc>>,
}

/// An occurrence fired or skipped whose action is not done yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Awaiting {
    /// Every nominal time it stands for, earliest first.
    pub nominal: Vec<DateTime<Utc>>,
    pub done: Done,
    /// When it was fired or skipped.
    pub at: DateTime<Utc>,
}

/// An occurrence whose action is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Completed {
    /// Its identifying (last) nominal time.
    pub nominal: DateTime<Utc>,
    pub done: Done,
    pub publications: Vec<PublicationId>,
    pub at: DateTime<Utc>,
}

impl ScheduleState {
    /// Records an occurrence fired or skipped: each nominal time done, the occurrence awaiting
    /// its action.
    fn record(&mut self, nominal: Vec<DateTime<Utc>>, done: Done, at: DateTime<Utc>) {
        for &instant in &nominal {
            self.done.insert(instant, done);
        }
        if let Some(&key) = nominal.last() {
            self.awaiting.insert(key, Awaiting { nominal, done, at });
        }
    }

    /// Whether an occurrence nominally on local `day` is one the schedule runs.
    pub fn runs_on(&self, day: NaiveDate) -> bool {
        let in_run = day >= self.starts && self.ends.is_none_or(|ends| day <= ends);
        in_run
            || self
                .backfills
                .iter()
                .any(|(from, to)| (*from..=*to).contains(&day))
    }
}

/// A schedule. The default (no events) is one not created yet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Schedule {
    state: Option<ScheduleState>,
}

impl Schedule {
    pub fn state(&self) -> Option<&ScheduleState> {
        self.state.as_ref()
    }

    /// The system actor it fires as, once created.
    pub fn actor(&self) -> Option<PersonId> {
        let state = self.state.as_ref()?;
        let id = schedule_id(&state.campaign, state.kind).ok()?;
        actor_of(&id).ok()
    }

    fn state_name(&self) -> &'static str {
        match &self.state {
            None => "not_created",
            Some(s) if s.deleted => "deleted",
            Some(s) if s.paused.is_some() => "paused",
            Some(_) => "running",
        }
    }

    /// Every decision of the aggregate: the events a command yields, or why it is refused.
    pub fn decide(
        &self,
        command: Command<ScheduleCommand>,
        services: &DomainServices,
    ) -> Result<Vec<ScheduleEvent>, ScheduleError> {
        let Command { stamp, body } = command;
        let request = body.name();
        let invalid = || ScheduleError::InvalidTransition {
            state: self.state_name(),
            request,
        };
        let (by, at) = (stamp.actor, stamp.at);
        let live = self.state.as_ref().filter(|s| !s.deleted);
        let event = match body {
            ScheduleCommand::Create {
                schedule,
                campaign,
                kind,
                starts,
            } => {
                if self.state.is_some() {
                    return Err(invalid());
                }
                let expected = schedule_id(&campaign, kind).map(String::from);
                if expected.as_deref().ok() != Some(schedule.as_str()) {
                    return Err(ScheduleError::WrongStream {
                        expected: expected.unwrap_or_default(),
                        campaign,
                        kind,
                    });
                }
                if services.settings.settings(&campaign).is_none() {
                    return Err(ScheduleError::UnknownCampaign(campaign));
                }
                in_years(starts)?;
                ScheduleEvent::Created {
                    campaign,
                    kind,
                    starts,
                    by,
                    at,
                }
            }
            ScheduleCommand::Change {
                starts,
                ends,
                reason,
            } => {
                live.ok_or_else(invalid)?;
                in_years(starts)?;
                if let Some(ends) = ends {
                    in_years(ends)?;
                    if ends < starts {
                        return Err(ScheduleError::EndsBeforeStart { starts, ends });
                    }
                }
                ScheduleEvent::Changed {
                    starts,
                    ends,
                    reason,
                    by,
                    at,
                }
            }
            ScheduleCommand::Pause { note } => {
                live.filter(|s| s.paused.is_none()).ok_or_else(invalid)?;
                ScheduleEvent::Paused { note, by, at }
            }
            ScheduleCommand::Resume => {
                live.filter(|s| s.paused.is_some()).ok_or_else(invalid)?;
                ScheduleEvent::Resumed { by, at }
            }
            ScheduleCommand::TriggerNow { note } => {
                live.filter(|s| s.paused.is_none()).ok_or_else(invalid)?;
                ScheduleEvent::Triggered { note, by, at }
            }
            ScheduleCommand::Backfill { from, to, reason } => {
                let state = live.ok_or_else(invalid)?;
                in_years(from)?;
                if to < from || to >= state.starts {
                    return Err(ScheduleError::BadBackfill {
                        from,
                        to,
                        starts: state.starts,
                    });
                }
                // The scheduler looks at a backfilled range at every look until it is done.
                if (to - from).num_days() + 1 > MAX_BACKFILL_DAYS {
                    return Err(ScheduleError::BackfillTooLong {
                        from,
                        to,
                        max_days: MAX_BACKFILL_DAYS,
                    });
                }
                ScheduleEvent::Backfilled {
                    from,
                    to,
                    reason,
                    by,
                    at,
                }
            }
            ScheduleCommand::Delete { reason } => {
                live.ok_or_else(invalid)?;
                ScheduleEvent::Deleted { reason, by, at }
            }
            ScheduleCommand::Fire { nominal } => {
                let state = live.filter(|s| s.paused.is_none()).ok_or_else(invalid)?;
                occurrence::fire(state, nominal, services, by, at)?
            }
            ScheduleCommand::Skip { nominal, reason } => {
                let state = live.filter(|s| s.paused.is_none()).ok_or_else(invalid)?;
                occurrence::skip(state, nominal, reason, services, by, at)?
            }
            ScheduleCommand::Complete {
                nominal,
                publications,
            } => {
                // A deleted or paused schedule still completes what it fired before.
                let state = self.state.as_ref().ok_or_else(invalid)?;
                occurrence::complete(state, nominal, publications, by, at)?
            }
        };
        Ok(vec![event])
    }
}

fn in_years(date: NaiveDate) -> Result<(), ScheduleError> {
    if YEARS.contains(&date.year()) {
        Ok(())
    } else {
        Err(ScheduleError::DateOutOfRange {
            date,
            min: *YEARS.start(),
            max: *YEARS.end(),
        })
    }
}

/// A schedule belongs to its campaign.
impl crate::event::Scoped for Schedule {
    fn scope(&self) -> crate::event::Scope {
        match &self.state {
            Some(state) => crate::event::Scope::campaign(&state.campaign),
            None => crate::event::Scope::default(),
        }
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for Schedule {
    const FOLD_VERSION: u32 = 2;
}

impl Aggregate for Schedule {
    const TYPE: &'static str = "schedule";
    type Command = Command<ScheduleCommand>;
    type Event = ScheduleEvent;
    type Error = ScheduleError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        crate::handling::handle(
            self,
            command,
            services,
            sink,
            |schedule, command, services| schedule.decide(command, services),
        )
        .await
    }

    fn apply(&mut self, event: Self::Event) {
        if let ScheduleEvent::Created {
            campaign,
            kind,
            starts,
            ..
        } = event
        {
            self.state = Some(ScheduleState {
                campaign,
                kind,
                starts,
                ends: None,
                paused: None,
                deleted: false,
                backfills: Vec::new(),
                done: BTreeMap::new(),
                awaiting: BTreeMap::new(),
                last_completed: None,
                triggered_at: None,
            });
            return;
        }
        let Some(state) = self.state.as_mut() else {
            return;
        };
        match event {
            ScheduleEvent::Created { .. } => {}
            ScheduleEvent::Changed { starts, ends, .. } => {
                state.starts = starts;
                state.ends = ends;
            }
            ScheduleEvent::Paused { note, .. } => state.paused = Some(note),
            ScheduleEvent::Resumed { .. } => state.paused = None,
            ScheduleEvent::Triggered { at, .. } => state.triggered_at = Some(at),
            ScheduleEvent::Backfilled { from, to, .. } => state.backfills.push((from, to)),
            ScheduleEvent::Deleted { .. } => state.deleted = true,
            ScheduleEvent::OccurrenceFired {
                nominal,
                due_at,
                late,
                at,
                ..
            } => state.record(nominal, Done::Fired { due_at, late }, at),
            ScheduleEvent::OccurrenceSkipped {
                nominal,
                due_at,
                reason,
                at,
                ..
            } => state.record(nominal, Done::Skipped { due_at, reason }, at),
            ScheduleEvent::ActionCompleted {
                nominal,
                publications,
                at,
                ..
            } => {
                if let Some(awaiting) = state.awaiting.remove(&nominal) {
                    state.last_completed = Some(Completed {
                        nominal,
                        done: awaiting.done,
                        publications,
                        at,
                    });
                }
            }
        }
    }
}
