//! `rectiflow schedule list` through the real binary: before the scheduler has looked at a
//! campaign its three schedules are listed as not created, with the fire times to come; once
//! it has, as running, each with what became of its last occurrence — here fired late after
//! the campaign was left without a scheduler for weeks.

use std::sync::Arc;
use std::time::Duration;

use rectiflow::config::Config;
use rectiflow_domain::clock::ManualClock;
use serde_json::Value;

use super::*;

fn list(dir: &Path, url: &str, extra: &[&str]) -> Output {
    let mut args = vec!["schedule", "list", "--database-url", url];
    args.extend_from_slice(extra);
    rectiflow(dir, &args)
}

fn by_schedule(out: &Output) -> Vec<Value> {
    assert_exit(out, 0);
    serde_json::from_str::<Vec<Value>>(&stdout(out)).expect("a JSON array")
}

/// One look of the scheduler `serve` runs, at 2026-10-09 10:00 Beijing time, with the
/// projections running meanwhile (a publication waits for them).
async fn one_look<S: Store>(store: &S) {
    let now = "2026-10-09T02:00:00Z".parse().expect("an instant");
    let ports = rectiflow::policies::ports(
        store,
        &Config::default(),
        Arc::new(ManualClock::starting_at(now)),
    )
    .expect("ports");
    let stop = CancellationToken::new();
    let mut projections = Supervisor::new(stop.clone());
    for worker in rectiflow::projections::workers(store) {
        projections.add(worker);
    }
    let tick = rectiflow::schedule::firing::scheduler(&ports)
        .tick(&stop)
        .await
        .expect("a look");
    assert!(tick.failures.is_empty(), "{:?}", tick.failures);
    stop.cancel();
    projections
        .stop_within(Duration::from_secs(10))
        .await
        .expect("the projections stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedules_are_listed_with_their_next_fire_times_and_last_outcomes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    let store = AnyStore::open(&url).await.expect("a SQLite store");
    with_store!(&store, store => super::killed_bulletin::set_up(store).await);

    let path = dir.path().to_owned();
    let (u, p) = (url.clone(), path.clone());
    let before = tokio::task::spawn_blocking(move || list(&p, &u, &["--json"]))
        .await
        .expect("listed");
    let lines = by_schedule(&before);
    let names: Vec<&str> = lines
        .iter()
        .filter_map(|l| l["schedule"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "qunfu-2026:weekly-dispatch",
            "qunfu-2026:monthly-bulletin",
            "qunfu-2026:quarterly-assessment"
        ]
    );
    for line in &lines {
        assert_eq!(line["status"], "not_created", "{line}");
        assert_eq!(line["next"].as_array().map(Vec::len), Some(3), "{line}");
        assert!(line.get("last").is_none(), "{line}");
    }

    with_store!(&store, store => one_look(store).await);
    let (u, p) = (url.clone(), path.clone());
    let (json, table, unknown) = tokio::task::spawn_blocking(move || {
        (
            list(&p, &u, &["--json"]),
            list(&p, &u, &[]),
            list(&p, &u, &["--campaign", "qunfu-2027"]),
        )
    })
    .await
    .expect("listed");
    let lines = by_schedule(&json);
    let bulletin = &lines[1];
    assert_eq!(bulletin["status"], "running");
    assert_eq!(
        bulletin["starts"], "2026-09-16",
        "the day after the campaign's creation"
    );
    assert_eq!(bulletin["last"]["outcome"], "fired_late", "{bulletin}");
    assert_eq!(bulletin["last"]["completed"], true);
    assert_eq!(
        bulletin["last"]["publications"],
        serde_json::json!([
            "bulletin~qunfu-2026~2026-09~county",
            "bulletin~qunfu-2026~2026-09~task_force:yibao"
        ])
    );
    assert_eq!(bulletin["awaiting_action"], 0);
    // The dispatches of 09-21 and 09-28 were past their window; 10-08's fired, a day late.
    assert_eq!(lines[0]["last"]["outcome"], "fired_late", "{}", lines[0]);
    let table = stdout(&table);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("qunfu-2026:monthly-bulletin")
                && l.contains("running")
                && l.contains("fired_late")
                && l.contains("2 publications")),
        "{table}"
    );
    assert_exit(&unknown, 1);
    assert!(
        stderr(&unknown).contains("no campaign qunfu-2027 in this store"),
        "{}",
        stderr(&unknown)
    );
}

/// On a rehearsal store the fire times to come follow the rehearsal's clock (as last kept),
/// not the wall clock: a campaign walked to 20 September 2026 has October's bulletin next.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rehearsals_schedules_are_listed_on_its_own_clock() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    let store = AnyStore::open(&url).await.expect("a SQLite store");
    let clock = "2026-09-20T00:00:00Z".parse().expect("an instant");
    with_store!(&store, store => {
        rectiflow_store::mode::claim(store, rectiflow_store::mode::Mode::Rehearsal, Some(clock), Utc::now())
            .await
            .expect("marked a rehearsal");
        super::killed_bulletin::set_up(store).await
    });
    let path = dir.path().to_owned();
    let listed = tokio::task::spawn_blocking(move || list(&path, &url, &["--json"]))
        .await
        .expect("listed");
    let lines = by_schedule(&listed);
    // The first working day of October, after the National Day holiday.
    assert_eq!(
        lines[1]["next"][0]["fires_at"], "2026-10-08T01:00:00Z",
        "{}",
        lines[1]
    );
}
