//! A `serve` killed with `SIGKILL` in the middle of a bulletin's action — its occurrence fired,
//! its publication not made; a failpoint parks the process exactly there and says so — leaves
//! the occurrence awaiting its action, and the next `serve` completes it: the bulletin is
//! published once, late, on behalf of the occurrence the first process fired.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use rectiflow::config::Config;
use rectiflow_domain::campaign::{Campaign, CampaignCommand, ItemPrefix};
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::organisation::{Organisation, OrganisationCommand, ORGANISATION};
use rectiflow_domain::publication::PublicationEvent;
use rectiflow_domain::schedule::ScheduleEvent;
use rectiflow_domain::settings::{CampaignSettings, Field};
use rectiflow_domain::values::{CampaignId, PersonId, TaskForceId, Text};
use rectiflow_engine::{CommandContext, EventStore, Executor};

use super::*;

/// How long a `serve` may take to reach the failpoint, or to complete what the killed one left.
const PATIENCE: Duration = Duration::from_secs(90);

const BULLETIN: &str = "qunfu-2026:monthly-bulletin";
const SEPTEMBER: &str = "bulletin~qunfu-2026~2026-09~county";

/// The county's administrator and a campaign with one task force, created on 2026-09-15 —
/// long enough ago that the September bulletin (due 2026-10-08) is owed when `serve` starts.
pub(super) async fn set_up<S: Store>(store: &S) {
    let created: DateTime<Utc> = "2026-09-15T02:00:00Z".parse().expect("an instant");
    let ports = rectiflow::policies::ports(
        store,
        &Config::default(),
        Arc::new(ManualClock::starting_at(created)),
    )
    .expect("ports");
    let person = |id: &str| PersonId::parse(id).expect("a person id");
    let text = |t: &str| Text::parse(t).expect("a text");
    ports
        .exec
        .execute::<Organisation, _>(
            &CommandContext::new(person("installer")),
            ORGANISATION,
            None,
            OrganisationCommand::Bootstrap {
                admin: person("admin-wu"),
            },
            &ports.services,
        )
        .await
        .expect("bootstrap");
    let admin = |body| {
        let exec: &Executor<S> = &ports.exec;
        let services = &ports.services;
        async move {
            exec.execute::<Campaign, _>(
                &CommandContext::new(person("admin-wu")),
                "qunfu-2026",
                None,
                body,
                services,
            )
            .await
            .expect("a campaign command")
        }
    };
    admin(CampaignCommand::CreateCampaign {
        campaign: CampaignId::parse("qunfu-2026").expect("an id"),
        name: text("2026 群腐整治"),
        year: 2026,
        settings: CampaignSettings::default(),
    })
    .await;
    admin(CampaignCommand::AddTaskForce {
        task_force: TaskForceId::parse("yibao").expect("an id"),
        field: Field::MedicalInsurance,
        name: text("医保基金专班"),
        lead: person("deputy-head-sun"),
        prefix: ItemPrefix::parse("YB").expect("a prefix"),
        categories: vec![text("虚构服务")],
    })
    .await;
}

/// `rectiflow serve` on `url`, with `failpoint` armed (or none), its standard error sent line
/// by line down the returned channel.
fn serve(
    dir: &Path,
    url: &str,
    key: &str,
    failpoint: Option<&str>,
) -> (Child, mpsc::Receiver<String>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rectiflow"));
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", url])
        .args(["--fingerprint-key-file", key])
        .current_dir(dir)
        .env_remove("RECTIFLOW_DATABASE_URL")
        .env_remove(FAILPOINT_VAR)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(failpoint) = failpoint {
        command.env(FAILPOINT_VAR, failpoint);
    }
    let mut child = command.spawn().expect("start rectiflow serve");
    let stderr = child.stderr.take().expect("piped stderr");
    let (lines, said) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    (child, said)
}

/// The bulletin schedule's events, decoded.
async fn bulletin_events<S: Store>(store: &S) -> Vec<(uuid::Uuid, ScheduleEvent)> {
    store
        .load_events(&StreamRef::new("schedule", BULLETIN), 0)
        .await
        .expect("the schedule's events")
        .into_iter()
        .map(|e| {
            (
                e.event_id,
                serde_json::from_value(e.payload).expect("a schedule event"),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_bulletin_killed_mid_action_is_published_once_by_the_next_serve() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let Some((url, db)) = fresh(Backend::Postgres, dir.path(), "killed-bulletin").await else {
        return;
    };
    let store = AnyStore::open(&url).await.expect("open the store");
    with_store!(&store, store => set_up(store).await);
    let key = super::projections::key_file(dir.path());

    let (mut first, said) = serve(dir.path(), &url, &key, Some("scheduler-park-in-bulletin"));
    let started = Instant::now();
    let mut heard = Vec::new();
    loop {
        match said.recv_timeout(PATIENCE.saturating_sub(started.elapsed())) {
            Ok(line) if line.contains("failpoint scheduler-park-in-bulletin reached") => break,
            Ok(line) => heard.push(line),
            Err(_) => {
                let _ = first.kill();
                panic!(
                    "serve never parked in a bulletin's action (was the binary built with the \
                     store's `failpoints` feature?); it said: {heard:?}"
                );
            }
        }
    }
    // Parked: the September bulletin fired, its publication not made.
    let events = with_store!(&store, store => bulletin_events(store).await);
    let fired: Vec<_> = events
        .iter()
        .filter(|(_, e)| matches!(e, ScheduleEvent::OccurrenceFired { .. }))
        .collect();
    assert_eq!(fired.len(), 1, "{events:?}");
    let cause = fired[0].0;
    let september = StreamRef::new("publication", SEPTEMBER);
    let made = with_store!(&store, store => store.load_events(&september, 0).await);
    assert!(made.expect("read").is_empty(), "not published yet");
    kill(
        Pid::from_raw(i32::try_from(first.id()).expect("a pid")),
        Signal::SIGKILL,
    )
    .expect("SIGKILL");
    first.wait().expect("the killed process is reaped");

    let (mut second, _said) = serve(dir.path(), &url, &key, None);
    let completed = |events: &[(uuid::Uuid, ScheduleEvent)]| {
        events
            .iter()
            .any(|(_, e)| matches!(e, ScheduleEvent::ActionCompleted { publications, .. } if publications.iter().any(|p| p.as_str() == SEPTEMBER)))
    };
    let started = Instant::now();
    let mut events = with_store!(&store, store => bulletin_events(store).await);
    // The other process's progress: polled, bounded.
    while !completed(&events) && started.elapsed() < PATIENCE {
        std::thread::sleep(Duration::from_millis(200));
        events = with_store!(&store, store => bulletin_events(store).await);
    }
    let _ = kill(
        Pid::from_raw(i32::try_from(second.id()).expect("a pid")),
        Signal::SIGTERM,
    );
    second.wait().expect("the second serve stops");
    assert!(
        completed(&events),
        "the next serve completed it: {events:?}"
    );
    let october_first: DateTime<Utc> = "2026-10-01T01:00:00Z".parse().expect("an instant");
    let september_fired = events
        .iter()
        .filter(|(_, e)| matches!(e, ScheduleEvent::OccurrenceFired { nominal, .. } if nominal[0] == october_first))
        .count();
    assert_eq!(september_fired, 1, "fired once: {events:?}");

    let made = with_store!(&store, store => store.load_events(&september, 0).await)
        .expect("the September bulletin");
    assert_eq!(made.len(), 1, "published once");
    let metadata: rectiflow_engine::Metadata =
        serde_json::from_value(made[0].metadata.clone()).expect("metadata");
    assert_eq!(
        metadata.causation_id,
        Some(cause),
        "on behalf of the first process's firing"
    );
    let published: PublicationEvent =
        serde_json::from_value(made[0].payload.clone()).expect("a publication event");
    assert!(
        matches!(published, PublicationEvent::Published { late: true, .. }),
        "late: {published:?}"
    );
    drop(db);
}
