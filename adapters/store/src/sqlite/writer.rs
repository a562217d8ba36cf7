//! One writer at a time, queued in this process.
//!
//! SQLite lets one transaction write at a time. Left to the database, writers beyond the first
//! wait in SQLite's busy handler, which sleeps and retries in steps of up to 100 ms and gives
//! up with "database is locked" after the busy timeout: under more writers than connections
//! the queue is unfair and slow. So every write path here — commits, a consumer's batch, an
//! import, a read-model statement, the idempotency purge — first takes its turn on a fair
//! in-process queue, and only then begins its transaction; readers never queue.
//!
//! A task that already holds the turn and asks for it again (a consumer's handler executing a
//! command inside its own batch transaction) would wait on itself for ever; a spawned task (as
//! every consumer is, under the supervisor) gets [`StoreError::Misuse`] at once instead. Code
//! outside any task (a `block_on`) has no id to be recognised by. Handlers run commands in `Handler::react`, before
//! their transaction opens.

use std::sync::{Arc, Mutex};

use rectiflow_engine::StoreError;
use tokio::sync::OwnedMutexGuard;

/// The queue of this process's writers to one SQLite database.
#[derive(Default)]
pub(crate) struct Writer {
    turn: Arc<tokio::sync::Mutex<()>>,
    holder: Arc<Mutex<Option<tokio::task::Id>>>,
}

/// The right to write, held until dropped (after the transaction it covers has ended).
pub(crate) struct WriteTurn {
    _turn: OwnedMutexGuard<()>,
    holder: Arc<Mutex<Option<tokio::task::Id>>>,
}

impl Writer {
    /// Waits for this process's turn to write. `what` names the write, for the error a
    /// re-entrant request gets.
    pub(crate) async fn turn(&self, what: &str) -> Result<WriteTurn, StoreError> {
        let me = tokio::task::try_id();
        if me.is_some() && self.holder.lock().map(|h| *h == me).unwrap_or(false) {
            return Err(StoreError::Misuse(format!(
                "{what} was asked for by a task that holds SQLite's write transaction already \
                 (a consumer's handler writing outside its batch?): it would wait on itself for \
                 ever. Execute commands in the handler's `react`, before its transaction opens"
            )));
        }
        let turn = self.turn.clone().lock_owned().await;
        if let Ok(mut holder) = self.holder.lock() {
            *holder = me;
        }
        Ok(WriteTurn {
            _turn: turn,
            holder: self.holder.clone(),
        })
    }
}

impl Drop for WriteTurn {
    fn drop(&mut self) {
        if let Ok(mut holder) = self.holder.lock() {
            *holder = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_task_holding_the_turn_is_refused_not_deadlocked() {
        // Consumers run in spawned tasks, which is what has an id to recognise.
        tokio::spawn(async {
            let writer = Writer::default();
            let held = writer.turn("a batch").await.expect("first turn");
            match writer.turn("a commit").await {
                Err(StoreError::Misuse(reason)) => {
                    assert!(reason.contains("a commit"), "{reason}")
                }
                Ok(_) => panic!("a second turn for the same task"),
                Err(other) => panic!("unexpected {other:?}"),
            }
            drop(held);
            writer
                .turn("a commit")
                .await
                .expect("the turn is free again");
        })
        .await
        .expect("the task");
    }

    #[tokio::test]
    async fn other_tasks_wait_their_turn() {
        let writer = Arc::new(Writer::default());
        let held = writer.turn("first").await.expect("first turn");
        let waiting = tokio::spawn({
            let writer = writer.clone();
            async move { writer.turn("second").await.map(|_| ()) }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "the second writer waits");
        drop(held);
        waiting
            .await
            .expect("task")
            .expect("the second writer gets its turn");
    }
}
