//! `rectiflow-bench http` (issue #12): the HTTP API under load against the same commands sent
//! in-process, in the same run, on PostgreSQL.
//!
//! Each round starts `serve` (the whole application: API, sequencer, projections, policies,
//! scheduler) on a fresh database with a county, a campaign and one open item per connection,
//! then times three phases of `--seconds` each, interleaved: the commands sent by 64
//! concurrent HTTP connections (each urging (催办) its own item as the task force's
//! secretariat, `If-Match: *`); the same commands executed in-process by 64 tasks through the
//! executor `serve` uses (the baseline); and a mix of half commands, half reads of the item
//! (`GET /api/v1/items/{code}`). Reported: commands/s and reads/s, p50 and p99, and the ratio
//! of HTTP commands/s to in-process commands/s.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use rectiflow::{Application, Config};
use rectiflow_domain::item::{Item, ItemCommand};
use rectiflow_domain::organisation::Acting;
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::values::TaskForceId;
use rectiflow_engine::{CancellationToken, CommandContext, Executor};
use rectiflow_projections::policies::roster::PolicyPorts;
use rectiflow_store::{FingerprintKey, PgSettings, PgStore, TokenBook};
use serde::Serialize;
use serde_json::json;
use tokio::net::TcpListener;

pub(crate) mod county;

use county::{code, id, set_up, unit};

use crate::report::emit;
use crate::run::{on_fresh_db, per_second};

/// Concurrent connections (and in-process tasks).
pub const CONNECTIONS: usize = 64;

/// One round's three phases.
#[derive(Debug, Clone, Serialize)]
pub struct HttpRound {
    pub round: usize,
    pub http_commands_per_s: f64,
    pub http_command_p50_ms: f64,
    pub http_command_p99_ms: f64,
    pub in_process_commands_per_s: f64,
    pub mixed_commands_per_s: f64,
    pub mixed_reads_per_s: f64,
    pub mixed_read_p50_ms: f64,
    pub mixed_read_p99_ms: f64,
    /// Answers other than 200 (there should be none).
    pub failures: u64,
}

impl HttpRound {
    pub fn ratio(&self) -> f64 {
        self.http_commands_per_s / self.in_process_commands_per_s.max(f64::MIN_POSITIVE)
    }
}

pub async fn run(admin_url: &str, seconds: u64, repeats: usize) -> anyhow::Result<Vec<HttpRound>> {
    rounds(admin_url, "http", seconds, repeats, one).await
}

/// `repeats` rounds of `one`, each on a fresh database with a window of `seconds`, each
/// emitted as it ends.
pub(crate) async fn rounds<T, F, Fut>(
    admin_url: &str,
    label: &'static str,
    seconds: u64,
    repeats: usize,
    one: F,
) -> anyhow::Result<Vec<T>>
where
    T: Serialize,
    F: Fn(String, Duration, usize) -> Fut + Copy,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let window = Duration::from_secs(seconds.max(1));
    let mut rounds = Vec::new();
    for round in 0..repeats {
        eprintln!("{label} round {}", round + 1);
        let result = on_fresh_db(admin_url, label, |url| async move {
            one(url, window, round).await
        })
        .await?;
        emit(label, &result);
        rounds.push(result);
    }
    Ok(rounds)
}

/// `serve` running on a database with the county set up, and the secretariat's token: where
/// every round of the HTTP benchmarks starts.
pub(crate) struct Served {
    pub base: String,
    pub store: PgStore,
    pub ports: PolicyPorts<PgStore>,
    pub secret: String,
    _dir: tempfile::TempDir,
    shutdown: CancellationToken,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Served {
    pub async fn start(url: &str) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir().context("a temporary folder")?;
        let key_file = dir.path().join("fingerprint.key");
        let key = FingerprintKey::create(&key_file)?;
        let config = Config {
            database_url: url.to_owned(),
            fingerprint_key_file: Some(key_file),
            // The load is the point: no token is held back.
            api_rate_per_second: 10_000,
            api_rate_burst: 100_000,
            // Every connection comes from one address.
            api_rate_per_address_per_second: 100_000,
            api_rate_per_address_burst: 1_000_000,
            // One token follows the stream a hundred times over (the fan-out benchmark).
            sse_streams_per_token: 1_000,
            ..Config::default()
        };
        let app = Application::build(config.clone()).await?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let shutdown = CancellationToken::new();
        let server = tokio::spawn(app.run(listener, shutdown.clone()));

        let store = PgStore::connect(PgSettings::new(url).with_fingerprint_key(key)).await?;
        let clock = Arc::new(rectiflow::clock::SystemClock);
        let ports = rectiflow::policies::ports(&store, &config, clock)?;
        set_up(&ports.exec, &ports.services).await?;
        let secret = TokenBook::new(store.clone())
            .issue(
                Some(id("sec-1")?),
                Acting::Secretariat {
                    task_forces: [TaskForceId::parse("yibao")?].into(),
                },
                Some("bench".into()),
                Utc::now(),
            )
            .await?
            .secret;
        Ok(Self {
            base,
            store,
            ports,
            secret,
            _dir: dir,
            shutdown,
            server,
        })
    }

    /// Stops `serve` and waits for it.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        self.server.await?
    }
}

async fn one(url: String, window: Duration, round: usize) -> anyhow::Result<HttpRound> {
    let served = Served::start(&url).await?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()?;
    let load = Load {
        client,
        base: served.base.clone(),
        secret: served.secret.clone(),
    };

    let (http, http_latencies, failures) = load.phase(window, false).await;
    let in_process = in_process(&served.ports.exec, &served.ports.services, window).await?;
    let (mixed, mixed_latencies, mixed_failures) = load.phase(window, true).await;

    served.stop().await?;
    let (p50, p99) = percentiles(&http_latencies.commands);
    let (read_p50, read_p99) = percentiles(&mixed_latencies.reads);
    Ok(HttpRound {
        round,
        http_commands_per_s: per_second(http.commands, window),
        http_command_p50_ms: p50,
        http_command_p99_ms: p99,
        in_process_commands_per_s: per_second(in_process, window),
        mixed_commands_per_s: per_second(mixed.commands, window),
        mixed_reads_per_s: per_second(mixed.reads, window),
        mixed_read_p50_ms: read_p50,
        mixed_read_p99_ms: read_p99,
        failures: failures + mixed_failures,
    })
}

fn urge(i: usize) -> serde_json::Value {
    json!({ "unit": unit(i), "text": "请加快整改进度" })
}

/// The client side of the load.
struct Load {
    client: reqwest::Client,
    base: String,
    secret: String,
}

#[derive(Default)]
struct Counts {
    commands: u64,
    reads: u64,
}

#[derive(Default)]
struct Latencies {
    commands: Vec<Duration>,
    reads: Vec<Duration>,
}

impl Load {
    /// `window` of load from every connection: commands only, or half reads.
    async fn phase(&self, window: Duration, mixed: bool) -> (Counts, Latencies, u64) {
        let until = Instant::now() + window;
        let mut tasks = Vec::new();
        for i in 0..CONNECTIONS {
            let client = self.client.clone();
            let item = format!("{}/api/v1/items/{}", self.base, code(i));
            let bearer = format!("Bearer {}", self.secret);
            tasks.push(tokio::spawn(async move {
                let mut counts = Counts::default();
                let mut latencies = Latencies::default();
                let mut failures = 0u64;
                let mut n = 0u64;
                while Instant::now() < until {
                    n += 1;
                    let read = mixed && n.is_multiple_of(2);
                    let request = if read {
                        client.get(&item)
                    } else {
                        client
                            .post(format!("{item}/urge"))
                            .header("If-Match", "*")
                            .json(&urge(i))
                    };
                    let started = Instant::now();
                    let ok = match request.header("Authorization", &bearer).send().await {
                        Ok(response) => {
                            let ok = response.status().is_success();
                            ok && response.bytes().await.is_ok()
                        }
                        Err(_) => false,
                    };
                    let took = started.elapsed();
                    match (ok, read) {
                        (false, _) => failures += 1,
                        (true, true) => {
                            counts.reads += 1;
                            latencies.reads.push(took);
                        }
                        (true, false) => {
                            counts.commands += 1;
                            latencies.commands.push(took);
                        }
                    }
                }
                (counts, latencies, failures)
            }));
        }
        let mut counts = Counts::default();
        let mut latencies = Latencies::default();
        let mut failures = 0;
        for task in tasks {
            if let Ok((c, l, f)) = task.await {
                counts.commands += c.commands;
                counts.reads += c.reads;
                latencies.commands.extend(l.commands);
                latencies.reads.extend(l.reads);
                failures += f;
            } else {
                failures += 1;
            }
        }
        (counts, latencies, failures)
    }
}

/// The same commands, in-process: 64 tasks through the executor `serve` uses.
async fn in_process(
    exec: &Executor<PgStore>,
    services: &DomainServices,
    window: Duration,
) -> anyhow::Result<u64> {
    let until = Instant::now() + window;
    let mut tasks = Vec::new();
    for i in 0..CONNECTIONS {
        let exec = exec.clone();
        let services = services.clone();
        tasks.push(tokio::spawn(async move {
            let context = CommandContext::new(id("sec-1")?);
            let body: ItemCommand = serde_json::from_value(json!({ "urge": urge(i) }))?;
            let mut done = 0u64;
            while Instant::now() < until {
                exec.execute::<Item, _>(&context, &code(i), None, body.clone(), &services)
                    .await
                    .map_err(|e| anyhow::anyhow!("urging {}: {e}", code(i)))?;
                done += 1;
            }
            anyhow::Ok(done)
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await??;
    }
    Ok(total)
}

/// p50 and p99 in milliseconds.
pub(crate) fn percentiles(latencies: &[Duration]) -> (f64, f64) {
    let mut sorted = latencies.to_vec();
    sorted.sort();
    let at = |q: f64| {
        let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1_000.0)
    };
    (at(0.50), at(0.99))
}

pub const BEGIN: &str = "<!-- rectiflow-bench:http:begin (generated by `rectiflow-bench http`; edits inside are overwritten) -->";
pub const END: &str = "<!-- rectiflow-bench:http:end -->";

/// One measure of a round.
type Measure = fn(&HttpRound) -> f64;

/// The HTTP section of `docs/BENCHMARKS.md`.
pub fn markdown(rounds: &[HttpRound], header: &crate::read_models::Header<'_>) -> String {
    use crate::summary::Spread;
    use std::fmt::Write as _;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "## HTTP API (issue #12)\n\n```sh\n{}\n```\n\n{} Each round on a fresh database, \
         `serve` running (API, sequencer, projections, policies, scheduler); {CONNECTIONS} \
         connections each urging (催办) its own item as the secretariat (`If-Match: *`); the \
         baseline is the same commands from {CONNECTIONS} in-process tasks through the executor \
         `serve` uses; the mix is half commands, half `GET` of the item. Phases interleaved in \
         each round; medians with the range of the rounds.\n",
        header.command,
        header.provenance(),
    );
    let rows: [(&str, Measure); 10] = [
        ("HTTP commands/s", |r| r.http_commands_per_s),
        ("HTTP command p50 ms", |r| r.http_command_p50_ms),
        ("HTTP command p99 ms", |r| r.http_command_p99_ms),
        ("in-process commands/s", |r| r.in_process_commands_per_s),
        ("HTTP ÷ in-process commands", HttpRound::ratio),
        ("mixed: commands/s", |r| r.mixed_commands_per_s),
        ("mixed: reads/s", |r| r.mixed_reads_per_s),
        ("mixed: read p50 ms", |r| r.mixed_read_p50_ms),
        ("mixed: read p99 ms", |r| r.mixed_read_p99_ms),
        ("answers other than 2xx", |r| r.failures as f64),
    ];
    crate::summary::measure_table(&mut md, rounds, &rows);
    if let Some(ratio) = Spread::of(rounds.iter().map(HttpRound::ratio)) {
        let _ = writeln!(
            md,
            "\n### Targets\n\n| target | measured | goal | met |\n|---|--:|---|---|\n| HTTP command throughput ÷ in-process | {:.2}× | ≥ 0.5× | {} |",
            ratio.median,
            if ratio.median >= 0.5 { "yes" } else { "**no**" }
        );
    }
    md
}
