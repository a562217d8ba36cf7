//! A file that does not verify, a store that is not empty, a write that fails, a running sequencer: refused with nothing written.

use super::*;

pub(crate) async fn tampered_export_is_refused<T: ImportTarget>(target: T) {
    let source = support::sqlite().await;
    fill(&source.store, 300, 7, 10).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(&source.store, dir.path(), None).await;
    let hidden = Progress::hidden();

    let edited = rewrite(&path, |n, line| {
        Some(if n == 10 {
            line.replacen("\"by\":1", "\"by\":1000", 1)
        } else {
            line.to_owned()
        })
    });
    let (line, reason) = refused_at(import(&target, &edited, &hidden).await);
    assert_eq!(line, 10);
    assert!(reason.contains("position 10"), "{reason}");

    let lines: Vec<String> = std::fs::read_to_string(&path)
        .expect("read")
        .lines()
        .map(str::to_owned)
        .collect();
    let swapped = rewrite(&path, |n, line| {
        Some(match n {
            20 => lines[20].clone(),
            21 => lines[19].clone(),
            _ => line.to_owned(),
        })
    });
    let (line, reason) = refused_at(import(&target, &swapped, &hidden).await);
    assert_eq!(line, 20);
    assert!(reason.contains("dense"), "{reason}");

    let dropped = rewrite(&path, |n, line| (n != 150).then(|| line.to_owned()));
    assert_eq!(refused_at(import(&target, &dropped, &hidden).await).0, 150);

    let garbled = rewrite(&path, |n, line| {
        Some(if n == 300 {
            line[..line.len() / 2].to_owned()
        } else {
            line.to_owned()
        })
    });
    let (line, reason) = refused_at(import(&target, &garbled, &hidden).await);
    assert_eq!(line, 300);
    assert!(reason.contains("not an exported event"), "{reason}");

    let partial = export_to_file(&source.store, dir.path(), Some(5)).await;
    let (line, reason) = refused_at(import(&target, &partial, &hidden).await);
    assert_eq!(line, 1);
    assert!(reason.contains("starts at position 5"), "{reason}");

    assert_eq!(target.stored_events().await.expect("count"), 0);
    assert_eq!(target.head().await.expect("head"), 0);
}

pub(crate) async fn non_empty_store_is_refused<T: ImportTarget>(target: T) {
    let source = support::sqlite().await;
    fill(&source.store, 50, 3, 5).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(&source.store, dir.path(), None).await;
    import(&target, &path, &Progress::hidden())
        .await
        .expect("first import");
    match import(&target, &path, &Progress::hidden()).await {
        Err(TransferError::NotEmpty { events }) => assert!(events >= 50),
        other => panic!("expected NotEmpty, got {other:?}"),
    }
    assert_eq!(target.head().await.expect("head"), 50);
}

/// A file whose chain verifies but which the database refuses part-way (a forged second event
/// at a stream version already taken, past the first batch): what was written is removed, the
/// store is empty again.
pub(crate) async fn failed_write_leaves_the_store_empty<T: ImportTarget>(target: T) {
    let source = support::sqlite().await;
    fill(&source.store, 4_500, 30, 50).await;
    let first = source.store.read_log(0, 1).await.expect("read")[0]
        .event
        .clone();
    let dir = tempfile::tempdir().expect("temporary folder");
    let forged = dir.path().join("forged.ndjson");
    let mut out = String::new();
    let mut previous = GENESIS;
    for mut logged in source.store.read_log(0, 10_000).await.expect("read") {
        if logged.position == 4_100 {
            logged.event.stream = first.stream.clone();
            logged.event.stream_version = first.stream_version;
        }
        let hash = chain_hash(&previous, logged.position, &logged.event);
        logged.hash = hex::encode(hash);
        previous = hash;
        out.push_str(&serde_json::to_string::<LoggedEvent>(&logged).expect("json"));
        out.push('\n');
    }
    std::fs::write(&forged, out).expect("write forged");
    match import(&target, &forged, &Progress::hidden()).await {
        Err(TransferError::Store(_)) => {}
        other => panic!("expected the database to refuse the duplicate, got {other:?}"),
    }
    assert_eq!(target.stored_events().await.expect("count"), 0);
    // And the store takes a good import afterwards.
    let path = export_to_file(&source.store, dir.path(), None).await;
    import(&target, &path, &Progress::hidden())
        .await
        .expect("import after a failed one");
}

/// Writes the log of `source` to a file, with the event at each position of `from` given the
/// id of the event at the paired position, and the chain recomputed: a file whose chain
/// verifies, but which repeats event ids.
async fn with_repeated_ids<S: EventStore>(source: &S, dir: &Path, from: &[(u64, u64)]) -> PathBuf {
    let log = source.read_log(0, 10_000).await.expect("read");
    let path = dir.join(format!("repeated-{}.ndjson", Uuid::now_v7()));
    let mut out = String::new();
    let mut previous = GENESIS;
    for mut logged in log.clone() {
        if let Some((_, original)) = from.iter().find(|(at, _)| *at == logged.position) {
            logged.event.event_id = log[*original as usize - 1].event.event_id;
        }
        let hash = chain_hash(&previous, logged.position, &logged.event);
        logged.hash = hex::encode(hash);
        previous = hash;
        out.push_str(&serde_json::to_string::<LoggedEvent>(&logged).expect("json"));
        out.push('\n');
    }
    std::fs::write(&path, out).expect("write the file");
    path
}

/// Event ids are unique in a store, so a file that repeats one — within one batch of the
/// import, or across batches — is refused with the line, the id and where it was first used,
/// and nothing is written. Its chain verifies: only the store's unique key can catch it.
pub(crate) async fn repeated_event_ids_are_refused<T: ImportTarget>(target: T) {
    let source = support::sqlite().await;
    fill(&source.store, 2_500, 30, 50).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let hidden = Progress::hidden();
    for (at, original) in [(40, 7), (2_300, 12)] {
        let path = with_repeated_ids(&source.store, dir.path(), &[(at, original)]).await;
        let (line, reason) = refused_at(import(&target, &path, &hidden).await);
        let id = source.store.read_log(original - 1, 1).await.expect("read")[0]
            .event
            .event_id;
        assert_eq!(line, at, "{reason}");
        assert!(reason.contains(&id.to_string()), "{reason}");
        assert!(
            reason.contains(&format!("the event at position {original}")),
            "{reason}"
        );
        assert_eq!(target.stored_events().await.expect("count"), 0);
    }
    // And the store takes a good import afterwards.
    let path = export_to_file(&source.store, dir.path(), None).await;
    import(&target, &path, &hidden)
        .await
        .expect("import after a refused one");
    assert_eq!(target.head().await.expect("head"), 2_500);
}

/// A running sequencer (a `serve` on the same database) would assign positions while the
/// import writes its own: the import is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_import_refused_while_a_sequencer_runs() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let source = support::sqlite().await;
    fill(&source.store, 10, 2, 5).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(&source.store, dir.path(), None).await;
    // The sequencer takes its lock shortly after start; there is no signal for it but its flag.
    let active = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while !fixture.store.stats().is_active() {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(active.is_ok(), "the sequencer did not become active");
    match import(&fixture.store, &path, &Progress::hidden()).await {
        Err(TransferError::SequencerRunning) => {}
        other => panic!("expected SequencerRunning, got {other:?}"),
    }
    assert_eq!(fixture.store.head().await.expect("head"), 0);
}
