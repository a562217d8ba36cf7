//! The supervisor of background workers: the sequencer, consumers, purges, and later the
//! scheduler and deliveries.
//!
//! A worker is a named task that runs until shutdown. One that fails — returns an error,
//! panics, or returns before shutdown — is never lost silently: it is logged with its name and
//! counted (`rectiflow_worker_failures_total{worker}`), then either restarted with backoff
//! ([`OnFailure::Restart`]) or, for a worker the process cannot do without, made to stop the
//! whole process with an error ([`OnFailure::StopProcess`]), which the binary turns into a
//! non-zero exit.
//!
//! Shutdown is bounded ([`Supervisor::stop_within`]): a worker waiting on something that
//! never answers — a database behind a network partition, whose connections stay open and
//! silent — would otherwise hold the process forever, and a service manager would have to kill
//! it. After the grace period such workers are abandoned (aborted), and named in the log.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::task::{AbortHandle, Id, JoinSet};
use tokio_util::sync::CancellationToken;

use crate::shutdown::Backoff;

/// What a worker's failure means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFailure {
    /// Log it and start the worker again after a backoff (1 s doubling to 60 s).
    Restart,
    /// Log it and stop the process: shutdown is signalled and [`Supervisor::wait`] fails.
    StopProcess,
}

/// Why a worker failed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct WorkerError(pub String);

impl WorkerError {
    pub fn new(reason: impl std::fmt::Display) -> Self {
        Self(reason.to_string())
    }
}

/// A worker that stopped the process.
#[derive(Debug, Clone, thiserror::Error)]
#[error("background worker {worker} failed: {reason}")]
pub struct SupervisorError {
    pub worker: String,
    pub reason: String,
}

/// How a bounded stop ended: the workers that had not stopped when the grace period ran out
/// (aborted, so nothing of them outlives the supervisor).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stopped {
    /// Names of the abandoned workers, sorted.
    pub abandoned: Vec<String>,
}

/// One run of a worker.
pub type WorkerFuture = Pin<Box<dyn Future<Output = Result<(), WorkerError>> + Send>>;

/// A named background worker, as a crate hands it to the binary to supervise.
pub struct Worker {
    pub name: String,
    pub on_failure: OnFailure,
    /// Starts one run, which must return when the token is cancelled.
    pub start: Box<dyn FnMut(CancellationToken) -> WorkerFuture + Send>,
}

impl Worker {
    /// A worker that is restarted when it fails.
    pub fn restarting<F, Fut>(name: impl Into<String>, mut start: F) -> Self
    where
        F: FnMut(CancellationToken) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), WorkerError>> + Send + 'static,
    {
        Self {
            name: name.into(),
            on_failure: OnFailure::Restart,
            start: Box::new(move |shutdown| Box::pin(start(shutdown))),
        }
    }
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("name", &self.name)
            .field("on_failure", &self.on_failure)
            .finish_non_exhaustive()
    }
}

/// Runs named workers until shutdown; see the module docs.
pub struct Supervisor {
    shutdown: CancellationToken,
    tasks: JoinSet<Result<(), SupervisorError>>,
    /// The name of each running worker's task, to say which ones a bounded stop abandoned.
    names: HashMap<Id, String>,
    min_backoff: Duration,
    max_backoff: Duration,
}

impl Supervisor {
    /// A supervisor whose workers stop when `shutdown` is cancelled.
    pub fn new(shutdown: CancellationToken) -> Self {
        Self {
            shutdown,
            tasks: JoinSet::new(),
            names: HashMap::new(),
            min_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
        }
    }

    /// Restart backoff bounds (tests shorten them).
    pub fn with_backoff(mut self, min: Duration, max: Duration) -> Self {
        self.min_backoff = min;
        self.max_backoff = max;
        self
    }

    /// The shutdown signal the workers follow.
    pub fn shutdown(&self) -> &CancellationToken {
        &self.shutdown
    }

    /// Starts `worker`.
    pub fn add(&mut self, mut worker: Worker) {
        self.spawn(worker.name, worker.on_failure, move |shutdown| {
            (worker.start)(shutdown)
        });
    }

    /// Starts worker `name`. `start` makes a fresh run of it each time it is (re)started; the
    /// run must return when the token it is given is cancelled.
    pub fn spawn<F, Fut>(&mut self, name: impl Into<String>, on_failure: OnFailure, mut start: F)
    where
        F: FnMut(CancellationToken) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), WorkerError>> + Send + 'static,
    {
        let name = name.into();
        let shutdown = self.shutdown.clone();
        let mut backoff = Backoff::new(self.min_backoff, self.max_backoff);
        let task_name = name.clone();
        let task = self.tasks.spawn(async move {
            loop {
                let run: WorkerFuture = Box::pin(start(shutdown.clone()));
                // Each run is a task of its own, so a panic is caught and named here; aborting
                // this loop (an abandoned worker) aborts the run with it.
                let run = tokio::spawn(run);
                let _abort_run = AbortOnDrop(run.abort_handle());
                let outcome = run.await;
                let reason = match outcome {
                    Ok(Ok(())) if shutdown.is_cancelled() => return Ok(()),
                    Ok(Ok(())) => "stopped on its own before shutdown".to_owned(),
                    Ok(Err(error)) => error.0,
                    Err(join) if join.is_panic() => {
                        format!("panicked: {}", panic_message(join.into_panic()))
                    }
                    Err(join) => format!("was cancelled: {join}"),
                };
                metrics::counter!("rectiflow_worker_failures_total", "worker" => name.clone())
                    .increment(1);
                match on_failure {
                    OnFailure::Restart => {
                        tracing::error!(worker = %name, %reason, "background worker failed; restarting");
                        if !backoff.pause(&shutdown).await {
                            return Ok(());
                        }
                    }
                    OnFailure::StopProcess => {
                        tracing::error!(worker = %name, %reason, "background worker failed; stopping the process");
                        shutdown.cancel();
                        return Err(SupervisorError {
                            worker: name,
                            reason,
                        });
                    }
                }
            }
        });
        self.names.insert(task.id(), task_name);
    }

    /// Waits until every worker has stopped (after shutdown), and fails with the first worker
    /// that stopped the process. Unbounded: a worker stuck on I/O that never completes holds
    /// it forever — a process that must exit uses [`Self::stop_within`].
    pub async fn wait(mut self) -> Result<(), SupervisorError> {
        let mut first = None;
        while let Some(joined) = self.tasks.join_next_with_id().await {
            self.record(joined, &mut first);
        }
        first.map_or(Ok(()), Err)
    }

    /// Signals shutdown and waits at most `grace` for every worker to stop. Workers still
    /// running then are abandoned: aborted, logged by name, and listed in [`Stopped`]. Fails,
    /// as [`Self::wait`] does, with the first worker that stopped the process.
    pub async fn stop_within(mut self, grace: Duration) -> Result<Stopped, SupervisorError> {
        self.shutdown.cancel();
        let deadline = tokio::time::Instant::now() + grace;
        let mut first = None;
        loop {
            match tokio::time::timeout_at(deadline, self.tasks.join_next_with_id()).await {
                Ok(Some(joined)) => self.record(joined, &mut first),
                Ok(None) => break,
                Err(_) => {
                    let mut abandoned: Vec<String> = self.names.drain().map(|(_, n)| n).collect();
                    abandoned.sort();
                    for worker in &abandoned {
                        tracing::error!(%worker, ?grace,
                            "background worker did not stop within the shutdown grace period; abandoning it");
                    }
                    // Aborts every loop, and through it the run it was waiting on.
                    self.tasks.abort_all();
                    return first.map_or(Ok(Stopped { abandoned }), Err);
                }
            }
        }
        first.map_or(Ok(Stopped::default()), Err)
    }

    /// Takes note of a worker that ended, keeping the first that stopped the process.
    fn record(
        &mut self,
        joined: Result<(Id, Result<(), SupervisorError>), tokio::task::JoinError>,
        first: &mut Option<SupervisorError>,
    ) {
        let result = match joined {
            Ok((id, result)) => {
                self.names.remove(&id);
                result
            }
            Err(join) => Err(SupervisorError {
                worker: self
                    .names
                    .remove(&join.id())
                    .unwrap_or_else(|| "supervisor".into()),
                reason: join.to_string(),
            }),
        };
        if let (Err(error), None) = (result, &*first) {
            *first = Some(error);
        }
    }
}

/// Aborts a task when dropped: a worker's run must not outlive the loop that supervises it.
struct AbortOnDrop(AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(no message)".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use super::*;

    fn fast(shutdown: CancellationToken) -> Supervisor {
        Supervisor::new(shutdown).with_backoff(Duration::from_millis(1), Duration::from_millis(5))
    }

    #[tokio::test]
    async fn a_panicking_worker_is_restarted_until_it_runs() {
        let shutdown = CancellationToken::new();
        let mut supervisor = fast(shutdown.clone());
        let runs = Arc::new(AtomicU32::new(0));
        let (running_tx, running) = tokio::sync::oneshot::channel::<()>();
        let running_tx = Arc::new(std::sync::Mutex::new(Some(running_tx)));
        let counted = runs.clone();
        supervisor.spawn("flaky", OnFailure::Restart, move |stop| {
            let run = counted.fetch_add(1, Ordering::SeqCst) + 1;
            let running_tx = running_tx.clone();
            async move {
                if run < 3 {
                    panic!("run {run} breaks");
                }
                if let Some(tx) = running_tx.lock().ok().and_then(|mut t| t.take()) {
                    let _ = tx.send(());
                }
                stop.cancelled().await;
                Ok(())
            }
        });
        running.await.expect("the third run starts");
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        shutdown.cancel();
        supervisor
            .wait()
            .await
            .expect("a clean stop after restarts");
    }

    #[tokio::test]
    async fn a_vital_worker_that_fails_stops_the_process_with_its_name() {
        let shutdown = CancellationToken::new();
        let mut supervisor = fast(shutdown.clone());
        supervisor.add(Worker::restarting("steady", |shutdown| async move {
            shutdown.cancelled().await;
            Ok(())
        }));
        supervisor.spawn("sequencer", OnFailure::StopProcess, |_| async {
            Err(WorkerError::new("lost the database"))
        });
        let error = supervisor.wait().await.expect_err("the process must stop");
        assert_eq!(error.worker, "sequencer");
        assert_eq!(error.reason, "lost the database");
        assert!(
            shutdown.is_cancelled(),
            "shutdown was signalled to the others"
        );
    }

    #[tokio::test]
    async fn a_worker_stuck_past_the_grace_period_is_abandoned_by_name() {
        let shutdown = CancellationToken::new();
        let mut supervisor = fast(shutdown.clone());
        supervisor.add(Worker::restarting("prompt", |shutdown| async move {
            shutdown.cancelled().await;
            Ok(())
        }));
        // Ignores shutdown, as a worker waiting for a database that never answers does. Its
        // run's end is observed through the sender it holds.
        let (run_alive, mut run_ended) = tokio::sync::mpsc::channel::<()>(1);
        let (started_tx, started) = tokio::sync::oneshot::channel::<()>();
        let started_tx = std::sync::Mutex::new(Some(started_tx));
        supervisor.spawn("stuck", OnFailure::Restart, move |_| {
            let alive = run_alive.clone();
            let started = started_tx.lock().ok().and_then(|mut s| s.take());
            async move {
                let _alive = alive;
                if let Some(started) = started {
                    let _ = started.send(());
                }
                std::future::pending::<()>().await;
                Ok(())
            }
        });
        started.await.expect("the stuck worker runs");
        let stopped = tokio::time::timeout(
            Duration::from_secs(30),
            supervisor.stop_within(Duration::from_millis(100)),
        )
        .await
        .expect("a bounded stop returns")
        .expect("abandoning is not a failure");
        assert_eq!(stopped.abandoned, ["stuck"]);
        assert!(shutdown.is_cancelled());
        let ended = tokio::time::timeout(Duration::from_secs(30), run_ended.recv()).await;
        assert!(
            matches!(ended, Ok(None)),
            "the abandoned run was aborted, dropping what it held"
        );
    }

    #[tokio::test]
    async fn a_bounded_stop_of_prompt_workers_abandons_none() {
        let shutdown = CancellationToken::new();
        let mut supervisor = fast(shutdown.clone());
        supervisor.add(Worker::restarting("prompt", |shutdown| async move {
            shutdown.cancelled().await;
            Ok(())
        }));
        let stopped = supervisor
            .stop_within(Duration::from_secs(30))
            .await
            .expect("a clean stop");
        assert!(stopped.abandoned.is_empty());
    }

    #[tokio::test]
    async fn a_worker_returning_before_shutdown_counts_as_a_failure() {
        let shutdown = CancellationToken::new();
        let mut supervisor = fast(shutdown.clone());
        supervisor.spawn("quitter", OnFailure::StopProcess, |_| async { Ok(()) });
        let error = supervisor
            .wait()
            .await
            .expect_err("returning early is a failure");
        assert_eq!(error.worker, "quitter");
        assert!(error.reason.contains("before shutdown"), "{}", error.reason);
    }
}
