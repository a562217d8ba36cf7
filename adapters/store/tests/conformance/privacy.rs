//! What a reader of the database cannot learn from idempotency records, and what erasing a
//! complainant forgets: keyed fingerprints, the records of the erased complaint, and (SQLite)
//! the key's bytes in the files.

use std::path::Path;

use rectiflow_domain::calendar::FixedCalendar;
use rectiflow_domain::complaint::{Channel, Complaint, ComplaintCommand, ComplaintEvent};
use rectiflow_domain::directory::StaticDirectory;
use rectiflow_domain::identity::{ComplainantIdentity, ComplaintSecret, IdentityVault, Sealed};
use rectiflow_domain::organisation::Role;
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::settings::Field;
use rectiflow_domain::testing::fixtures::{campaign, person, text, unit};
use rectiflow_domain::testing::StaticSettings;
use rectiflow_domain::values::{ComplaintId, TaskForceId};
use rectiflow_store::chain::canonical_json;
use rectiflow_store::{FingerprintKey, KeyVault, PgSettings, PgStore, SqliteStore};
use sha2::{Digest, Sha256};

use super::*;

/// The unkeyed fingerprint the store used to keep: anyone holding the database could compute
/// it from a guessed name and compare.
fn plain_sha256(stream: &StreamRef, body: &serde_json::Value) -> String {
    let mut hasher = Sha256::new();
    hasher.update(stream.stream_type.as_bytes());
    hasher.update([0]);
    hasher.update(stream.stream_id.as_bytes());
    hasher.update([0]);
    hasher.update(canonical_json(body));
    hex::encode(hasher.finalize())
}

fn keyed(actor: &str, key: &str) -> CommandContext {
    ctx(actor).with_idempotency_key(IdempotencyKey::parse(key).expect("key"))
}

pub(crate) async fn keyed_fingerprints<S: Harness>(store: S) {
    let exec = executor(&store);
    let key = keyed("clerk", "fp-1");
    let command = CounterCommand::Add(4);
    let first = exec
        .execute::<Counter, _>(&key, "fp", None, command.clone(), &())
        .await
        .expect("first");
    let record = store
        .find_idempotency("clerk", "fp-1")
        .await
        .expect("find")
        .expect("a record");
    let stream = StreamRef::new("counter", "fp");
    let body = serde_json::to_value(&command).expect("body");
    let plain = plain_sha256(&stream, &body);
    assert!(
        !record.command_hash.contains(&plain),
        "the stored fingerprint is not the plain SHA-256 of the command"
    );
    assert!(record.command_hash.starts_with("hmac-sha256:"));
    assert_eq!(
        Some(record.command_hash.clone()),
        store.fingerprint(&stream, &body).ok()
    );

    // Under another key the same command has another fingerprint, so a store keyed otherwise
    // does not take a repeat for the same command: refused as a reused key, never run twice.
    let other = store.with_fingerprint_key(&FingerprintKey::generate());
    let other_fingerprint = other.fingerprint(&stream, &body).expect("fingerprint");
    assert_ne!(other_fingerprint, record.command_hash);
    let elsewhere = executor(&other)
        .execute::<Counter, _>(&key, "fp", None, command.clone(), &())
        .await;
    assert!(
        matches!(elsewhere, Err(ExecuteError::IdempotencyKeyReused { .. })),
        "{elsewhere:?}"
    );

    // The same command with the same key still replays.
    let repeat = exec
        .execute::<Counter, _>(&key, "fp", None, command, &())
        .await
        .expect("repeat");
    assert!(repeat.replayed);
    assert_eq!(repeat.events, first.events);
    assert_eq!(exec.load::<Counter>("fp").await.expect("load").0.value, 4);
}

fn identity() -> ComplainantIdentity {
    ComplainantIdentity {
        name: "张三丰".into(),
        contact: "13800000000".into(),
    }
}

fn secret() -> ComplaintSecret {
    ComplaintSecret {
        complainant: Some(identity()),
        content: "我母亲住在城南养老院，院里虚报入住人数".into(),
        attachments: vec![],
    }
}

fn receive(complaint: &str) -> ComplaintCommand {
    ComplaintCommand::Receive {
        complaint: ComplaintId::parse(complaint).expect("complaint id"),
        campaign: campaign(),
        channel: Channel::Hotline,
        field: Field::ElderlyCare,
        summary: text("反映养老机构虚报入住人数"),
        content: text("我母亲住在城南养老院，院里虚报入住人数"),
        attachments: vec![],
        receiving_unit: unit("civil-affairs"),
        complainant: Some(identity()),
    }
}

fn services<S: Harness>(vault: &KeyVault<S>) -> DomainServices {
    DomainServices {
        calendar: Arc::new(FixedCalendar::weekdays()),
        // The civil-affairs bureau's intake officer and handler, and the elderly-care
        // secretariat, as the test settings name its task force.
        directory: Arc::new(
            StaticDirectory::default()
                .with_member(unit("civil-affairs"), person("intake"))
                .with_member(unit("civil-affairs"), person("ca-zhou"))
                .with_role(
                    person("secretariat"),
                    Role::Secretariat {
                        task_force: TaskForceId::parse("yanglao").expect("a task force id"),
                    },
                ),
        ),
        vault: Arc::new(vault.clone()),
        settings: Arc::new(StaticSettings::default()),
    }
}

pub(crate) async fn erasure_forgets_keyed_commands<S: Harness>(store: S) {
    const ERASED: &str = "cmp-2026-0001";
    const KEPT: &str = "cmp-2026-0002";
    let exec = executor(&store);
    let vault = KeyVault::new(store.clone());
    let services = services(&vault);
    let run =
        |actor: &'static str, key: &'static str, stream: &'static str, body: ComplaintCommand| {
            let exec = exec.clone();
            let services = services.clone();
            async move {
                exec.execute::<Complaint, _>(&keyed(actor, key), stream, None, body, &services)
                    .await
            }
        };

    let received = run("intake", "receive-1", ERASED, receive(ERASED))
        .await
        .expect("received");
    let sealed = match &received.events[0].event {
        ComplaintEvent::Received { sealed, .. } => sealed.clone(),
        other => panic!("expected a receipt, got {other:?}"),
    };
    let opened = vault
        .open(&sealed)
        .await
        .expect("open")
        .expect("the key exists");
    assert_eq!(opened, {
        let mut expected = secret();
        expected.content = "我母亲住在城南养老院，院里虚报入住人数".into();
        expected
    });
    run("intake", "receive-2", KEPT, receive(KEPT))
        .await
        .expect("another complaint");
    // A refused repeat of the receipt carries the identity too, and is remembered.
    let refused = run("intake", "receive-again", ERASED, receive(ERASED)).await;
    assert!(
        refused
            .as_ref()
            .err()
            .and_then(|e| e.refusal_code())
            .is_some_and(|code| code == "complaint.invalid_transition"),
        "{refused:?}"
    );
    let respond = ComplaintCommand::Respond {
        response: text("已核实并督促整改"),
    };
    run("ca-zhou", "respond-1", ERASED, respond)
        .await
        .expect("responded");
    let records = [
        ("intake", "receive-1"),
        ("intake", "receive-again"),
        ("ca-zhou", "respond-1"),
        ("intake", "receive-2"),
    ];
    for (actor, key) in records {
        let record = store.find_idempotency(actor, key).await.expect("find");
        assert!(record.is_some(), "{actor}/{key} is recorded");
    }

    run(
        "secretariat",
        "erase-1",
        ERASED,
        ComplaintCommand::EraseIdentity,
    )
    .await
    .expect("erased");

    assert_eq!(vault.open(&sealed).await.expect("open"), None, "key gone");
    for (actor, key) in &records[..3] {
        let record = store.find_idempotency(actor, key).await.expect("find");
        assert_eq!(
            record, None,
            "{actor}/{key} of the erased complaint is forgotten"
        );
    }
    let other = store.find_idempotency("intake", "receive-2").await;
    assert!(
        other.expect("find").is_some(),
        "another complaint's records stay"
    );
    let erasure = store.find_idempotency("secretariat", "erase-1").await;
    assert!(
        erasure.expect("find").is_some(),
        "the erasure's own record (no personal data) stays, so it replays"
    );
}

/// Sealing is idempotent per complaint: sealing again for the same subject — a command retried
/// after losing a race, or two processes at once — uses the subject's one key, so no orphan key
/// outlives an erasure; another complaint gets a key of its own.
pub(crate) async fn sealing_is_idempotent_per_complaint<S: Harness>(store: S) {
    let vault = KeyVault::new(store.clone());
    let secret = secret();
    let (a, b) = tokio::join!(
        vault.seal("cmp-2026-0101", &secret),
        vault.seal("cmp-2026-0101", &secret)
    );
    let (a, b) = (a.expect("seal"), b.expect("seal again"));
    assert_eq!(a.key_ref, b.key_ref, "one key per complaint");
    let again = vault.seal("cmp-2026-0101", &secret).await.expect("retry");
    assert_eq!(again.key_ref, a.key_ref);
    for sealed in [&a, &b, &again] {
        assert_eq!(
            vault.open(sealed).await.expect("open"),
            Some(secret.clone())
        );
    }
    let other = vault.seal("cmp-2026-0102", &secret).await.expect("seal");
    assert_ne!(other.key_ref, a.key_ref);
    vault.erase(&a.key_ref).await.expect("erase");
    for sealed in [&a, &b, &again] {
        assert_eq!(
            vault.open(sealed).await.expect("open"),
            None,
            "all gone with the key"
        );
    }
    assert_eq!(vault.open(&other).await.expect("open"), Some(secret));
}

/// Whether `needle` occurs in the file at `path` (an absent file holds nothing).
fn file_holds(path: &Path, needle: &[u8]) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes.windows(needle.len()).any(|window| window == needle)
}

async fn stored_key(store: &SqliteStore, sealed: &Sealed) -> Vec<u8> {
    sqlx::query_scalar("SELECT key FROM identity_keys WHERE key_ref = ?")
        .bind(&sealed.key_ref)
        .fetch_one(store.pool())
        .await
        .expect("the key row")
}

/// After an erasure the key's bytes are in neither the database file nor its WAL — whether
/// the key had reached the database file by a checkpoint (A) or was only in the WAL (B).
#[tokio::test]
async fn sqlite_erasure_leaves_the_key_in_neither_file() {
    let fixture = support::sqlite().await;
    let store = fixture.store.clone();
    let database = fixture.dir.path().join("rectiflow.db");
    let wal = fixture.dir.path().join("rectiflow.db-wal");
    let vault = KeyVault::new(store.clone());

    let a = vault.seal("cmp-2026-0001", &secret()).await.expect("seal");
    let key_a = stored_key(&store, &a).await;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(store.pool())
        .await
        .expect("checkpoint");
    assert!(
        file_holds(&database, &key_a),
        "the test reads the file the key is in"
    );
    let b = vault.seal("cmp-2026-0002", &secret()).await.expect("seal");
    let key_b = stored_key(&store, &b).await;
    assert!(file_holds(&wal, &key_b), "the key is in the WAL first");

    vault.erase(&a.key_ref).await.expect("erase a");
    vault.erase(&b.key_ref).await.expect("erase b");

    for (name, key) in [("a", &key_a), ("b", &key_b)] {
        assert!(
            !file_holds(&database, key),
            "key {name} in the database file"
        );
        assert!(!file_holds(&wal, key), "key {name} in the WAL");
    }
}

/// With no configuration, the SQLite store keys fingerprints with a key of its own, made at
/// the first start in a file beside the database (never in it) and used again after a restart.
#[tokio::test]
async fn sqlite_default_fingerprint_key_lives_beside_the_database() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let database = dir.path().join("rectiflow.db");
    let url = format!("sqlite://{}", database.display());
    let key_file = dir.path().join("rectiflow.db.fingerprint-key");
    let command = || CounterCommand::Add(3);
    let key = keyed("clerk", "restart-1");

    let store = SqliteStore::connect(&url).await.expect("open");
    let content = std::fs::read_to_string(&key_file).expect("the key file beside the database");
    let hex_key = content.trim_end().to_owned();
    assert!(
        hex_key.len() == 64 && hex_key.bytes().all(|b| b.is_ascii_hexdigit()),
        "64 hex digits"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("metadata")
            .permissions();
        assert_eq!(mode.mode() & 0o777, 0o600, "owner-only");
    }
    executor(&store)
        .execute::<Counter, _>(&key, "c", None, command(), &())
        .await
        .expect("first");
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(store.pool())
        .await
        .expect("checkpoint");
    let raw_key = hex::decode(&hex_key).expect("hex");
    assert!(!file_holds(&database, hex_key.as_bytes()) && !file_holds(&database, &raw_key));
    store.pool().close().await;

    let reopened = SqliteStore::connect(&url).await.expect("reopen");
    let repeat = executor(&reopened)
        .execute::<Counter, _>(&key, "c", None, command(), &())
        .await
        .expect("repeat after a restart");
    assert!(repeat.replayed, "the same key after a restart");

    // A configured key is used instead, and an in-memory store makes its own.
    let configured = FingerprintKey::generate();
    let explicit = SqliteStore::connect_with_key(&url, Some(configured.clone()))
        .await
        .expect("open with a key");
    let stream = StreamRef::new("counter", "c");
    let body = serde_json::to_value(command()).expect("body");
    assert_eq!(
        explicit.fingerprint(&stream, &body).ok(),
        reopened
            .with_fingerprint_key(&configured)
            .fingerprint(&stream, &body)
            .ok()
    );
    let memory = SqliteStore::connect("sqlite::memory:")
        .await
        .expect("memory");
    executor(&memory)
        .execute::<Counter, _>(&key, "c", None, command(), &())
        .await
        .expect("keyed command in memory");
}

/// A key file that is not a key stops the store from opening, naming the file.
#[tokio::test]
async fn sqlite_refuses_a_bad_key_file_beside_the_database() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let database = dir.path().join("rectiflow.db");
    std::fs::write(
        dir.path().join("rectiflow.db.fingerprint-key"),
        "not a key\n",
    )
    .expect("write");
    let opened = SqliteStore::connect(&format!("sqlite://{}", database.display())).await;
    match opened {
        Err(StoreError::FingerprintKey(message)) => {
            assert!(
                message.contains("rectiflow.db.fingerprint-key"),
                "{message}"
            );
            assert!(message.contains("64 hexadecimal digits"), "{message}");
        }
        Err(other) => panic!("expected a fingerprint key error, got {other}"),
        Ok(_) => panic!("a bad key file must stop the store from opening"),
    }
}

/// PostgreSQL has no default key: without one the store serves everything but keyed commands,
/// which fail as the operator's fault, naming what is missing.
#[tokio::test]
async fn postgres_keyed_commands_need_a_configured_key() {
    let Some(db) = support::fresh_postgres_db().await else {
        return;
    };
    let store = PgStore::connect(PgSettings::new(&db.url))
        .await
        .expect("connect");
    let exec = executor(&store);
    let keyed_command = exec
        .execute::<Counter, _>(&keyed("clerk", "k"), "c", None, CounterCommand::Add(1), &())
        .await;
    match keyed_command {
        Err(error @ ExecuteError::Store(StoreError::FingerprintKey(_))) => {
            assert!(!error.is_sender_fault());
            assert!(
                error.to_string().contains("fingerprint_key_file"),
                "{error}"
            );
        }
        other => panic!("expected a missing fingerprint key, got {other:?}"),
    }
    exec.execute::<Counter, _>(&ctx("clerk"), "c", None, CounterCommand::Add(1), &())
        .await
        .expect("unkeyed commands need no key");
}
