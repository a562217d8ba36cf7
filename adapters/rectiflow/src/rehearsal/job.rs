//! A move of the rehearsal clock as a job: asked for by an admin, walked in the background
//! one instant at a time, its progress readable while it runs.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The farthest one move takes the clock: a campaign year and a little more. A longer
/// rehearsal is walked in several moves, each readable on its own.
pub const MAX_DAYS: i64 = 400;

/// How many finished jobs are remembered (the running one always is).
const KEPT: usize = 100;

/// Where to move the clock: by a span, or to an instant. Exactly one.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ClockMove {
    /// Forward by this span.
    By(Span),
    /// Forward to this instant (RFC 3339, with its offset: `2026-04-01T09:00:00+08:00`).
    To(DateTime<FixedOffset>),
}

/// A span of simulated time.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Span {
    #[serde(default)]
    pub days: u32,
    #[serde(default)]
    pub hours: u32,
    #[serde(default)]
    pub minutes: u32,
}

/// Why a move was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveRefused {
    #[error("the clock stands at {now} and never goes back (asked for {to})")]
    Backwards {
        now: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    #[error("a move of nothing: give days, hours or minutes, or an instant after {now}")]
    Nothing { now: DateTime<Utc> },
    #[error("one move goes at most {MAX_DAYS} days ahead; walk a longer rehearsal in steps")]
    TooFar,
}

impl ClockMove {
    /// The instant the clock is to stand at after the move, from `now`.
    pub fn target(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>, MoveRefused> {
        let to = match self {
            ClockMove::By(span) => {
                let span = Duration::days(i64::from(span.days))
                    + Duration::hours(i64::from(span.hours))
                    + Duration::minutes(i64::from(span.minutes));
                if span > Duration::days(MAX_DAYS) {
                    return Err(MoveRefused::TooFar);
                }
                now + span
            }
            ClockMove::To(at) => at.with_timezone(&Utc),
        };
        if to < now {
            return Err(MoveRefused::Backwards { now, to });
        }
        if to == now {
            return Err(MoveRefused::Nothing { now });
        }
        if to - now > Duration::days(MAX_DAYS) {
            return Err(MoveRefused::TooFar);
        }
        Ok(to)
    }
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Running,
    /// The clock stands at `to`, everything due on the way has fired and the projections
    /// have caught up.
    Completed,
    /// Stopped at `now` by `error`; the clock stays there (a new move goes on from it).
    Failed,
    /// Stopped at `now` by the service's shutdown; the next start resumes the clock there.
    Stopped,
}

/// A move of the clock, as readable at `GET /api/v1/rehearsal/jobs/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ClockJob {
    pub id: String,
    pub status: JobStatus,
    /// The simulated instants: where the clock stood, where it goes, where it stands.
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub now: DateTime<Utc>,
    /// Instants the clock stopped at on the way (each one everything fell due at).
    pub instants: usize,
    /// Publications made on the way (周调度, 月通报, 季考核), in order.
    pub publications: Vec<String>,
    /// Facts the deadline watcher recorded on the way (overdue, missed responses …).
    pub facts: usize,
    /// Log events written while the clock moved: by the rhythm, the watcher and the
    /// policies, and any command sent meanwhile.
    pub events: u64,
    pub error: Option<String>,
    /// Wall-clock instants the job started and ended.
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The `Idempotency-Key` it was asked with, and by which token with which body: a repeat
    /// is answered with this job, a different body under the same key refused.
    #[serde(skip)]
    #[schemars(skip)]
    pub asked: Option<Asked>,
}

/// A request sent with an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub token: String,
    pub key: String,
    pub body: String,
}

/// The jobs of this process: the running one and the last finished ones.
#[derive(Debug, Default)]
pub struct Jobs {
    jobs: BTreeMap<String, ClockJob>,
}

impl Jobs {
    /// The running job, if one is.
    pub fn running(&self) -> Option<&ClockJob> {
        self.jobs
            .values()
            .find(|job| job.status == JobStatus::Running)
    }

    pub fn get(&self, id: &str) -> Option<&ClockJob> {
        self.jobs.get(id)
    }

    /// The last job started, running or not.
    pub fn last(&self) -> Option<&ClockJob> {
        self.jobs.values().max_by_key(|job| job.started_at)
    }

    /// The job asked for under `key` by `token`, if one is remembered.
    pub fn asked(&self, token: &str, key: &str) -> Option<&ClockJob> {
        self.jobs.values().find(|job| {
            job.asked
                .as_ref()
                .is_some_and(|asked| asked.token == token && asked.key == key)
        })
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut ClockJob> {
        self.jobs.get_mut(id)
    }

    /// Keeps `job`, forgetting the oldest finished ones beyond [`KEPT`] (ids are time-ordered).
    pub fn insert(&mut self, job: ClockJob) {
        self.jobs.insert(job.id.clone(), job);
        while self.jobs.len() > KEPT {
            let oldest = self
                .jobs
                .iter()
                .find(|(_, job)| job.status != JobStatus::Running)
                .map(|(id, _)| id.clone());
            match oldest {
                Some(id) => self.jobs.remove(&id),
                None => break,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn a_span_or_an_instant_gives_the_target() {
        let by = ClockMove::By(Span {
            days: 1,
            hours: 2,
            minutes: 3,
        });
        assert_eq!(
            by.target(now()),
            Ok(now() + Duration::minutes(24 * 60 + 123))
        );
        let to: DateTime<FixedOffset> = "2026-03-02T08:00:00+08:00".parse().unwrap_or_default();
        assert_eq!(
            ClockMove::To(to).target(now()),
            Ok(now() + Duration::days(1))
        );
    }

    #[test]
    fn backwards_nothing_and_too_far_are_refused() {
        let before: DateTime<FixedOffset> = "2026-02-28T08:00:00+08:00".parse().unwrap_or_default();
        assert!(matches!(
            ClockMove::To(before).target(now()),
            Err(MoveRefused::Backwards { .. })
        ));
        assert_eq!(
            ClockMove::By(Span::default()).target(now()),
            Err(MoveRefused::Nothing { now: now() })
        );
        let far = ClockMove::By(Span {
            days: 401,
            ..Span::default()
        });
        assert_eq!(far.target(now()), Err(MoveRefused::TooFar));
        let far = ClockMove::To((now() + Duration::days(401)).fixed_offset());
        assert_eq!(far.target(now()), Err(MoveRefused::TooFar));
    }
}
