//! U+0000 in the sender's input: PostgreSQL cannot store it and SQLite can, so the executor
//! refuses it on both — a typed error naming the event type, the sender's to fix (4xx), with
//! nothing written.

use super::*;
use rectiflow_engine::EventField;

/// The executor's refusal, or a failure naming what came back instead.
fn nul_refusal(
    result: Result<
        rectiflow_engine::Outcome<support::counter::CounterEvent>,
        ExecuteError<Refused>,
    >,
) -> (String, EventField, String) {
    let sender_fault = result.as_ref().err().map(ExecuteError::is_sender_fault);
    match result {
        Err(ExecuteError::NulCharacter {
            stream,
            event_type,
            field,
            pointer,
        }) => {
            assert_eq!(sender_fault, Some(true), "the sender's input: a 4xx");
            assert_eq!(stream, StreamRef::new("counter", "n1"));
            (event_type, field, pointer)
        }
        other => panic!("expected the NUL character to be refused, got {other:?}"),
    }
}

pub(crate) async fn nul_characters_are_refused<S: Harness>(store: S) {
    let exec = executor(&store);
    let stream = StreamRef::new("counter", "n1");
    // Other control characters and non-ASCII text are stored as they are.
    let clean = exec
        .execute::<Counter, _>(
            &ctx("clerk-1"),
            "n1",
            None,
            CounterCommand::Note("整改 \u{1}\u{1f} ✓".into()),
            &(),
        )
        .await
        .expect("a note without NUL");
    assert_eq!(clean.version, 1);

    let keyed = ctx("clerk-1").with_idempotency_key(IdempotencyKey::parse("nul-1").expect("key"));
    let in_value = exec
        .execute::<Counter, _>(
            &keyed,
            "n1",
            None,
            CounterCommand::Note("a\u{0}b".into()),
            &(),
        )
        .await;
    assert_eq!(
        nul_refusal(in_value),
        (
            "Noted".to_owned(),
            EventField::Payload,
            "/Noted/text".to_owned()
        )
    );

    let in_key = exec
        .execute::<Counter, _>(
            &ctx("clerk-1"),
            "n1",
            Some(1),
            CounterCommand::NoteKey("k\u{0}".into()),
            &(),
        )
        .await;
    assert_eq!(
        nul_refusal(in_key),
        (
            "Noted".to_owned(),
            EventField::Payload,
            "/Noted/tags/k\\u0000".to_owned()
        )
    );

    let mut in_metadata = ctx("clerk-1");
    in_metadata.trace = Some(rectiflow_engine::model::TraceContext {
        traceparent: "00-\u{0}".into(),
        tracestate: None,
    });
    let in_metadata = exec
        .execute::<Counter, _>(&in_metadata, "n1", None, CounterCommand::Add(1), &())
        .await;
    assert_eq!(
        nul_refusal(in_metadata),
        (
            "Added".to_owned(),
            EventField::Metadata,
            "/trace/traceparent".to_owned()
        )
    );

    // Nothing was written: no event, and no idempotency record (the key is still free).
    let stored = store
        .load_events(&stream, 0)
        .await
        .expect("load the stream");
    assert_eq!(stored.len(), 1, "only the clean note is stored");
    let retried = exec
        .execute::<Counter, _>(&keyed, "n1", None, CounterCommand::Note("a b".into()), &())
        .await
        .expect("the same key with the NUL removed");
    assert!(
        !retried.replayed,
        "the refused command kept no idempotency record"
    );
    assert_eq!(retried.version, 2);
    support::wait_for_head(&store, 2).await;
    assert_log_sound(&store, 2).await;
}
