//! # 演练 — rehearsal mode
//!
//! Secretariats train their staff, and leadership accepts the rules, by walking a campaign
//! through a simulated quarter: `serve --rehearsal --clock-start …` runs the whole service —
//! API, projections, policies, scheduler, deadline watcher — on a clock an admin moves forward
//! through the API (`POST /api/v1/rehearsal/clock`).
//!
//! The service is the virtual-time driver's ([`crate::driver`]): its consumers, scheduler and
//! watcher are stepped by hand, never by pollers that would wait on wall time. Between moves
//! the clock stands still and a settling worker brings everything up to each new write (a
//! command over the API, a policy's answer to it) — so the ledger and the boards follow the
//! API as they do when served live. A move is a job: walked one instant at a time (each one
//! where something falls due), the driver released between instants so commands still go
//! through, its progress readable, complete when the clock stands at the target with
//! everything due on the way fired, in order, and the projections caught up.
//!
//! Simulated: every stamp the domain records, the schedules, the watchers, the publications.
//! Real: idempotency-key retention, rate limits, tokens — they guard the service, not the
//! campaign. The store is marked a rehearsal once ([`rectiflow_store::mode`]) and keeps its
//! clock, so a restart resumes where the last move left it, and a live store never rehearses.

pub mod job;
pub mod lease;

use std::sync::{Arc, Mutex as SyncMutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rectiflow_engine::shutdown::{pause, CancellationToken};
use rectiflow_engine::Worker;
use rectiflow_projections::policies::roster::PolicyPorts;
use rectiflow_store::{mode, Store};
use tokio::sync::{Mutex, Notify};
use uuid::Uuid;

use crate::config::Config;
use crate::driver::{Driver, Walked};
pub use job::{Asked, ClockJob, ClockMove, JobStatus, Jobs, MoveRefused, Span};

/// How long the settling worker waits after a failed settle before trying again (a write
/// wakes it sooner).
const RETRY: Duration = Duration::from_secs(1);

/// How often the settling worker settles when no write wakes it.
const POLL: Duration = Duration::from_secs(1);

/// The rehearsal a service runs: its driver and its clock's jobs.
pub struct Rehearsal<S: Store> {
    store: S,
    /// One user at a time: the settling worker, or a job's step.
    driver: Mutex<Driver<S>>,
    ports: PolicyPorts<S>,
    jobs: SyncMutex<Jobs>,
    /// Wakes the settling worker (a change the API made that writes nothing to the log).
    woken: Arc<Notify>,
    shutdown: CancellationToken,
}

/// Why a move could not start.
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error(transparent)]
    Refused(#[from] MoveRefused),
    #[error("the clock is already moving (job {0}); wait for it to end")]
    Busy(String),
    #[error("this Idempotency-Key was used for another move (job {0})")]
    KeyReused(String),
}

/// What starting a move did.
#[derive(Debug, Clone)]
pub enum Started {
    New(ClockJob),
    /// The same request again under its `Idempotency-Key`: the job it started.
    Repeated(ClockJob),
}

impl<S: Store> Rehearsal<S> {
    /// The rehearsal of `store`, its clock at `clock` (where the store's mark keeps it).
    pub fn new(
        store: S,
        config: &Config,
        clock: DateTime<Utc>,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Arc<Self>> {
        let driver = Driver::new(store.clone(), config, clock)?;
        let ports = driver.ports().clone();
        Ok(Arc::new(Self {
            store,
            driver: Mutex::new(driver),
            ports,
            jobs: SyncMutex::new(Jobs::default()),
            woken: Arc::new(Notify::new()),
            shutdown,
        }))
    }

    /// The ports on the rehearsal's clock: what the API decides its commands with.
    pub fn ports(&self) -> &PolicyPorts<S> {
        &self.ports
    }

    /// What wakes the settling worker.
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.woken)
    }

    /// Where the clock stands.
    pub fn now(&self) -> DateTime<Utc> {
        self.ports.exec.clock().now()
    }

    fn jobs(&self) -> MutexGuard<'_, Jobs> {
        self.jobs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn job(&self, id: &str) -> Option<ClockJob> {
        self.jobs().get(id).cloned()
    }

    /// The last job started, if any.
    pub fn last_job(&self) -> Option<ClockJob> {
        self.jobs().last().cloned()
    }

    /// Starts moving the clock as `request` says; the job walks in the background.
    pub fn start_move(
        self: &Arc<Self>,
        request: &ClockMove,
        asked: Option<Asked>,
    ) -> Result<Started, MoveError> {
        let mut jobs = self.jobs();
        if let Some(asked) = &asked {
            if let Some(first) = jobs.asked(&asked.token, &asked.key) {
                return match first.asked.as_ref() == Some(asked) {
                    true => Ok(Started::Repeated(first.clone())),
                    false => Err(MoveError::KeyReused(first.id.clone())),
                };
            }
        }
        if let Some(running) = jobs.running() {
            return Err(MoveError::Busy(running.id.clone()));
        }
        let from = self.now();
        let to = request.target(from)?;
        let job = ClockJob {
            id: Uuid::now_v7().to_string(),
            status: JobStatus::Running,
            from,
            to,
            now: from,
            instants: 0,
            publications: Vec::new(),
            facts: 0,
            events: 0,
            error: None,
            started_at: Utc::now(),
            finished_at: None,
            asked,
        };
        jobs.insert(job.clone());
        drop(jobs);
        let rehearsal = Arc::clone(self);
        let id = job.id.clone();
        let walking = tokio::spawn(async move { rehearsal.walk(&id, to).await });
        // A walk that panics still ends its job, or the clock would stay busy for good.
        let rehearsal = Arc::clone(self);
        let id = job.id.clone();
        tokio::spawn(async move {
            if let Err(error) = walking.await {
                rehearsal.finish(
                    &id,
                    Err((JobStatus::Failed, format!("the walk failed: {error}"))),
                );
            }
        });
        Ok(Started::New(job))
    }

    /// Walks job `id` to `to`, one instant per hold of the driver, recording its progress and
    /// keeping the clock in the store's mark after each instant.
    async fn walk(&self, id: &str, to: DateTime<Utc>) {
        let mut walked = Walked::default();
        let (mut ticks, mut watched) = (0, 0);
        let events_before = self.store.committed().await.unwrap_or(0);
        let ended = loop {
            if self.shutdown.is_cancelled() {
                break Err((
                    JobStatus::Stopped,
                    "the service is shutting down".to_owned(),
                ));
            }
            let step = self.stop(to, &mut walked).await;
            let now = self.now();
            let events = self.store.committed().await.unwrap_or(events_before);
            let mut jobs = self.jobs();
            if let Some(job) = jobs.get_mut(id) {
                job.now = now;
                job.instants = walked.instants;
                for tick in &walked.ticks[ticks..] {
                    for (_, _, made) in &tick.completed {
                        job.publications
                            .extend(made.iter().map(|p| p.as_str().to_owned()));
                    }
                }
                ticks = walked.ticks.len();
                job.facts += walked.watched[watched..]
                    .iter()
                    .map(|w| w.recorded.len())
                    .sum::<usize>();
                watched = walked.watched.len();
                job.events = events.saturating_sub(events_before);
            }
            drop(jobs);
            match step {
                Err(error) => break Err((JobStatus::Failed, format!("{error:#}"))),
                Ok(false) => break Ok(()),
                Ok(true) => {}
            }
        };
        self.finish(id, ended);
    }

    /// Ends job `id` as `ended` says, unless it has ended already.
    fn finish(&self, id: &str, ended: Result<(), (JobStatus, String)>) {
        let mut jobs = self.jobs();
        if let Some(job) = jobs
            .get_mut(id)
            .filter(|job| job.status == JobStatus::Running)
        {
            job.finished_at = Some(Utc::now());
            match ended {
                Ok(()) => job.status = JobStatus::Completed,
                Err((status, error)) => {
                    tracing::warn!(job = id, %error, "the rehearsal clock stopped short");
                    job.status = status;
                    job.error = Some(error);
                }
            }
        }
    }

    /// The next stop on the way to `to`, with the driver held: the instant kept in the
    /// store's mark before the clock moves there, so a restart never resumes behind stamps
    /// already recorded. `false` once the clock stands at `to`.
    async fn stop(&self, to: DateTime<Utc>, walked: &mut Walked) -> anyhow::Result<bool> {
        let driver = self.driver.lock().await;
        let Some(next) = driver.next_stop(to, walked).await? else {
            return Ok(false);
        };
        mode::keep_clock(&self.store, next).await?;
        driver.stop_at(next, walked).await?;
        Ok(true)
    }

    /// Brings everything up to the log's head at the clock's instant.
    async fn settle(&self) -> anyhow::Result<()> {
        let driver = self.driver.lock().await;
        driver.settle(&mut Walked::default()).await
    }
}

/// The settling worker: after every write to the log (and at start), the consumers, the
/// scheduler and the watcher are stepped at the clock's instant until nothing moves — what
/// the live service's pollers do on the wall clock.
pub fn settling<S: Store>(rehearsal: Arc<Rehearsal<S>>) -> Worker {
    Worker::restarting("rehearsal-settle", move |shutdown| {
        let rehearsal = Arc::clone(&rehearsal);
        async move {
            let mut head = rehearsal.store.watch_head();
            loop {
                if let Err(error) = rehearsal.settle().await {
                    tracing::warn!(error = %format!("{error:#}"), "the rehearsal could not settle");
                    if !pause(&shutdown, RETRY).await {
                        return Ok(());
                    }
                    continue;
                }
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(()),
                    changed = head.changed() => {
                        if changed.is_err() && !pause(&shutdown, RETRY).await {
                            return Ok(());
                        }
                    }
                    _ = rehearsal.woken.notified() => {}
                    // The head's signal is a hint (a listener may be down, another process
                    // may write): settle at least this often anyway.
                    _ = tokio::time::sleep(POLL) => {}
                }
            }
        }
    })
}
