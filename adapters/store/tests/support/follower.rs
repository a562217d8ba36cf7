//! A live reader of the log, as a consumer reads it: from the last position it saw, page by
//! page, woken by the head's watch. It keeps every (position, event id) it was handed, in the
//! order it was handed them, so a test can compare what a reader saw *while* writers and the
//! sequencer ran with the log as it stands at the end.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rectiflow_engine::{CancellationToken, EventStore};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// A reader following the log in a task until stopped.
pub struct Follower {
    seen: Arc<Mutex<Vec<(u64, Uuid)>>>,
    read_up_to: watch::Receiver<u64>,
    stop: CancellationToken,
    task: JoinHandle<()>,
}

/// Starts following `store`'s log from position 0.
pub fn follow<S: EventStore>(store: &S) -> Follower {
    let store = store.clone();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (read_tx, read_up_to) = watch::channel(0u64);
    let stop = CancellationToken::new();
    let task = tokio::spawn({
        let seen = seen.clone();
        let stop = stop.clone();
        async move {
            let mut head = store.watch_head();
            let mut after = 0u64;
            while !stop.is_cancelled() {
                head.borrow_and_update();
                let page = store.read_log(after, 500).await.expect("read the log");
                if let Some(last) = page.last() {
                    after = last.position;
                    seen.lock()
                        .expect("seen")
                        .extend(page.iter().map(|e| (e.position, e.event.event_id)));
                    read_tx.send_replace(after);
                    continue;
                }
                // The watch is the wake-up; the bound covers a missed one (the watch is only a
                // hint, as for every reader of the log).
                tokio::select! {
                    _ = stop.cancelled() => {}
                    _ = head.changed() => {}
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                }
            }
        }
    });
    Follower {
        seen,
        read_up_to,
        stop,
        task,
    }
}

impl Follower {
    /// Waits until the reader has been handed `position` (at most 60 s).
    pub async fn reached(&mut self, position: u64) {
        let reached = tokio::time::timeout(
            Duration::from_secs(60),
            self.read_up_to.wait_for(|read| *read >= position),
        )
        .await
        .is_ok_and(|read| read.is_ok());
        assert!(
            reached,
            "the reader did not reach position {position}: it read up to {}",
            *self.read_up_to.borrow()
        );
    }

    /// What the reader was handed so far.
    pub fn seen(&self) -> Vec<(u64, Uuid)> {
        self.seen.lock().expect("seen").clone()
    }

    /// Stops the reader and returns everything it was handed.
    pub async fn stop(self) -> Vec<(u64, Uuid)> {
        self.stop.cancel();
        self.task.await.expect("the reader ran cleanly");
        let seen = self.seen.lock().expect("seen");
        seen.clone()
    }
}
