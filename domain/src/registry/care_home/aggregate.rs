//! The care-home aggregate: decisions in [`CareHome::decide`], folding in `apply`.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::values::{CampaignId, Deadline, Score, Stars, Text};
use crate::Command;

use super::commands::{CareHomeCommand, RectificationOutcome};
use super::errors::CareHomeError;
use super::events::CareHomeEvent;

/// The star rating (星级) for an inspection score, by fixed bands:
///
/// | score   | stars |
/// |---------|-------|
/// | 90–100  | 5     |
/// | 80–<90  | 4     |
/// | 70–<80  | 3     |
/// | 60–<70  | 2     |
/// | 0–<60   | 1     |
///
/// The bands are fixed (not a campaign setting) so that stars mean the same in every campaign
/// and every year; the score itself is kept beside the stars.
pub fn stars_for(score: Score) -> Option<Stars> {
    let s = score.get();
    let stars = if s >= 90.0 {
        5
    } else if s >= 80.0 {
        4
    } else if s >= 70.0 {
        3
    } else if s >= 60.0 {
        2
    } else {
        1
    };
    Stars::parse(stars).ok()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareHomeStatus {
    /// Nothing recorded yet.
    #[default]
    Unknown,
    /// Operating, with or without a rating.
    Operating,
    /// Ordered to rectify; the result is pending.
    UnderRectification,
    /// 取消运营资格 — final.
    Revoked,
}

impl CareHomeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CareHomeStatus::Unknown => "unknown",
            CareHomeStatus::Operating => "operating",
            CareHomeStatus::UnderRectification => "under_rectification",
            CareHomeStatus::Revoked => "revoked",
        }
    }
}

/// The rectification in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rectification {
    pub campaign: CampaignId,
    pub violations: Text,
    pub deadline: Deadline,
    pub due_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CareHome {
    pub status: CareHomeStatus,
    /// The latest inspection's score and stars.
    pub score: Option<Score>,
    pub stars: Option<Stars>,
    pub rectification: Option<Rectification>,
    pub rectifications_passed: u32,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl CareHome {
    fn refuse(&self, request: &'static str) -> CareHomeError {
        CareHomeError::InvalidTransition {
            state: self.status.as_str(),
            request,
        }
    }

    /// Every decision of the aggregate: the events a command yields, or why it is refused.
    pub fn decide(
        &self,
        command: Command<CareHomeCommand>,
        services: &DomainServices,
    ) -> Result<Vec<CareHomeEvent>, CareHomeError> {
        use CareHomeStatus::{Operating, Revoked, UnderRectification, Unknown};
        let Command { stamp, body } = command;
        let request = body.name();
        match body {
            CareHomeCommand::RecordInspection {
                campaign,
                score,
                findings,
            } => {
                if self.status == Revoked {
                    return Err(self.refuse(request));
                }
                if services.settings.settings(&campaign).is_none() {
                    return Err(CareHomeError::UnknownCampaign { campaign });
                }
                let stars =
                    stars_for(score).ok_or(CareHomeError::UnratableScore { score: score.get() })?;
                Ok(vec![CareHomeEvent::Inspected {
                    campaign,
                    score,
                    stars,
                    findings,
                    by: stamp.actor,
                    at: stamp.at,
                }])
            }
            CareHomeCommand::OrderRectification {
                campaign,
                violations,
                deadline,
            } => {
                if !matches!(self.status, Unknown | Operating) {
                    return Err(self.refuse(request));
                }
                let Some(settings) = services.settings.settings(&campaign) else {
                    return Err(CareHomeError::UnknownCampaign { campaign });
                };
                let due_at = deadline.passes_at(settings.time_zone);
                if due_at <= stamp.at {
                    return Err(CareHomeError::DeadlinePassed { deadline });
                }
                Ok(vec![CareHomeEvent::RectificationOrdered {
                    campaign,
                    violations,
                    deadline,
                    due_at,
                    by: stamp.actor,
                    at: stamp.at,
                }])
            }
            CareHomeCommand::RecordRectificationResult { outcome, notes } => {
                let (UnderRectification, Some(rectification)) = (self.status, &self.rectification)
                else {
                    return Err(self.refuse(request));
                };
                match outcome {
                    RectificationOutcome::Passed => Ok(vec![CareHomeEvent::RectificationPassed {
                        notes,
                        on_time: stamp.at < rectification.due_at,
                        by: stamp.actor,
                        at: stamp.at,
                    }]),
                    RectificationOutcome::Failed => {
                        if stamp.at < rectification.due_at {
                            return Err(CareHomeError::RectificationStillRunning {
                                due_at: rectification.due_at,
                            });
                        }
                        Ok(vec![
                            CareHomeEvent::RectificationFailed {
                                notes,
                                by: stamp.actor.clone(),
                                at: stamp.at,
                            },
                            CareHomeEvent::LicenceRevoked {
                                reason: rectification.violations.clone(),
                                by: stamp.actor.clone(),
                                at: stamp.at,
                            },
                        ])
                    }
                }
            }
        }
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for CareHome {
    const FOLD_VERSION: u32 = 1;
}

impl Aggregate for CareHome {
    const TYPE: &'static str = "care_home";
    type Command = Command<CareHomeCommand>;
    type Event = CareHomeEvent;
    type Error = CareHomeError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        for event in self.decide(command, services)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CareHomeEvent::Inspected { score, stars, .. } => {
                if self.status == CareHomeStatus::Unknown {
                    self.status = CareHomeStatus::Operating;
                }
                self.score = Some(score);
                self.stars = Some(stars);
            }
            CareHomeEvent::RectificationOrdered {
                campaign,
                violations,
                deadline,
                due_at,
                ..
            } => {
                self.status = CareHomeStatus::UnderRectification;
                self.rectification = Some(Rectification {
                    campaign,
                    violations,
                    deadline,
                    due_at,
                });
            }
            CareHomeEvent::RectificationPassed { .. } => {
                self.status = CareHomeStatus::Operating;
                self.rectification = None;
                self.rectifications_passed = self.rectifications_passed.saturating_add(1);
            }
            CareHomeEvent::RectificationFailed { .. } => {
                self.rectification = None;
            }
            CareHomeEvent::LicenceRevoked { at: revoked_at, .. } => {
                self.status = CareHomeStatus::Revoked;
                self.revoked_at = Some(revoked_at);
            }
        }
    }
}

impl crate::event::Scoped for CareHome {
    /// The campaign of the rectification in progress, if any. The care home itself is the
    /// stream: its id is the stream id, which the state does not repeat.
    fn scope(&self) -> crate::event::Scope {
        self.rectification
            .as_ref()
            .map(|r| crate::event::Scope::campaign(&r.campaign))
            .unwrap_or_default()
    }
}
