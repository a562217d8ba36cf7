//! `rectiflow-bench fanout` (issue #13): SSE fan-out — 100 subscribers following
//! `GET /api/v1/events/stream` while 16 writers commit over HTTP, on PostgreSQL.
//!
//! Each round starts `serve` (the whole application: API, sequencer, projections, policies,
//! scheduler) on a fresh database with a county, a campaign and one open item per writer,
//! opens the subscribers' streams at the head, then lets the writers urge (催办) their items
//! for `--seconds`. The lag of a delivery is the time from the event's `time` (stamped by the
//! executor as its command is decided, just before the commit) to the moment a subscriber has
//! read the event's frame. Measured in the same round, the baseline: one in-process follower
//! reading the log straight from the store on every change of the head — the least lag any
//! subscriber of this log can have, so the ratio says what the HTTP stream and the fan-out
//! add. Every subscriber must end with every event the writers made, in order, once. Before
//! the subscribers open, the same writers write alone for the same time: what following the
//! log costs the writers is the ratio of the two.

use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};
use rectiflow_engine::{CancellationToken, EventStore};
use rectiflow_store::PgStore;
use serde::Serialize;
use serde_json::json;
use tokio::sync::watch;

use crate::http::county::{code, unit};
use crate::http::{percentiles, Served};
use crate::run::per_second;

/// Subscribers following the stream.
pub const SUBSCRIBERS: usize = 100;
/// Writers committing over HTTP.
pub const WRITERS: usize = 16;
/// How long the subscribers may take to read the last event once the writers stop.
const DRAIN: Duration = Duration::from_secs(60);

/// One round.
#[derive(Debug, Clone, Serialize)]
pub struct FanoutRound {
    pub round: usize,
    /// Events the writers' commands appended, per second of the window.
    pub committed_per_s: f64,
    /// The same writers with nobody following: events appended per second.
    pub alone_per_s: f64,
    /// Events each subscriber read per second of the window (the median subscriber).
    pub per_subscriber_per_s: f64,
    pub sse_lag_p50_ms: f64,
    pub sse_lag_p99_ms: f64,
    pub in_process_lag_p50_ms: f64,
    pub in_process_lag_p99_ms: f64,
    /// Subscribers that did not read every event once, in order (there should be none).
    pub incomplete: u64,
    /// Writers' answers other than 2xx (there should be none).
    pub failures: u64,
}

impl FanoutRound {
    /// What the stream adds to the least lag: SSE p99 ÷ in-process p99.
    pub fn lag_ratio(&self) -> f64 {
        self.sse_lag_p99_ms / self.in_process_lag_p99_ms.max(f64::MIN_POSITIVE)
    }

    /// What following costs the writers: events/s with the subscribers ÷ without.
    pub fn writers_kept(&self) -> f64 {
        self.committed_per_s / self.alone_per_s.max(f64::MIN_POSITIVE)
    }

    /// Whether subscribers keep up: a subscriber's events/s ÷ the events committed per second.
    pub fn keep_up(&self) -> f64 {
        self.per_subscriber_per_s / self.committed_per_s.max(f64::MIN_POSITIVE)
    }
}

pub async fn run(
    admin_url: &str,
    seconds: u64,
    repeats: usize,
) -> anyhow::Result<Vec<FanoutRound>> {
    crate::http::rounds(admin_url, "fanout", seconds, repeats, one).await
}

async fn one(url: String, window: Duration, round: usize) -> anyhow::Result<FanoutRound> {
    let served = Served::start(&url).await?;
    let store = served.store.clone();
    let base = served.base.clone();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(SUBSCRIBERS + WRITERS)
        .build()?;
    let bearer = format!("Bearer {}", served.secret);

    // The writers alone first: what the log takes without anyone following it.
    let before = settled(&store).await?;
    let alone_failures = write(&client, &base, &bearer, window).await;
    // Everything before the window (the county, and whatever its consumers did) is behind the
    // subscribers: they open at the head once the policies have settled.
    let start = settled(&store).await?;
    // The last position to read: unknown (`u64::MAX`) while the writers write.
    let (target, until) = watch::channel(u64::MAX);
    let give_up = CancellationToken::new();
    let mut subscribers = Vec::new();
    for _ in 0..SUBSCRIBERS {
        let response = client
            .get(format!("{base}/api/v1/events/stream?after={start}"))
            .header("Authorization", &bearer)
            .header("Accept", "text/event-stream")
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "a stream was refused: {}",
            response.status()
        );
        subscribers.push(tokio::spawn(subscribe(
            response,
            until.clone(),
            give_up.clone(),
        )));
    }
    let follower = tokio::spawn(follow(store.clone(), start, until, give_up.clone()));

    let failures = write(&client, &base, &bearer, window).await;
    let end = settled(&store).await?;
    let _ = target.send(end);
    let deadline = tokio::spawn({
        let give_up = give_up.clone();
        async move {
            tokio::time::sleep(DRAIN).await;
            give_up.cancel();
        }
    });
    let mut lags = Vec::new();
    let mut per_subscriber = Vec::new();
    let mut incomplete = 0u64;
    for subscriber in subscribers {
        let read = subscriber.await??;
        if !read.complete(start, end) {
            incomplete += 1;
        }
        per_subscriber.push(read.in_window as f64 / window.as_secs_f64());
        lags.extend(read.lags);
    }
    let baseline = follower.await??;
    deadline.abort();
    anyhow::ensure!(
        baseline.complete(start, end),
        "the in-process follower did not read {} to {end}",
        start + 1
    );
    served.stop().await?;

    per_subscriber.sort_by(f64::total_cmp);
    let median = per_subscriber
        .get(per_subscriber.len() / 2)
        .copied()
        .unwrap_or(0.0);
    let (p50, p99) = percentiles(&lags);
    let (base_p50, base_p99) = percentiles(&baseline.lags);
    Ok(FanoutRound {
        round,
        committed_per_s: per_second(end - start, window),
        alone_per_s: per_second(start - before, window),
        per_subscriber_per_s: median,
        sse_lag_p50_ms: p50,
        sse_lag_p99_ms: p99,
        in_process_lag_p50_ms: base_p50,
        in_process_lag_p99_ms: base_p99,
        incomplete,
        failures: failures + alone_failures,
    })
}

/// The head once every committed event is placed and it stays put for a moment (the policies
/// and scheduler may still act on what was just written).
async fn settled(store: &PgStore) -> anyhow::Result<u64> {
    let mut head = store.head().await?;
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let committed = store.committed().await?;
        let now = store.head().await?;
        if now == head && now >= committed {
            return Ok(now);
        }
        head = now;
    }
}

/// What one reader saw: the positions in the order read, the lag of each, and how many it
/// read while the writers wrote.
#[derive(Default)]
struct Read {
    positions: Vec<u64>,
    lags: Vec<Duration>,
    in_window: u64,
}

impl Read {
    /// Every position after `start` up to `end`, once each, in order.
    fn complete(&self, start: u64, end: u64) -> bool {
        self.positions.len() as u64 == end - start
            && self
                .positions
                .iter()
                .zip(start + 1..)
                .all(|(got, want)| *got == want)
    }

    fn saw(&mut self, position: u64, lag: Duration, until: &watch::Receiver<u64>) {
        self.positions.push(position);
        self.lags.push(lag);
        if *until.borrow() == u64::MAX {
            self.in_window += 1;
        }
    }

    /// Whether it has read to `until`'s last position.
    fn done(&self, until: &watch::Receiver<u64>) -> bool {
        self.positions
            .last()
            .is_some_and(|last| *last >= *until.borrow())
    }
}

/// Reads a stream's frames until it has read to the last position, the stream ends, or the
/// wait is given up.
async fn subscribe(
    mut response: reqwest::Response,
    mut until: watch::Receiver<u64>,
    give_up: CancellationToken,
) -> anyhow::Result<Read> {
    let mut read = Read::default();
    let mut pending = String::new();
    while !read.done(&until) {
        let chunk = tokio::select! {
            _ = give_up.cancelled() => break,
            _ = until.changed() => continue,
            chunk = response.chunk() => chunk?,
        };
        let Some(chunk) = chunk else { break };
        let now = Utc::now();
        pending.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(at) = pending.find("\n\n") {
            let frame: String = pending.drain(..at + 2).collect();
            let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data:")) else {
                continue; // an id-only frame at the head, or a comment
            };
            let event: serde_json::Value = serde_json::from_str(data.trim())?;
            let position = event["position"]
                .as_str()
                .and_then(|p| p.parse().ok())
                .context("an event without its position")?;
            let time: DateTime<Utc> = event["time"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .context("an event without its time")?;
            read.saw(position, (now - time).to_std().unwrap_or_default(), &until);
        }
    }
    Ok(read)
}

/// The baseline: the log read in-process on every change of the head.
async fn follow(
    store: PgStore,
    start: u64,
    mut until: watch::Receiver<u64>,
    give_up: CancellationToken,
) -> anyhow::Result<Read> {
    let mut head = store.watch_head();
    let mut read = Read::default();
    let mut after = start;
    while !read.done(&until) {
        let page = store.read_log(after, 1_000).await?;
        let now = Utc::now();
        for event in &page {
            let lag = (now - event.event.recorded_at).to_std().unwrap_or_default();
            read.saw(event.position, lag, &until);
            after = event.position;
        }
        if page.len() < 1_000 && !read.done(&until) {
            tokio::select! {
                _ = give_up.cancelled() => break,
                _ = until.changed() => {}
                _ = head.changed() => {}
                _ = tokio::time::sleep(Duration::from_millis(100)) => {}
            }
        }
    }
    Ok(read)
}

/// `window` of commands from every writer; returns the answers other than 2xx.
async fn write(client: &reqwest::Client, base: &str, bearer: &str, window: Duration) -> u64 {
    let until = Instant::now() + window;
    let mut tasks = Vec::new();
    for i in 0..WRITERS {
        let client = client.clone();
        let url = format!("{base}/api/v1/items/{}/urge", code(i));
        let bearer = bearer.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut failures = 0u64;
            while Instant::now() < until {
                let sent = client
                    .post(&url)
                    .header("Authorization", &bearer)
                    .header("If-Match", "*")
                    .json(&json!({ "unit": unit(i), "text": "请加快整改进度" }))
                    .send()
                    .await;
                let ok = match sent {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if !ok {
                    failures += 1;
                }
            }
            failures
        }));
    }
    let mut failures = 0;
    for task in tasks {
        failures += task.await.unwrap_or(1);
    }
    failures
}

pub const BEGIN: &str = "<!-- rectiflow-bench:fanout:begin (generated by `rectiflow-bench fanout`; edits inside are overwritten) -->";
pub const END: &str = "<!-- rectiflow-bench:fanout:end -->";

/// One measure of a round.
type Measure = fn(&FanoutRound) -> f64;

/// The fan-out section of `docs/BENCHMARKS.md`.
pub fn markdown(rounds: &[FanoutRound], header: &crate::read_models::Header<'_>) -> String {
    use std::fmt::Write as _;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "## SSE fan-out (issue #13)\n\n```sh\n{}\n```\n\n{} Each round on a fresh database, \
         `serve` running (API, sequencer, projections, policies, scheduler); {SUBSCRIBERS} \
         subscribers following `GET /api/v1/events/stream` from the head as the secretariat, \
         while {WRITERS} writers urge (催办) their own items over HTTP. A delivery's lag runs \
         from the event's `time` (stamped as its command is decided, just before the commit) \
         to the moment the subscriber has read its frame; the baseline is one in-process \
         follower reading the log from the store on every change of the head, in the same \
         round; before it, in each round, the same writers alone for as long. Medians with the \
         range of the rounds.\n",
        header.command,
        header.provenance(),
    );
    let rows: [(&str, Measure); 12] = [
        ("events committed/s, nobody following", |r| r.alone_per_s),
        ("events committed/s, 100 following", |r| r.committed_per_s),
        (
            "writers with ÷ without subscribers",
            FanoutRound::writers_kept,
        ),
        ("events/s per subscriber (median)", |r| {
            r.per_subscriber_per_s
        }),
        ("per subscriber ÷ committed", FanoutRound::keep_up),
        ("SSE lag p50 ms", |r| r.sse_lag_p50_ms),
        ("SSE lag p99 ms", |r| r.sse_lag_p99_ms),
        ("in-process lag p50 ms", |r| r.in_process_lag_p50_ms),
        ("in-process lag p99 ms", |r| r.in_process_lag_p99_ms),
        ("SSE p99 ÷ in-process p99", FanoutRound::lag_ratio),
        ("subscribers missing or repeating an event", |r| {
            r.incomplete as f64
        }),
        ("writers' answers other than 2xx", |r| r.failures as f64),
    ];
    crate::summary::measure_table(&mut md, rounds, &rows);
    md
}
