//! Policies: consumers that turn events into commands. A command runs in the handler's
//! `react`, before its batch transaction opens, so it waits on no one — on SQLite the only
//! writer would otherwise be the consumer itself — and it is keyed by the event's position, so
//! running a batch again replays the command instead of repeating it.

use super::consumers::wait_for_checkpoint;
use super::*;
use rectiflow_engine::consumer::{Handler, HandlerError};
use rectiflow_engine::readmodel::ReadModels;
use rectiflow_engine::LoggedEvent;

/// For each event of a `source-*` counter, adds 1 to the counter `echo-*` of the same number.
struct Echo<S: EventStore> {
    exec: Executor<S>,
    /// Where the command runs: in `react` (right) or inside the batch transaction (wrong).
    inside_the_batch: bool,
    outcomes: tokio::sync::mpsc::UnboundedSender<Result<(), String>>,
}

impl<S: EventStore> Echo<S> {
    async fn echo(&self, batch: &[LoggedEvent]) -> Result<(), HandlerError> {
        for event in batch {
            let Some(n) = event.event.stream.stream_id.strip_prefix("source-") else {
                continue;
            };
            let key =
                IdempotencyKey::parse(format!("echo/{}", event.position)).map_err(HandlerError)?;
            let result = self
                .exec
                .execute::<Counter, _>(
                    &ctx("policy").with_idempotency_key(key),
                    &format!("echo-{n}"),
                    None,
                    CounterCommand::Add(1),
                    &(),
                )
                .await
                .map(|_| ())
                .map_err(|e| e.to_string());
            let _ = self.outcomes.send(result.clone());
            result.map_err(HandlerError)?;
        }
        Ok(())
    }
}

impl<S: EventStore> Handler for Echo<S> {
    async fn react(&mut self, batch: &[LoggedEvent]) -> Result<(), HandlerError> {
        if self.inside_the_batch {
            return Ok(());
        }
        self.echo(batch).await
    }

    async fn handle<T: ReadModels>(
        &mut self,
        _tx: &mut T,
        batch: &[LoggedEvent],
    ) -> Result<(), HandlerError> {
        if self.inside_the_batch {
            return self.echo(batch).await;
        }
        Ok(())
    }
}

fn spawn_echo<S: Harness>(
    store: &S,
    name: &str,
    inside_the_batch: bool,
    shutdown: CancellationToken,
) -> (
    tokio::task::JoinHandle<consumer::RunOutcome>,
    tokio::sync::mpsc::UnboundedReceiver<Result<(), String>>,
) {
    let (outcomes, received) = tokio::sync::mpsc::unbounded_channel();
    let handler = Echo {
        exec: executor(store),
        inside_the_batch,
        outcomes,
    };
    let mut options = ConsumerOptions::new(name);
    options.batch_size = 7;
    let task = tokio::spawn(consumer::run(store.clone(), options, handler, shutdown));
    (task, received)
}

async fn echo_total<S: Harness>(store: &S) -> u64 {
    let exec = executor(store);
    let mut total = 0;
    for n in 0..3 {
        total += exec
            .load::<Counter>(&format!("echo-{n}"))
            .await
            .expect("load")
            .0
            .value;
    }
    total
}

pub(crate) async fn a_policy_executes_commands_once<S: Harness>(store: S) {
    let exec = executor(&store);
    for i in 0..30 {
        exec.execute::<Counter, _>(
            &ctx("clerk"),
            &format!("source-{}", i % 3),
            None,
            CounterCommand::Add(1),
            &(),
        )
        .await
        .expect("write");
    }
    let shutdown = CancellationToken::new();
    let (task, _outcomes) = spawn_echo(&store, "echo", false, shutdown.clone());
    // 30 sources and their 30 echoes.
    support::wait_for_head(&store, 60).await;
    wait_for_checkpoint(&store, "echo", 60).await;
    shutdown.cancel();
    task.await.expect("the policy ran cleanly");
    assert_eq!(echo_total(&store).await, 30);

    // The same policy from the start (a rebuild, or a crash before every checkpoint): each
    // command replays under its key; nothing is echoed twice.
    let shutdown = CancellationToken::new();
    let (task, _outcomes) = spawn_echo(&store, "echo-rebuilt", false, shutdown.clone());
    wait_for_checkpoint(&store, "echo-rebuilt", 60).await;
    shutdown.cancel();
    task.await.expect("the policy ran cleanly");
    assert_eq!(echo_total(&store).await, 30);
    assert_eq!(store.head().await.expect("head"), 60);
}

/// SQLite has one writer: a command executed inside the consumer's own batch transaction
/// would wait for that transaction for ever. It is refused at once, naming the way out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_command_inside_the_batch_is_refused_not_deadlocked() {
    let fixture = support::sqlite().await;
    let store = fixture.store.clone();
    executor(&store)
        .execute::<Counter, _>(&ctx("clerk"), "source-0", None, CounterCommand::Add(1), &())
        .await
        .expect("write");
    let shutdown = CancellationToken::new();
    let (task, mut outcomes) = spawn_echo(&store, "echo", true, shutdown.clone());
    let first = tokio::time::timeout(Duration::from_secs(10), outcomes.recv())
        .await
        .expect("the command returned rather than waiting on its own consumer")
        .expect("an outcome");
    shutdown.cancel();
    task.await.expect("the policy stopped");
    match first {
        Err(reason) => assert!(reason.contains("react"), "{reason}"),
        Ok(()) => panic!("a write inside the batch transaction succeeded on SQLite"),
    }
}
