//! # The virtual-time driver
//!
//! One manual clock, moved from one instant where something falls due to the next — the
//! rhythm's fire times, the deadlines the watches hold — and at each, everything `serve` runs
//! stepped by hand until nothing moves: the log placed (on PostgreSQL the sequencer's work,
//! awaited), every projection and policy brought up to the head, the scheduler's look (each
//! publication made once the models it reads are at the head), the deadline watcher's look,
//! and again until a round writes nothing. No poller is waited on and no wall time passes, so
//! a simulated year takes seconds and every run is the same. The rehearsal (the API's
//! rehearsal mode, `rectiflow demo`) and the tests drive the same code.
//!
//! The driver must be the only one running the consumers of its store (it takes their leases
//! one step at a time); it refuses to step one another process is running.

mod stepping;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use rectiflow_domain::clock::ManualClock;
use rectiflow_engine::{CancellationToken, CommandContext};
use rectiflow_projections::policies::roster::PolicyPorts;
use rectiflow_scheduler::firing::{ActionFailed, PublicationOrder, Publisher, Scheduler, Tick};
use rectiflow_scheduler::watching::{Watched, Watcher};
use rectiflow_store::Store;
use tokio::sync::Mutex;

use crate::config::Config;
use crate::schedule::firing::ProjectionsPublisher;
use crate::schedule::watching::Watches;
pub use stepping::Stepper;

/// At most this many rounds at one instant before the driver says something keeps writing.
const MAX_ROUNDS: usize = 100;

/// The consumers, shared with the publisher that steps them before each publication.
type Steppers<S> = Arc<Mutex<Vec<Box<dyn Stepper<S>>>>>;

/// What the driver did up to an instant.
#[derive(Debug, Default, Clone)]
pub struct Walked {
    /// Instants the clock moved to.
    pub instants: usize,
    pub ticks: Vec<Tick>,
    pub watched: Vec<Watched>,
    /// The instant and head the walk last settled at: nothing to settle while both stand.
    settled: Option<(DateTime<Utc>, u64)>,
}

/// The driver over a store.
pub struct Driver<S: Store> {
    store: S,
    clock: ManualClock,
    steppers: Steppers<S>,
    scheduler: Scheduler<S, Stepping<S>>,
    watcher: Watcher<S, Watches<S>>,
    ports: PolicyPorts<S>,
    stop: CancellationToken,
}

impl<S: Store> Driver<S> {
    /// A driver whose clock starts at `start`, with `config`'s ports (county, repair terms).
    pub fn new(store: S, config: &Config, start: DateTime<Utc>) -> anyhow::Result<Self> {
        let clock = ManualClock::starting_at(start);
        let ports: PolicyPorts<S> =
            crate::policies::ports(&store, config, Arc::new(clock.clone()))?;
        let ports = PolicyPorts {
            // Every model the publication reads is at the head before it asks: no wait.
            publication_wait: Duration::ZERO,
            ..ports
        };
        let steppers: Steppers<S> = Arc::new(Mutex::new(
            stepping::all(&ports).map_err(|e| anyhow::anyhow!("making the policies: {e}"))?,
        ));
        let publisher = Stepping {
            store: store.clone(),
            steppers: Arc::clone(&steppers),
            inner: crate::schedule::firing::publisher(&ports),
        };
        let scheduler = Scheduler::new(ports.exec.clone(), ports.services.clone(), publisher);
        let watcher = crate::schedule::watching::watcher(&ports);
        Ok(Self {
            store,
            clock,
            steppers,
            scheduler,
            watcher,
            ports,
            stop: CancellationToken::new(),
        })
    }

    pub fn clock(&self) -> &ManualClock {
        &self.clock
    }

    /// The executor on the driver's clock and the campaign's services: what a generator
    /// writing between the driver's steps (the demo) decides its commands with.
    pub fn ports(&self) -> &PolicyPorts<S> {
        &self.ports
    }

    pub fn now(&self) -> DateTime<Utc> {
        rectiflow_domain::clock::Clock::now(&self.clock)
    }

    /// Steps everything at the clock's instant until a round writes nothing.
    pub async fn settle(&self, walked: &mut Walked) -> anyhow::Result<()> {
        for _ in 0..MAX_ROUNDS {
            let before = self.head().await?;
            step_all(&self.store, &self.steppers).await?;
            let tick = self.scheduler.tick(&self.stop).await?;
            anyhow::ensure!(
                tick.failures.is_empty(),
                "the scheduler failed: {:?}",
                tick.failures
            );
            walked.ticks.push(tick);
            let watched = self.watcher.look(&self.stop).await?;
            anyhow::ensure!(
                watched.failures.is_empty(),
                "the deadline watcher failed: {:?}",
                watched.failures
            );
            walked.watched.push(watched);
            step_all(&self.store, &self.steppers).await?;
            let head = self.head().await?;
            if head == before {
                walked.settled = Some((self.now(), head));
                return Ok(());
            }
        }
        anyhow::bail!("still writing after {MAX_ROUNDS} rounds at {}", self.now())
    }

    /// Moves the clock through every instant something falls due up to `until` (included),
    /// settling at each, and leaves it at `until`.
    pub async fn advance_to(&self, until: DateTime<Utc>) -> anyhow::Result<Walked> {
        let mut walked = Walked::default();
        while self.move_toward(until, &mut walked).await? {}
        Ok(walked)
    }

    /// One stop on the way to `until`: the clock moved to the next instant something falls
    /// due, or to `until` when nothing does before it, and everything settled there. `false`
    /// when the clock already stood at `until`, settled — so a caller can let others use the
    /// driver between stops (a write they make is settled before the next move), and say how
    /// far it got.
    pub async fn move_toward(
        &self,
        until: DateTime<Utc>,
        walked: &mut Walked,
    ) -> anyhow::Result<bool> {
        match self.next_stop(until, walked).await? {
            Some(next) => {
                self.stop_at(next, walked).await?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Where the next stop on the way to `until` is: the next instant something falls due,
    /// or `until`; `None` when the clock stands at `until`. What was written since the walk
    /// last settled (by others, between stops) may fall due sooner, so it is settled first:
    /// its look gives the rhythm's next fire time afresh.
    pub async fn next_stop(
        &self,
        until: DateTime<Utc>,
        walked: &mut Walked,
    ) -> anyhow::Result<Option<DateTime<Utc>>> {
        anyhow::ensure!(
            until >= self.now(),
            "the clock stands at {} and does not go back to {until}",
            self.now()
        );
        if walked.settled != Some((self.now(), self.head().await?)) {
            self.settle(walked).await?;
        }
        if self.now() == until {
            return Ok(None);
        }
        let rhythm = walked.ticks.last().and_then(|tick| tick.next_due);
        Ok(Some(match self.next_due(rhythm).await? {
            Some(next) if next <= until => next,
            _ => until,
        }))
    }

    /// Moves the clock forward to `at` and settles everything there.
    pub async fn stop_at(&self, at: DateTime<Utc>, walked: &mut Walked) -> anyhow::Result<()> {
        anyhow::ensure!(
            at >= self.now(),
            "the clock stands at {} and does not go back to {at}",
            self.now()
        );
        self.clock.set(at);
        self.settle(walked).await?;
        walked.instants += 1;
        Ok(())
    }

    /// The first instant after now something falls due: the rhythm's next fire time (as the
    /// last look found it), or the earliest deadline a watch holds.
    async fn next_due(
        &self,
        rhythm: Option<DateTime<Utc>>,
    ) -> anyhow::Result<Option<DateTime<Utc>>> {
        let now = self.now();
        let deadline = rectiflow_projections::due_work::next_due_after(&self.store, now).await?;
        Ok(rhythm
            .into_iter()
            .chain(deadline)
            .filter(|at| *at > now)
            .min())
    }

    async fn head(&self) -> anyhow::Result<u64> {
        wait_for_log(&self.store).await
    }
}

/// Waits until every committed event has its place in the log (on SQLite at once; on
/// PostgreSQL once the sequencer has placed them); returns the head then.
async fn wait_for_log<S: Store>(store: &S) -> anyhow::Result<u64> {
    let committed = store.committed().await?;
    let mut signal = store.watch_head();
    let placed = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            let head = store.head().await?;
            if head >= committed {
                return Ok::<u64, anyhow::Error>(head);
            }
            // The signal is only a hint: the head is read again either way.
            let _ = tokio::time::timeout(Duration::from_millis(50), signal.changed()).await;
        }
    })
    .await
    .context("the log placing every committed event")?;
    placed
}

/// Steps every consumer until none writes: a policy stepped after the projections may write
/// (an admonishment on a bulletin), and those writes must reach the projections too before
/// anything reads them.
async fn step_all<S: Store>(store: &S, steppers: &Steppers<S>) -> anyhow::Result<()> {
    let mut steppers = steppers.lock().await;
    for _ in 0..MAX_ROUNDS {
        let before = wait_for_log(store).await?;
        for stepper in steppers.iter_mut() {
            let name = stepper.name().to_owned();
            stepper
                .step(store)
                .await
                .with_context(|| format!("stepping {name}"))?;
        }
        if wait_for_log(store).await? == before {
            return Ok(());
        }
    }
    anyhow::bail!("the consumers still write after {MAX_ROUNDS} rounds")
}

/// The projections' publisher, with every consumer stepped to the head first: the models a
/// publication reads have applied the log up to its P when it asks.
pub struct Stepping<S: Store> {
    store: S,
    steppers: Steppers<S>,
    inner: ProjectionsPublisher<S>,
}

impl<S: Store> Publisher for Stepping<S> {
    async fn publish(
        &self,
        order: &PublicationOrder,
        context: &CommandContext,
        stop: &CancellationToken,
    ) -> Result<(), ActionFailed> {
        step_all(&self.store, &self.steppers)
            .await
            .map_err(|e| ActionFailed(format!("{e:#}")))?;
        self.inner.publish(order, context, stop).await
    }
}
