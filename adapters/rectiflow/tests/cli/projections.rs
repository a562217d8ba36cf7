//! The projections from the command line: `rebuild` (all or by name, unknown names refused
//! before anything is opened), `lag` in text and JSON, and `serve` keeping every projection
//! and every policy live with its lag on `/metrics` — on SQLite and PostgreSQL.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

use nix::sys::signal::Signal;
use rectiflow_projections::policies::roster;
use rectiflow_store::FingerprintKey;

use super::signals::{serve, PATIENCE};
use super::*;

/// `rectiflow lag --json` as JSON, after checking it succeeded.
fn lag_json(dir: &Path, url: &str) -> serde_json::Value {
    let out = rectiflow(dir, &["lag", "--json", "--database-url", url]);
    assert_exit(&out, 0);
    serde_json::from_str(stdout(&out).trim()).expect("lag --json prints JSON")
}

/// A fingerprint key file in `dir` (serving on PostgreSQL needs one), by its path.
pub(super) fn key_file(dir: &Path) -> String {
    let key = dir.join("fingerprint.key");
    FingerprintKey::create(&key).expect("a fingerprint key file");
    key.display().to_string()
}

/// `rebuild` says what it rebuilt, in events and events per second.
#[track_caller]
fn assert_rebuilt(output: &Output, events: u64) {
    assert_exit(output, 0);
    let out = stdout(output);
    let line = out.lines().next().unwrap_or_default();
    let rest = line
        .strip_prefix(&format!("rebuilt item-register: {events} events in "))
        .unwrap_or_else(|| panic!("a 'rebuilt' line for {events} events, got {out:?}"));
    let (seconds, rate) = rest
        .split_once(" s (")
        .expect("the duration, then the rate");
    seconds.parse::<f64>().expect("seconds");
    let rate = rate
        .strip_suffix(" events/s)")
        .expect("the rate in events/s");
    rate.parse::<f64>().expect("a rate");
}

/// `lag --json` when every registered projection stands at `checkpoint` under its code's
/// version (`ran`), or never ran (version null), in the order `lag` lists them (by name); the
/// policies likewise at `policies` (`Some(checkpoint)`, version 1) or never run (`None`).
fn every_lag(checkpoint: u64, ran: bool, policies: Option<u64>) -> serde_json::Value {
    let mut lags: Vec<(&str, u64, Option<u32>)> = rectiflow_projections::registry::versions()
        .into_iter()
        .map(|(name, version)| (name, checkpoint, ran.then_some(version)))
        .collect();
    for name in roster::NAMES {
        lags.push((name, policies.unwrap_or(0), policies.map(|_| 1)));
    }
    lags.sort_unstable();
    serde_json::Value::Array(
        lags.into_iter()
            .map(|(name, checkpoint, version)| {
                json!({"consumer": name, "checkpoint": checkpoint, "version": version,
                       "head": EVENTS, "lag": EVENTS - checkpoint})
            })
            .collect(),
    )
}

/// Rebuilds on `url` (filled with `EVENTS` events) with and without names, and reads the lag
/// before and after.
fn rebuild_and_lag(dir: &Path, url: &str) {
    let with = |args: &[&str]| -> Vec<String> {
        args.iter()
            .chain(["--database-url", url].iter())
            .map(|a| (*a).to_owned())
            .collect()
    };
    let run = |args: &[&str]| {
        let args = with(args);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        rectiflow(dir, &args)
    };
    assert_eq!(
        lag_json(dir, url),
        every_lag(0, false, None),
        "a registered projection that never ran lags by the whole log"
    );
    assert_rebuilt(&run(&["rebuild"]), EVENTS);
    assert_eq!(
        lag_json(dir, url),
        every_lag(EVENTS, true, None),
        "a rebuild rebuilds projections, never a policy"
    );
    assert_rebuilt(&run(&["rebuild", "item-register"]), EVENTS);
    let out = run(&["lag"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let row: Vec<&str> = text
        .lines()
        .find(|line| line.starts_with("item-register "))
        .unwrap_or_else(|| panic!("a line for item-register: {text}"))
        .split_whitespace()
        .collect();
    let version = rectiflow_projections::registry::versions()
        .into_iter()
        .find(|(name, _)| *name == "item-register")
        .map(|(_, version)| version.to_string())
        .expect("the register is registered");
    let expected = [&EVENTS.to_string(), &version, &EVENTS.to_string(), "0"];
    assert_eq!(row[1..], expected, "checkpoint, version, head, lag: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_rebuild_and_lag() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (url, _db) = fresh(Backend::Sqlite, dir.path(), "rebuilt")
        .await
        .expect("a SQLite file");
    fill(&url).await;
    let path = dir.path().to_owned();
    tokio::task::spawn_blocking(move || rebuild_and_lag(&path, &url))
        .await
        .expect("the checks ran");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_rebuild_and_lag() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let Some((url, db)) = fresh(Backend::Postgres, dir.path(), "rebuilt").await else {
        return;
    };
    fill(&url).await;
    let path = dir.path().to_owned();
    tokio::task::spawn_blocking(move || rebuild_and_lag(&path, &url))
        .await
        .expect("the checks ran");
    drop(db);
}

/// An unknown name is a usage error (64) naming the known projections, and nothing is
/// rebuilt — not even the known name beside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_rebuild_of_an_unknown_projection_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (url, _db) = fresh(Backend::Sqlite, dir.path(), "refused")
        .await
        .expect("a SQLite file");
    fill(&url).await;
    let path = dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        let out = rectiflow(
            &path,
            &[
                "rebuild",
                "item-register",
                "ledger-typo",
                "--database-url",
                &url,
            ],
        );
        assert_exit(&out, 64);
        let err = stderr(&out);
        assert!(err.contains("ledger-typo"), "{err}");
        assert!(err.contains("item-register"), "the known names: {err}");
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
        assert_eq!(
            lag_json(&path, &url),
            every_lag(0, false, None),
            "nothing was rebuilt"
        );
    })
    .await
    .expect("the checks ran");
}

/// `GET path` on the service: the whole response.
fn get(address: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect to the service");
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("a read timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("read the response");
    response
}

/// `serve` runs every registered projection's and every policy's consumer, each catching up
/// with the log; `/metrics` shows every lag closing to 0.
fn serves_every_projection(dir: &Path, args: &[&str]) {
    let served = serve(dir, args);
    let gauges: Vec<String> = rectiflow_projections::registry::names()
        .into_iter()
        .chain(roster::NAMES)
        .map(|name| format!("rectiflow_consumer_lag{{consumer=\"{name}\"}} 0"))
        .collect();
    let caught_up = |metrics: &str| gauges.iter().all(|gauge| metrics.contains(gauge.as_str()));
    let started = Instant::now();
    let mut metrics = get(served.address, "/metrics");
    // The consumers' progress is in another process: polled, bounded.
    while !caught_up(&metrics) && started.elapsed() < PATIENCE {
        std::thread::sleep(std::time::Duration::from_millis(100));
        metrics = get(served.address, "/metrics");
    }
    let (status, stderr) = served.stop_with(Signal::SIGTERM);
    assert!(caught_up(&metrics), "{metrics}\nstderr: {stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_serve_keeps_the_projections_live() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (url, _db) = fresh(Backend::Sqlite, dir.path(), "served")
        .await
        .expect("a SQLite file");
    fill(&url).await;
    let path = dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        serves_every_projection(&path, &["--database-url", &url]);
        assert_eq!(lag_json(&path, &url), every_lag(EVENTS, true, Some(EVENTS)));
    })
    .await
    .expect("the checks ran");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_serve_keeps_the_projections_live() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let Some((url, db)) = fresh(Backend::Postgres, dir.path(), "served").await else {
        return;
    };
    fill(&url).await;
    let key = key_file(dir.path());
    let path = dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        serves_every_projection(
            &path,
            &["--database-url", &url, "--fingerprint-key-file", &key],
        );
        assert_eq!(lag_json(&path, &url), every_lag(EVENTS, true, Some(EVENTS)));
    })
    .await
    .expect("the checks ran");
    drop(db);
}

/// On PostgreSQL a rebuild swaps under the consumer's lease: while `serve` runs the projection,
/// `rebuild` says it waits for it, and a signal stops it with nothing written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_rebuild_waits_for_a_running_serve_and_stops_on_a_signal() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let Some((url, db)) = fresh(Backend::Postgres, dir.path(), "held").await else {
        return;
    };
    fill(&url).await;
    let key = key_file(dir.path());
    let path = dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        let served = serve(
            &path,
            &["--database-url", &url, "--fingerprint-key-file", &key],
        );
        // Serving: the register has caught up, so it holds its lease.
        let started = Instant::now();
        let register_lag = || {
            lag_json(&path, &url)
                .as_array()
                .and_then(|lags| lags.iter().find(|l| l["consumer"] == "item-register"))
                .map(|l| l["lag"].clone())
        };
        while register_lag() != Some(json!(0)) && started.elapsed() < PATIENCE {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let mut rebuild = std::process::Command::new(env!("CARGO_BIN_EXE_rectiflow"))
            .args(["rebuild", "--database-url", &url])
            .current_dir(&path)
            .env_remove("RECTIFLOW_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start rectiflow rebuild");
        let stderr = rebuild.stderr.take().expect("piped stderr");
        let (lines, said) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let _ = lines.send(line);
            }
        });
        let waiting = said
            .recv_timeout(PATIENCE)
            .expect("rebuild says why it waits");
        // It takes the leases in name order, so it first waits for whichever projection
        // comes first.
        assert!(
            rectiflow_projections::registry::names()
                .iter()
                .any(|name| waiting.starts_with(&format!("waiting for {name}: "))),
            "{waiting}"
        );
        let pid = nix::unistd::Pid::from_raw(i32::try_from(rebuild.id()).expect("a pid"));
        nix::sys::signal::kill(pid, Signal::SIGINT).expect("interrupt the rebuild");
        let status = rebuild.wait().expect("the rebuild exits");
        let rest: Vec<String> = said.iter().collect();
        assert_eq!(status.code(), Some(1), "{rest:?}");
        assert!(
            rest.iter().any(|line| line.contains("interrupted")),
            "{rest:?}"
        );
        let lag = lag_json(&path, &url);
        let (status, stderr) = served.stop_with(Signal::SIGTERM);
        assert_eq!(status.code(), Some(0), "{stderr}");
        assert_eq!(
            lag,
            every_lag(EVENTS, true, Some(EVENTS)),
            "the live consumers as serve left them, and no shadow"
        );
    })
    .await
    .expect("the checks ran");
    drop(db);
}
