//! Appending and reading back, and the races between writers of one stream.

use super::*;

pub(crate) async fn append_and_read<S: Harness>(store: S) {
    let exec = executor(&store);
    let first = exec
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", None, CounterCommand::Add(5), &())
        .await
        .expect("first command");
    assert_eq!((first.version, first.replayed), (1, false));
    let second = exec
        .execute::<Counter, _>(
            &ctx("clerk-1"),
            "c1",
            Some(1),
            CounterCommand::AddMany(3),
            &(),
        )
        .await
        .expect("second command");
    assert_eq!(second.version, 4);
    assert_eq!(
        second.events.iter().map(|e| e.version).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    exec.execute::<Counter, _>(&ctx("clerk-2"), "c2", None, CounterCommand::Add(1), &())
        .await
        .expect("other stream");

    let (counter, version) = exec.load::<Counter>("c1").await.expect("load");
    assert_eq!((counter.value, counter.events, version), (8, 4, 4));
    let stream = store
        .load_events(&StreamRef::new("counter", "c1"), 2)
        .await
        .expect("events");
    assert_eq!(
        stream.iter().map(|e| e.stream_version).collect::<Vec<_>>(),
        vec![3, 4]
    );
    let metadata = &stream[0].metadata;
    assert_eq!(metadata["actor"], "clerk-1");
    assert_eq!(stream[0].recorded_at, clock().now_for_tests());

    support::wait_for_head(&store, 5).await;
    assert_log_sound(&store, 5).await;
    let log = store.read_log(3, 10).await.expect("read after 3");
    assert_eq!(
        log.iter().map(|e| e.position).collect::<Vec<_>>(),
        vec![4, 5]
    );

    // A refused command and a command with no events write nothing.
    let refused = exec
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", None, CounterCommand::Refuse, &())
        .await;
    let refused = refused.expect_err("refused");
    assert!(matches!(refused, ExecuteError::Refused(Refused::AsAsked)));
    assert!(
        refused.is_sender_fault(),
        "a refusal is the sender's to fix (4xx)"
    );
    // A port that fails is not the sender's mistake: a typed 5xx, nothing written.
    let unavailable = exec
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", None, CounterCommand::NeedsPort, &())
        .await
        .expect_err("the port failed");
    assert!(
        matches!(&unavailable, ExecuteError::Unavailable(port) if port.port == "test_port"),
        "{unavailable:?}"
    );
    assert!(!unavailable.is_sender_fault());
    let nothing = exec
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", None, CounterCommand::Nothing, &())
        .await
        .expect("no-op");
    assert_eq!(nothing.version, 4);
    assert_eq!(exec.load::<Counter>("c1").await.expect("load").1, 4);
}

pub(crate) async fn conflicts<S: Harness>(store: S) {
    let exec = executor(&store);
    exec.execute::<Counter, _>(&ctx("a"), "c", Some(0), CounterCommand::Add(1), &())
        .await
        .expect("first");
    match exec
        .execute::<Counter, _>(&ctx("a"), "c", Some(0), CounterCommand::Add(1), &())
        .await
    {
        Err(ExecuteError::Conflict {
            expected, actual, ..
        }) => assert_eq!((expected, actual), (0, 1)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Two raw commits racing for the same version: exactly one wins, the other is a typed
    // conflict naming the actual version.
    let stream = StreamRef::new("counter", "c");
    let commit = |by: u64| Commit {
        stream: stream.clone(),
        expected_version: 1,
        events: vec![NewEvent {
            event_id: Uuid::now_v7(),
            event_type: "Added".into(),
            schema_version: "1.0".into(),
            payload: serde_json::json!({"Added": {"by": by}}),
            metadata: serde_json::json!({"actor": "a"}),
            recorded_at: Utc::now(),
        }],
        snapshot: None,
        idempotency: None,
    };
    let (a, b) = tokio::join!(store.commit(commit(10)), store.commit(commit(20)));
    let results = [a, b];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(results.iter().any(|r| matches!(
        r,
        Err(StoreError::Conflict {
            expected: 1,
            actual: 2,
            ..
        })
    )));
    let (counter, version) = exec.load::<Counter>("c").await.expect("load");
    assert_eq!(version, 2);
    assert!(counter.value == 11 || counter.value == 21);
    // Eight commands racing without an expected version: whichever way the races fall, every
    // one that failed failed with a conflict, and the stream holds exactly the winners'
    // events. (That a lost race is retried at all is checked deterministically in
    // `retries.rs`; here, how many win depends on the scheduling.)
    let a = ctx("a");
    let racing = futures::future::join_all(
        (0..8).map(|_| exec.execute::<Counter, _>(&a, "c", None, CounterCommand::Add(1), &())),
    )
    .await;
    let ok = racing.iter().filter(|r| r.is_ok()).count() as u64;
    assert!(ok >= 1);
    for failed in racing.iter().filter(|r| r.is_err()) {
        assert!(
            matches!(failed, Err(ExecuteError::Conflict { .. })),
            "{failed:?}"
        );
    }
    let version = exec.load::<Counter>("c").await.expect("load").1;
    assert_eq!(version, 2 + ok);
    // A commit that claims a version the stream has not reached is a conflict, not a hole.
    let mut ahead = commit(5);
    ahead.expected_version = version + 5;
    match store.commit(ahead).await {
        Err(StoreError::Conflict {
            expected, actual, ..
        }) => assert_eq!((expected, actual), (version + 5, version)),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// The stream ids seen recorded on spans named `execute`.
#[derive(Clone, Default)]
struct ExecuteSpans(Arc<Mutex<Vec<String>>>);

struct StreamIdField<'a>(&'a mut Option<String>);

impl tracing::field::Visit for StreamIdField<'_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "stream_id" {
            *self.0 = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "stream_id" {
            *self.0 = Some(format!("{value:?}"));
        }
    }
}

impl<S> tracing_subscriber::Layer<S> for ExecuteSpans
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let named_execute = ctx
            .metadata(id)
            .is_some_and(|meta| meta.name() == "execute");
        let mut stream_id = None;
        values.record(&mut StreamIdField(&mut stream_id));
        if let (true, Some(stream_id)) = (named_execute, stream_id) {
            self.0.lock().expect("spans").push(stream_id);
        }
    }
}

/// A command's span names the stream it ran on, so a slow or failed write in the traces can
/// be traced to its item, case or complaint.
#[tokio::test]
async fn the_execute_span_records_the_stream_id() {
    use tracing_subscriber::layer::SubscriberExt;
    let spans = ExecuteSpans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let fixture = support::sqlite().await;
    executor(&fixture.store)
        .execute::<Counter, _>(&ctx("a"), "c-42", None, CounterCommand::Add(1), &())
        .await
        .expect("add");
    assert_eq!(*spans.0.lock().expect("spans"), vec!["c-42".to_owned()]);
}

/// Far more concurrent writers than the store has connections (64 tasks × 25 commits): every
/// commit succeeds — none times out waiting for the database's write lock — and every stream
/// ends at its 25th version.
pub(crate) async fn many_writers_all_commit<S: Harness>(store: S) {
    const TASKS: usize = 64;
    const COMMITS: u64 = 25;
    let exec = executor(&store);
    let results = futures::future::join_all((0..TASKS).map(|task| {
        let exec = exec.clone();
        tokio::spawn(async move {
            let mut failures = Vec::new();
            for _ in 0..COMMITS {
                if let Err(error) = exec
                    .execute::<Counter, _>(
                        &ctx("a"),
                        &format!("w{task}"),
                        None,
                        CounterCommand::Add(1),
                        &(),
                    )
                    .await
                {
                    failures.push(error.to_string());
                }
            }
            failures
        })
    }))
    .await;
    let failures: Vec<String> = results
        .into_iter()
        .flat_map(|r| r.expect("writer task"))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    for task in 0..TASKS {
        let (counter, version) = exec
            .load::<Counter>(&format!("w{task}"))
            .await
            .expect("load");
        assert_eq!((counter.value, version), (COMMITS, COMMITS));
    }
    support::wait_for_head(&store, TASKS as u64 * COMMITS).await;
}
