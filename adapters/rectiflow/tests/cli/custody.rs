//! The whole custody story on one pair of stores: verify, digest, export, import, tamper.

use super::*;

async fn edit_payload(store: &AnyStore, position: u64) {
    let done = match store {
        AnyStore::Postgres(pg) => sqlx::query(
            "UPDATE events SET payload = '{\"Added\":{\"by\":999999}}' \
             WHERE id = (SELECT event_ref FROM log WHERE position = $1)",
        )
        .bind(position as i64)
        .execute(pg.pool())
        .await
        .expect("edit payload")
        .rows_affected(),
        AnyStore::Sqlite(lite) => sqlx::query(
            "UPDATE events SET payload = '{\"Added\":{\"by\":999999}}' WHERE position = ?",
        )
        .bind(position as i64)
        .execute(lite.pool())
        .await
        .expect("edit payload")
        .rows_affected(),
    };
    assert_eq!(done, 1);
}

/// The whole custody story on one pair of stores.
async fn story(source: Backend, target: Backend) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    let Some((source_url, _source_db)) = fresh(source, d, "source").await else {
        return;
    };
    let Some((target_url, _target_db)) = fresh(target, d, "target").await else {
        return;
    };
    let store = fill(&source_url).await;
    let url = source_url.as_str();

    // verify: intact.
    let out = rectiflow(d, &["verify", "--database-url", url]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(&format!(
            "log intact: {EVENTS} events; head position {EVENTS} sha256:"
        )),
        "{}",
        stdout(&out)
    );

    // digest: the head, a position, JSON, and a position beyond the head.
    let out = rectiflow(d, &["--database-url", url, "digest"]);
    assert_exit(&out, 0);
    let head_line = stdout(&out).trim().to_owned();
    assert!(
        head_line.starts_with(&format!("position {EVENTS} sha256:")),
        "{head_line}"
    );
    let head_digest = head_line.rsplit(' ').next().expect("digest").to_owned();
    let out = rectiflow(
        d,
        &["digest", "--at", "100", "--json", "--database-url", url],
    );
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("JSON digest");
    assert_eq!(json["position"], 100);
    let digest_100 = json["digest"].as_str().expect("digest string").to_owned();
    assert!(digest_100.starts_with("sha256:"), "{digest_100}");
    let out = rectiflow(d, &["digest", "--at", "301", "--database-url", url]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("position 301 is beyond the head of the log (300)"),
        "{}",
        stderr(&out)
    );

    // verify against published digests.
    let at = EVENTS.to_string();
    let out = rectiflow(
        d,
        &[
            "verify",
            "--digest",
            &head_digest,
            "--at",
            &at,
            "--database-url",
            url,
        ],
    );
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("matches the published digest"),
        "{}",
        stdout(&out)
    );
    let wrong = format!("sha256:{}", "0".repeat(64));
    let out = rectiflow(
        d,
        &[
            "verify",
            "--digest",
            &wrong,
            "--at",
            "100",
            "--database-url",
            url,
        ],
    );
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("position 100"), "{}", stderr(&out));

    // export: to a file, and a range to standard output.
    let file = d.join("log.ndjson");
    let file_arg = file.to_str().expect("utf-8 path");
    let out = rectiflow(d, &["export", "--output", file_arg, "--database-url", url]);
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains("exported 300 events (positions 1 to 300)"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&file).expect("export file");
    assert_eq!(text.lines().count() as u64, EVENTS);
    let out = rectiflow(
        d,
        &[
            "--database-url",
            url,
            "export",
            "--from",
            "10",
            "--to",
            "12",
        ],
    );
    assert_exit(&out, 0);
    let positions: Vec<u64> = stdout(&out)
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("NDJSON line");
            value["position"].as_u64().expect("position")
        })
        .collect();
    assert_eq!(positions, vec![10, 11, 12]);

    // import: a tampered file is refused (exit 2) with nothing written.
    let tampered = d.join("tampered.ndjson");
    let edited: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 4 {
                line.replacen("\"by\":4", "\"by\":40", 1)
            } else {
                line.to_owned()
            }
        })
        .collect();
    std::fs::write(&tampered, edited.join("\n") + "\n").expect("write tampered file");
    let tampered_arg = tampered.to_str().expect("utf-8 path");
    let out = rectiflow(d, &["import", tampered_arg, "--database-url", &target_url]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("line 5: position 5"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("nothing was imported"),
        "{}",
        stderr(&out)
    );
    let out = rectiflow(d, &["digest", "--database-url", &target_url]);
    assert_exit(&out, 0);
    assert!(stdout(&out).starts_with("position 0 "), "{}", stdout(&out));

    // import: the real file; the target then gives the source's digests.
    let out = rectiflow(d, &["import", file_arg, "--database-url", &target_url]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out).trim(),
        format!("imported {EVENTS} events; head {head_line}")
    );
    let out = rectiflow(d, &["digest", "--database-url", &target_url]);
    assert_eq!(stdout(&out).trim(), head_line);
    let out = rectiflow(
        d,
        &[
            "verify",
            "--digest",
            &digest_100,
            "--at",
            "100",
            "--database-url",
            &target_url,
        ],
    );
    assert_exit(&out, 0);
    let out = rectiflow(d, &["import", file_arg, "--database-url", &target_url]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("import only into an empty store"),
        "{}",
        stderr(&out)
    );

    // tamper with the source: verify names the position, exit 2 (also as JSON).
    edit_payload(&store, 57).await;
    let out = rectiflow(d, &["verify", "--database-url", url]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("position 57:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("altered"), "{}", stderr(&out));
    let out = rectiflow(d, &["verify", "--json", "--database-url", url]);
    assert_exit(&out, 2);
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("JSON verdict");
    assert_eq!(json["intact"], false);
    assert_eq!(json["position"], 57);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custody_on_postgres() {
    story(Backend::Postgres, Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custody_on_sqlite() {
    story(Backend::Sqlite, Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custody_from_sqlite_to_postgres() {
    story(Backend::Sqlite, Backend::Postgres).await;
}
