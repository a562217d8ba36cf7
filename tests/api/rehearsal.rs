//! 演练 — rehearsal mode over HTTP: the service on a simulated clock an admin moves forward;
//! everything that falls due on the way fires, stamped with simulated time; the clock survives
//! a restart; and a store is served live or as a rehearsal, never both.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rectiflow_tests::{spawn_app, spawn_rehearsal, CancellationToken, Db, Serving};
use serde_json::{json, Value};

use crate::support::{registered_and_assigned_due, registration, world_on, World, ITEM};

const CLOCK: &str = "/api/v1/rehearsal/clock";

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an instant")
        .with_timezone(&Utc)
}

/// The instant a JSON field holds.
fn instant(value: &Value) -> DateTime<Utc> {
    at(value.as_str().unwrap_or_default())
}

/// Reads the job at `location` until it is no longer running: the API's contract for a move
/// is a job whose progress is read, so the test reads it as a client would.
pub async fn ended(world: &World, location: &str) -> Value {
    let patience = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let job = world.get(location).as_("leader").send().await;
        assert_eq!(job.status, 200, "{}", job.body);
        if job.body["status"] != "running" {
            return job.body;
        }
        assert!(
            tokio::time::Instant::now() < patience,
            "still running: {}",
            job.body
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Moves the clock to `instant` as the admin and waits for the move to complete.
pub async fn moved_to(world: &World, instant: &str) -> Value {
    let moved = world
        .post(CLOCK)
        .as_("admin")
        .json(json!({ "to": instant }))
        .send()
        .await;
    assert_eq!(moved.status, 202, "{}", moved.body);
    let job = ended(world, moved.header("location").unwrap_or_default()).await;
    assert_eq!(job["status"], "completed", "{job}");
    job
}

pub async fn a_rehearsal_walks_the_campaign_through_simulated_time(db: Db) {
    let start = at("2026-03-01T08:00:00+08:00");
    let Some(app) = spawn_rehearsal(db, start).await else {
        return;
    };
    let mut world = world_on(db, app).await;
    assert!(
        world.document["paths"].get(CLOCK).is_some(),
        "a rehearsal documents its clock"
    );
    let clock = world.get(CLOCK).as_("leader").send().await;
    assert_eq!(clock.status, 200, "{}", clock.body);
    assert_eq!(instant(&clock.body["now"]), start, "{}", clock.body);

    registered_and_assigned_due(&world, ITEM, "2026-03-20").await;
    // Between moves the clock stands still, yet the projections follow every write.
    crate::ledger::ledger_holds(&world, 1).await;
    // Stamped with the simulated clock, not the wall clock.
    let history = world
        .get(&format!("/api/v1/items/{ITEM}/history"))
        .as_("sec")
        .send()
        .await;
    assert_eq!(
        instant(&history.body[0]["recorded_at"]),
        start,
        "{}",
        history.body
    );

    // Who may move it, and where to.
    let by_secretariat = world
        .post(CLOCK)
        .as_("sec")
        .json(json!({ "by": { "days": 1 } }))
        .send()
        .await;
    assert_eq!(by_secretariat.status, 403, "{}", by_secretariat.body);
    assert_eq!(by_secretariat.code(), "rehearsal.not_admin");
    for (body, code) in [
        (
            json!({ "to": "2026-02-01T08:00:00+08:00" }),
            "rehearsal.clock_backwards",
        ),
        (json!({ "by": {} }), "rehearsal.no_move"),
        (json!({ "by": { "days": 401 } }), "rehearsal.too_far"),
    ] {
        let refused = world.post(CLOCK).as_("admin").json(body).send().await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert_eq!(refused.code(), code, "{}", refused.body);
    }
    let unknown = world
        .post(CLOCK)
        .as_("admin")
        .json(json!({ "by": { "weeks": 1 } }))
        .send()
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);

    // Into April: the deadline passes, the March bulletin falls due on 1 April at 09:00.
    let target = at("2026-04-01T10:00:00+08:00");
    let asked = json!({ "to": "2026-04-01T10:00:00+08:00" });
    let moved = world
        .post(CLOCK)
        .as_("admin")
        .header("Idempotency-Key", "move-into-april")
        .json(asked.clone())
        .send()
        .await;
    assert_eq!(moved.status, 202, "{}", moved.body);
    let location = moved.header("location").expect("Location").to_owned();
    let again = world
        .post(CLOCK)
        .as_("admin")
        .header("Idempotency-Key", "move-into-april")
        .json(asked)
        .send()
        .await;
    assert_eq!(again.status, 202, "{}", again.body);
    assert_eq!(again.body["id"], moved.body["id"]);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let other = world
        .post(CLOCK)
        .as_("admin")
        .header("Idempotency-Key", "move-into-april")
        .json(json!({ "by": { "days": 2 } }))
        .send()
        .await;
    assert_eq!(other.status, 422, "{}", other.body);
    assert_eq!(other.code(), "request.idempotency_key_reused");

    let job = ended(&world, &location).await;
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(instant(&job["now"]), target, "{job}");
    assert!(job["instants"].as_u64() > Some(1), "{job}");
    assert!(
        job["facts"].as_u64() >= Some(1),
        "the deadline passed: {job}"
    );
    let bulletin = "bulletin~c2026~2026-03~county";
    let publications = job["publications"].as_array().cloned().unwrap_or_default();
    assert!(publications.contains(&json!(bulletin)), "{job}");
    let clock = world.get(CLOCK).as_("leader").send().await;
    assert_eq!(instant(&clock.body["now"]), target, "{}", clock.body);
    assert_eq!(clock.body["last_job"]["id"], job["id"]);

    // What fell due is on record, in simulated time, and the ledger has caught up.
    let overdue = world
        .get(&format!(
            "/api/v1/ledger?overdue=true&as_of={}",
            "2026-04-01T02:00:00Z"
        ))
        .as_("leader")
        .send()
        .await;
    assert_eq!(overdue.status, 200, "{}", overdue.body);
    assert_eq!(overdue.body["rows"][0]["code"], ITEM, "{}", overdue.body);
    let published = world
        .get(&format!("/api/v1/publications/{bulletin}"))
        .as_("leader")
        .send()
        .await;
    assert_eq!(published.status, 200, "{}", published.body);
    let recorded = instant(&published.body["state"]["recorded_at"]);
    assert_eq!(
        recorded,
        at("2026-04-01T09:00:00+08:00"),
        "{}",
        published.body
    );

    // A keyed command is remembered on the wall clock, not the simulated one: the purge
    // that runs at every start keeps it.
    let first = register_keyed(&world).await;
    assert_eq!(first.status, 201, "{}", first.body);

    // Stopped and started again, the rehearsal resumes where its clock stood.
    let app = world.app;
    world.app = app.restart(Serving::Rehearsal { clock_start: None }).await;
    let clock = world.get(CLOCK).as_("leader").send().await;
    assert_eq!(clock.status, 200, "{}", clock.body);
    assert_eq!(instant(&clock.body["now"]), target, "{}", clock.body);
    let again = register_keyed(&world).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(
        again.header("idempotent-replayed"),
        Some("true"),
        "{}",
        again.body
    );
    world.app.stop().await.expect("a clean stop");
}

/// Registers a second item under an `Idempotency-Key`.
async fn register_keyed(world: &World) -> crate::support::Answer {
    world
        .post("/api/v1/items")
        .as_("sec")
        .header("Idempotency-Key", "register-0002")
        .json(registration("YB-2026-0002"))
        .send()
        .await
}

/// A store is marked by the first process that serves it: a rehearsal store refuses to be
/// served live, and a store served live refuses to rehearse.
pub async fn a_store_is_served_live_or_as_a_rehearsal_never_both(db: Db) {
    let start = at("2026-03-01T08:00:00+08:00");
    let Some(rehearsal) = spawn_rehearsal(db, start).await else {
        return;
    };
    let refused = serve_once(&rehearsal.config, Serving::Live).await;
    assert!(refused.contains("holds a rehearsal"), "{refused}");
    if db == Db::Postgres {
        // A second process would move the same clock: one serves a rehearsal store at a time
        // (SQLite is one process's store already).
        let again = Serving::Rehearsal {
            clock_start: Some(start),
        };
        let refused = serve_once(&rehearsal.config, again).await;
        assert!(refused.contains("another process serves"), "{refused}");
        // The lease lost with its session (the database restarted it, say), the rehearsal
        // stops serving rather than move a clock another process may take.
        let db = sqlx::PgPool::connect(&rehearsal.config.database_url)
            .await
            .expect("the database");
        sqlx::query(
            "SELECT pg_terminate_backend(pid) FROM pg_locks \
             WHERE locktype = 'advisory' AND pid <> pg_backend_pid() \
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .execute(&db)
        .await
        .expect("the lock's session ended");
        tokio::time::timeout(Duration::from_secs(60), rehearsal.shutdown.cancelled())
            .await
            .expect("the rehearsal stops itself");
        let stopped = rehearsal.stop().await;
        assert!(
            stopped.is_err_and(|e| format!("{e:#}").contains("lease was lost")),
            "stopped for its lease"
        );
    } else {
        rehearsal.stop().await.expect("a clean stop");
    }

    let Some(live) = spawn_app(db).await else {
        return;
    };
    let (status, _) = live.get("/api/v1/rehearsal/clock").await;
    assert_eq!(status, 404, "a live service has no rehearsal clock");
    let rehearse = Serving::Rehearsal {
        clock_start: Some(start),
    };
    let refused = serve_once(&live.config, rehearse).await;
    assert!(refused.contains("served the real campaign"), "{refused}");
    live.stop().await.expect("a clean stop");
}

/// Builds the service on `config`'s store and serves it as `serving` says: the error it
/// stops with at once.
async fn serve_once(config: &rectiflow::Config, serving: Serving) -> String {
    let app = rectiflow::Application::build(config.clone())
        .await
        .expect("the application")
        .serving(serving);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let shutdown = CancellationToken::new();
    let served = tokio::time::timeout(Duration::from_secs(30), app.run(listener, shutdown))
        .await
        .expect("refused at once");
    format!("{:#}", served.expect_err("refused"))
}
