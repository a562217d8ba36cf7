//! The loop `serve` runs: a look, then the next one after `poll` (deadline facts fall due at
//! local midnight or at the instant a window closes; a look a minute late records them with
//! the instant they took effect, so nothing depends on being prompt), or shutdown.

use std::sync::Arc;
use std::time::Duration;

use rectiflow_engine::{CancellationToken, EventStore, WorkerError};

use super::{DueWork, Watcher};

/// How often the watcher looks.
pub const DEFAULT_POLL: Duration = Duration::from_secs(60);

/// Runs `watcher` until `stop`. A look that cannot read the due items ends the loop with an
/// error (its supervisor restarts it); an item whose command failed is tried at the next look.
pub async fn run<S, D>(
    watcher: Arc<Watcher<S, D>>,
    poll: Duration,
    stop: CancellationToken,
) -> Result<(), WorkerError>
where
    S: EventStore + Clone,
    D: DueWork,
{
    loop {
        let watched = watcher
            .look(&stop)
            .await
            .map_err(|e| WorkerError::new(format!("reading the watch lists: {e}")))?;
        for (item, fact) in &watched.recorded {
            tracing::info!(%item, ?fact, "deadline fact recorded");
        }
        for failure in &watched.failures {
            tracing::warn!(%failure, "deadline watcher: tried again at the next look");
        }
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tokio::time::sleep(poll) => {}
        }
    }
}
