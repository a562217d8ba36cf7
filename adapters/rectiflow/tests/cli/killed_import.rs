//! An import killed part-way leaves nothing behind, on either backend.

use super::*;
use rectiflow_store::transfer::ImportTarget;

/// An import killed part-way — the process aborted by a failpoint right after its first batch
/// of 2,000 events was written, as `kill -9` or a crash would end it — leaves the target
/// holding nothing: not a prefix of the file that verifies and that `serve` would append to.
/// The empty store verifies, and the import run again succeeds.
async fn killed_import_leaves_nothing(target: Backend) {
    const IMPORTED: u64 = 2_500;
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    let Some((target_url, _target_db)) = fresh(target, d, "target").await else {
        return;
    };
    let source_url = format!("sqlite://{}", d.join("source.db").display());
    fill_with(&source_url, IMPORTED).await;
    let file = d.join("log.ndjson");
    let file_arg = file.to_str().expect("utf-8 path");
    let out = rectiflow(
        d,
        &[
            "export",
            "--output",
            file_arg,
            "--database-url",
            &source_url,
        ],
    );
    assert_exit(&out, 0);

    let out = rectiflow_with(
        d,
        &["import", file_arg, "--database-url", &target_url],
        &[(FAILPOINT_VAR, "import-abort-after-batch=1")],
    );
    assert!(
        stderr(&out).contains("failpoint import-abort-after-batch=1 reached"),
        "the binary was not built with the store's `failpoints` feature, or the import did \
         not get past its first batch\nstdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
    assert!(!out.status.success(), "the import was aborted");

    let store = AnyStore::open(&target_url).await.expect("open the target");
    let stored = with_store!(&store, store => store.stored_events().await).expect("count");
    assert_eq!(stored, 0, "the killed import left rows behind");
    let out = rectiflow(d, &["verify", "--database-url", &target_url]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("log intact: 0 events"),
        "{}",
        stdout(&out)
    );

    let out = rectiflow(d, &["import", file_arg, "--database-url", &target_url]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).starts_with(&format!(
            "imported {IMPORTED} events; head position {IMPORTED} "
        )),
        "{}",
        stdout(&out)
    );
    let out = rectiflow(d, &["verify", "--database-url", &target_url]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(&format!("log intact: {IMPORTED} events")),
        "{}",
        stdout(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_import_leaves_nothing_on_postgres() {
    killed_import_leaves_nothing(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_import_leaves_nothing_on_sqlite() {
    killed_import_leaves_nothing(Backend::Sqlite).await;
}
