//! One process per rehearsal: the serving process holds the clock's lease (on PostgreSQL an
//! advisory lock on a session of its own) for as long as it serves. A second process moving
//! the same clock would fork simulated time, so it is refused at start; and should the
//! holder's session die (a database restart, a dropped connection) the lock is gone with it —
//! the holder then stops serving rather than keep moving a clock another process may take.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use rectiflow_engine::consumer::ConsumerStore;
use rectiflow_engine::shutdown::pause;
use rectiflow_engine::supervisor::{OnFailure, WorkerError};
use rectiflow_engine::Worker;
use tokio::sync::Mutex;

/// The lease's name (a consumer-style lease).
pub const REHEARSAL_CLOCK: &str = "rehearsal-clock";

/// How often the holder confirms it still holds the lease.
const CHECK_EVERY: Duration = Duration::from_secs(5);

/// The lease, taken; refused when another process serves this rehearsal store.
pub async fn take<S: ConsumerStore>(store: &S) -> anyhow::Result<S::Lease> {
    store.try_lease(REHEARSAL_CLOCK, &mut None).await?.context(
        "another process serves this rehearsal store: its clock is held by one process at a time",
    )
}

/// The worker that keeps `lease`: it confirms it every few seconds, stops the process when it
/// is lost, and releases it at shutdown.
pub fn keeper<S: ConsumerStore + Clone + 'static>(store: S, lease: S::Lease) -> Worker
where
    S::Lease: 'static,
{
    let held = Arc::new(Mutex::new(Some(lease)));
    Worker {
        name: "rehearsal-clock-lease".to_owned(),
        on_failure: OnFailure::StopProcess,
        start: Box::new(move |shutdown| {
            let (store, held) = (store.clone(), Arc::clone(&held));
            Box::pin(async move {
                loop {
                    if !pause(&shutdown, CHECK_EVERY).await {
                        if let Some(lease) = held.lock().await.take() {
                            store.release(REHEARSAL_CLOCK, lease).await;
                        }
                        return Ok(());
                    }
                    let mut guard = held.lock().await;
                    let Some(lease) = guard.as_mut() else {
                        return Err(WorkerError::new("the rehearsal clock's lease is gone"));
                    };
                    if let Err(error) = store.check_lease(lease).await {
                        guard.take();
                        return Err(WorkerError::new(format!(
                            "the rehearsal clock's lease was lost ({error}): stopping, so that no two processes move one clock"
                        )));
                    }
                }
            })
        }),
    }
}
