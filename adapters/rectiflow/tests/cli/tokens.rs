//! `rectiflow token` through the real binary: the bootstrap admin's token before the
//! organisation exists, a token only for a person who holds its role now, the secret alone on
//! the last line, listing without secrets, revoking once.

use std::sync::Arc;

use chrono::DateTime;
use rectiflow::config::Config;
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::organisation::{Organisation, OrganisationCommand, Role, ORGANISATION};
use rectiflow_domain::values::{PersonId, Text, UnitId};
use rectiflow_engine::CommandContext;
use rectiflow_store::tokens::SECRET_PREFIX;
use rectiflow_store::{FingerprintKey, TokenBook};
use serde_json::Value;

use super::projections::key_file;
use super::*;

fn id(text: &str) -> PersonId {
    PersonId::parse(text).expect("an id")
}

/// Bootstraps the organisation with `leader-zhang` in the leading group, as its admin would.
async fn organise<S: Store>(store: &S) {
    let ports = rectiflow::policies::ports(
        store,
        &Config::default(),
        Arc::new(ManualClock::starting_at(Utc::now())),
    )
    .expect("ports");
    let admin = CommandContext::new(id("bootstrap-admin"));
    let unit = UnitId::parse("leading-group").expect("an id");
    for body in [
        OrganisationCommand::Bootstrap {
            admin: id("bootstrap-admin"),
        },
        OrganisationCommand::RegisterUnit {
            unit: unit.clone(),
            name: Text::parse("领导小组").expect("a name"),
            kind: rectiflow_domain::organisation::UnitKind::Department,
        },
        OrganisationCommand::RegisterPerson {
            person: id("leader-zhang"),
            name: Text::parse("张组长").expect("a name"),
            unit,
        },
        OrganisationCommand::GrantRole {
            person: id("leader-zhang"),
            role: Role::Leadership,
        },
    ] {
        ports
            .exec
            .execute::<Organisation, _>(&admin, ORGANISATION, None, body, &ports.services)
            .await
            .expect("the organisation");
    }
}

async fn tokens_on(backend: Backend) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let Some((url, _db)) = fresh(backend, dir.path(), "tokens").await else {
        return;
    };
    let key = key_file(dir.path());
    let token = |args: &[&str]| {
        let mut all = vec!["token"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--database-url", &url, "--fingerprint-key-file", &key]);
        rectiflow(dir.path(), &all)
    };

    // Before the organisation exists, only the bootstrap admin's token.
    let refused = token(&["create", "--role", "leadership", "--person", "leader-zhang"]);
    assert_exit(&refused, 1);
    assert!(
        stderr(&refused).contains("not bootstrapped"),
        "{}",
        stderr(&refused)
    );
    // The label a dashboard session carries is not for a token made by hand.
    let posing = token(&[
        "create",
        "--role",
        "admin",
        "--label",
        "dashboard session of 0",
    ]);
    assert_exit(&posing, 1);
    assert!(stderr(&posing).contains("--label"), "{}", stderr(&posing));
    let admin = token(&["create", "--role", "admin", "--label", "installer"]);
    assert_exit(&admin, 0);
    let secret = stdout(&admin).lines().last().unwrap_or_default().to_owned();
    assert!(
        secret.starts_with(SECRET_PREFIX) && secret.len() == 68,
        "{secret}"
    );

    let store = AnyStore::open_with_key(
        &url,
        Some(FingerprintKey::read(Path::new(&key)).expect("key")),
    )
    .await
    .expect("the store");
    with_store!(&store, store => organise(store).await);

    // A token for a role the person holds; refused for one they do not, and for flags that
    // do not fit the role.
    let leader = token(&["create", "--role", "leadership", "--person", "leader-zhang"]);
    assert_exit(&leader, 0);
    for (args, says) in [
        (
            vec![
                "create",
                "--role",
                "secretariat",
                "--task-force",
                "yibao",
                "--person",
                "leader-zhang",
            ],
            "does not act as",
        ),
        (
            vec!["create", "--role", "unit", "--person", "leader-zhang"],
            "needs --unit",
        ),
        (
            vec![
                "create",
                "--role",
                "leadership",
                "--unit",
                "x",
                "--person",
                "leader-zhang",
            ],
            "--unit is for a unit token only",
        ),
        (
            vec!["create", "--role", "leadership"],
            "--person is required",
        ),
        (
            vec![
                "create",
                "--role",
                "leadership",
                "--person",
                "policy:escalation",
            ],
            "system actor",
        ),
    ] {
        let out = token(&args);
        assert_exit(&out, 1);
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }

    // Each token acts for 180 days unless told otherwise: 1 to 3650.
    assert!(stdout(&leader).contains("expires: "), "{}", stdout(&leader));
    for days in ["0", "3651", "soon"] {
        let out = token(&[
            "create",
            "--role",
            "leadership",
            "--person",
            "leader-zhang",
            "--valid-days",
            days,
        ]);
        assert_exit(&out, 64);
    }

    let listed = token(&["list", "--json"]);
    assert_exit(&listed, 0);
    let listed: Vec<Value> = serde_json::from_str(&stdout(&listed)).expect("JSON");
    assert_eq!(listed.len(), 2, "{listed:?}");
    let issued = |t: &Value, key: &str| {
        t[key]
            .as_str()
            .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
            .unwrap_or_else(|| panic!("{key}: {t}"))
    };
    let lives = issued(&listed[1], "expires_at") - issued(&listed[1], "created_at");
    assert_eq!(lives.num_days(), 180, "{listed:?}");
    assert!(stdout(&token(&["list"])).contains("live until"));
    assert!(
        !stdout(&token(&["list"])).contains(SECRET_PREFIX),
        "never a secret"
    );
    let id = listed[0]["id"].as_str().expect("an id").to_owned();
    assert_exit(&token(&["revoke", &id]), 0);
    assert_exit(&token(&["revoke", &id]), 1);
    let found = with_store!(&store, store => TokenBook::new(store.clone()).find(&secret).await)
        .expect("looked up");
    assert_eq!(found, None, "the revoked admin token acts no longer");
}

#[tokio::test]
async fn sqlite_tokens_are_issued_for_held_roles_and_revoked() {
    tokens_on(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_tokens_are_issued_for_held_roles_and_revoked() {
    tokens_on(Backend::Postgres).await;
}
