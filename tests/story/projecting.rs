//! Running a projection over the whole log the story wrote, and waiting on its progress — a
//! signal, not a clock.

use rectiflow_engine::consumer::{self, ConsumerOptions, Handler, HandlerError};
use rectiflow_engine::readmodel::ReadModels;
use rectiflow_engine::{CancellationToken, LoggedEvent};
use rectiflow_projections::{Projector, RowProjection};
use rectiflow_tests::Store;
use tokio::sync::watch;

/// A handler, reporting each batch it applied (its own reactions, reset and version kept).
struct Reporting<H> {
    inner: H,
    applied: watch::Sender<u64>,
}

impl<H: Handler> Handler for Reporting<H> {
    /// The handler's own version and reset: the wrapper only reports.
    const VERSION: u32 = H::VERSION;

    async fn reset<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        self.inner.reset(tx).await
    }

    async fn prepare<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        self.inner.prepare(tx).await
    }

    async fn react(&mut self, batch: &[LoggedEvent]) -> Result<(), HandlerError> {
        self.inner.react(batch).await
    }

    async fn handle<T: ReadModels>(
        &mut self,
        tx: &mut T,
        batch: &[LoggedEvent],
    ) -> Result<(), HandlerError> {
        self.inner.handle(tx, batch).await?;
        if let Some(last) = batch.last() {
            self.applied.send_replace(last.position);
        }
        Ok(())
    }
}

/// Runs `P`'s projector until it has applied the log up to its head, then stops it. Run
/// again, it carries on from its checkpoint.
pub async fn project_to_head<S: Store, P: RowProjection>(store: &S) {
    run_to_head(store, P::NAME, Projector::<P>::new()).await;
}

/// Runs `handler` as the consumer `name` until it has applied the log up to the head it
/// finds on start (whatever it writes itself comes after), then stops it.
pub async fn run_to_head<S: Store, H: Handler + 'static>(store: &S, name: &str, handler: H) {
    let head = store.head().await.expect("the head");
    let (applied, mut progress) = watch::channel(0);
    let shutdown = CancellationToken::new();
    let handler = Reporting {
        inner: handler,
        applied,
    };
    let runner = tokio::spawn(consumer::run(
        store.clone(),
        ConsumerOptions::new(name),
        handler,
        shutdown.clone(),
    ));
    // A second run starts at its checkpoint; with nothing new to apply it reports nothing.
    let reported = async {
        progress
            .wait_for(|position| *position >= head)
            .await
            .map(|_| ())
    };
    tokio::select! {
        reached = reported => reached.expect("the consumer's progress"),
        () = settled(store, name, head) => {}
    }
    // The runner returns only between batches, so the last batch is committed after this.
    shutdown.cancel();
    runner.await.expect("the consumer task");
}

/// Resolves once `consumer`'s checkpoint is at `head` (polling: a consumer that is already
/// there applies no batch and so reports none).
async fn settled<S: Store>(store: &S, consumer: &str, head: u64) {
    loop {
        let at = store
            .consumer_position(consumer)
            .await
            .expect("the consumer's checkpoint");
        if at.is_some_and(|at| at.checkpoint >= head) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
