//! The survey-round aggregate: decisions in [`Survey::decide`], state folding in `apply`.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::settings::Field;
use crate::values::{CampaignId, Score, SurveyId, TaskForceId, UnitId};
use crate::Command;

use super::commands::SurveyCommand;
use super::errors::SurveyError;
use super::events::SurveyEvent;
use super::quarter::Quarter;
use super::round::round_id;

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    /// Not opened yet (the stream does not exist).
    #[default]
    NotOpened,
    Open,
    Closed,
}

impl SurveyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyStatus::NotOpened => "not_opened",
            SurveyStatus::Open => "open",
            SurveyStatus::Closed => "closed",
        }
    }

    /// The name users read (中文): 尚未开启, 进行中, 已结束.
    pub fn label(self) -> &'static str {
        match self {
            SurveyStatus::NotOpened => "尚未开启",
            SurveyStatus::Open => "进行中",
            SurveyStatus::Closed => "已结束",
        }
    }

    /// The name users read (中文) of the state named `name` by [`as_str`](Self::as_str);
    /// `name` itself if no state is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        [
            SurveyStatus::NotOpened,
            SurveyStatus::Open,
            SurveyStatus::Closed,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
        .map_or(name, SurveyStatus::label)
    }
}

/// One aggregated score of the round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecordedScore {
    pub score: Score,
    pub sample_size: u32,
}

/// A satisfaction survey round for one quarter, field and unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Survey {
    pub status: SurveyStatus,
    pub round: Option<SurveyId>,
    pub campaign: Option<CampaignId>,
    pub quarter: Option<Quarter>,
    pub field: Option<Field>,
    /// The field's task force as recorded at opening (`None` before, or for rounds opened
    /// before it was recorded; absent from snapshots folded from those alone).
    #[serde(default)]
    pub task_force: Option<TaskForceId>,
    pub unit: Option<UnitId>,
    /// The quarter's bounds as recorded at opening: scores are recorded in `[start, end)`.
    pub quarter_window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub scores: Vec<RecordedScore>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Survey {
    /// Respondents over all recorded scores.
    pub fn sample_size(&self) -> u64 {
        self.scores.iter().map(|s| u64::from(s.sample_size)).sum()
    }

    /// The sample-weighted mean of the recorded scores; `None` without scores.
    pub fn mean(&self) -> Option<Score> {
        let total = self.sample_size();
        if total == 0 {
            return None;
        }
        let weighted: f64 = self
            .scores
            .iter()
            .map(|s| s.score.get() * f64::from(s.sample_size))
            .sum();
        // A weighted mean of values in 0..=100 lies in 0..=100; clamp away rounding noise.
        Score::parse((weighted / total as f64).clamp(0.0, 100.0)).ok()
    }

    fn require(&self, status: SurveyStatus, request: &'static str) -> Result<(), SurveyError> {
        if self.status == status {
            Ok(())
        } else {
            Err(SurveyError::InvalidTransition {
                state: self.status.as_str(),
                request,
            })
        }
    }

    /// Every decision of the aggregate: the events a command yields, or why it is refused.
    pub fn decide(
        &self,
        command: Command<SurveyCommand>,
        services: &DomainServices,
    ) -> Result<Vec<SurveyEvent>, SurveyError> {
        let Command { stamp, body } = command;
        let request = body.name();
        let event = match body {
            SurveyCommand::OpenRound {
                round,
                campaign,
                quarter,
                field,
                unit,
            } => {
                self.require(SurveyStatus::NotOpened, request)?;
                let expected = round_id(&campaign, quarter, &field, &unit)
                    .map_err(|reason| SurveyError::UnaddressableRound { reason })?;
                if round != expected {
                    return Err(SurveyError::WrongRoundId {
                        named: round,
                        expected,
                    });
                }
                let Some(settings) = services.settings.settings(&campaign) else {
                    return Err(SurveyError::UnknownCampaign { campaign });
                };
                // The secretariat of the field's task force records the scores and closes the
                // round: without one the round could never be run, so it is not opened.
                let Some(task_force) = services.settings.task_force(&campaign, &field) else {
                    return Err(SurveyError::NoTaskForce { campaign, field });
                };
                SurveyEvent::RoundOpened {
                    round,
                    campaign,
                    quarter,
                    field,
                    task_force: Some(task_force),
                    unit,
                    quarter_starts_at: quarter.starts_at(settings.time_zone),
                    quarter_ends_at: quarter.ends_at(settings.time_zone),
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            SurveyCommand::RecordScore { score, sample_size } => {
                self.require(SurveyStatus::Open, request)?;
                let (Some(quarter), Some((starts_at, ends_at))) =
                    (self.quarter, self.quarter_window)
                else {
                    // Open implies RoundOpened was applied; the fallback keeps this total.
                    return Err(SurveyError::InvalidTransition {
                        state: self.status.as_str(),
                        request,
                    });
                };
                if stamp.at < starts_at || stamp.at >= ends_at {
                    return Err(SurveyError::OutsideQuarter {
                        quarter,
                        at: stamp.at,
                    });
                }
                if sample_size == 0 {
                    return Err(SurveyError::EmptySample);
                }
                SurveyEvent::ScoreRecorded {
                    score,
                    sample_size,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            SurveyCommand::CloseRound => {
                self.require(SurveyStatus::Open, request)?;
                SurveyEvent::RoundClosed {
                    sample_size: self.sample_size(),
                    mean: self.mean(),
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
        };
        Ok(vec![event])
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]). 2: the round id
/// and the quarter's bounds.
impl crate::FoldVersion for Survey {
    const FOLD_VERSION: u32 = 2;
}

impl Aggregate for Survey {
    const TYPE: &'static str = "survey";
    type Command = Command<SurveyCommand>;
    type Event = SurveyEvent;
    type Error = SurveyError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        crate::handling::handle(self, command, services, sink, Self::decide).await
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            SurveyEvent::RoundOpened {
                round,
                campaign,
                quarter,
                field,
                task_force,
                unit,
                quarter_starts_at,
                quarter_ends_at,
                ..
            } => {
                self.status = SurveyStatus::Open;
                self.round = Some(round);
                self.campaign = Some(campaign);
                self.quarter = Some(quarter);
                self.field = Some(field);
                self.task_force = task_force;
                self.unit = Some(unit);
                self.quarter_window = Some((quarter_starts_at, quarter_ends_at));
            }
            SurveyEvent::ScoreRecorded {
                score, sample_size, ..
            } => self.scores.push(RecordedScore { score, sample_size }),
            SurveyEvent::RoundClosed { at: closed_at, .. } => {
                self.status = SurveyStatus::Closed;
                self.closed_at = Some(closed_at);
            }
        }
    }
}

impl crate::event::Scoped for Survey {
    /// The round's campaign, task force, field and unit.
    fn scope(&self) -> crate::event::Scope {
        let Some(campaign) = &self.campaign else {
            return crate::event::Scope::default();
        };
        crate::event::Scope::campaign(campaign)
            .with_task_force(self.task_force.as_ref())
            .with_field(self.field.as_ref())
            .with_unit(self.unit.as_ref())
    }
}
