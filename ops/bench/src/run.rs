//! `rectiflow-bench run`: every contender in turn on the same server, each on a fresh database
//! that is dropped afterwards whether its part succeeded or not.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Context;
use rectiflow_engine::consumer::ConsumerOptions;

use crate::contenders::ours::{sequencer_lag, Ours};
use crate::contenders::{peer, raw};
use crate::horizon::{HorizonHolder, HorizonWatch};
use crate::pg::FreshDb;
use crate::report::{emit, CatchUpResult, LagResult, LongStreamResult, Report, WriteResult};
use crate::{catchup, long_stream, RunSettings, Section};

pub async fn run(admin_url: &str, settings: &RunSettings) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let writers: Vec<Section> = [Section::Raw, Section::Rectiflow, Section::Peer]
        .into_iter()
        .filter(|s| settings.sections.contains(s))
        .collect();
    if !writers.is_empty() {
        let (writes, lags) = writes(admin_url, &writers, settings).await?;
        report.writes.extend(writes);
        report.lags.extend(lags);
    }
    if settings.sections.contains(&Section::CatchUp) {
        let events = settings.catch_up_events;
        let result = on_fresh_db(admin_url, "catchup", |url| async move {
            let ours = Ours::start(&url, 100).await?;
            catchup::fill_big_commits(&ours.store, events).await?;
            // Both readers find the tables settled and statistics fresh.
            for table in ["events", "log"] {
                sqlx::query(&format!("VACUUM ANALYZE {table}"))
                    .execute(ours.store.pool())
                    .await
                    .with_context(|| format!("vacuuming {table}"))?;
            }
            let default_batch = ConsumerOptions::new("bench").batch_size;
            let (_, consumer_5000) = catchup::through_consumer(&ours.store, events, 5_000).await?;
            let mut read_log_pages = Vec::new();
            for page in [500, 5_000] {
                let (read, took) = catchup::read_pages(&ours.store, events, page).await?;
                read_log_pages.push((page, per_second(read, took)));
            }
            // The headline pair, interleaved round by round.
            let mut rounds = Vec::new();
            for round in 0..settings.repeats {
                let (raw_events, raw) = catchup::raw_scan(&ours.store, events).await?;
                let (consumer_events, consumer) =
                    catchup::through_consumer(&ours.store, events, default_batch).await?;
                let result = CatchUpResult {
                    round,
                    consumer_events,
                    consumer_seconds: consumer.as_secs_f64(),
                    consumer_events_per_s: per_second(consumer_events, consumer),
                    raw_events,
                    raw_seconds: raw.as_secs_f64(),
                    raw_events_per_s: per_second(raw_events, raw),
                    consumer_batch: default_batch,
                    consumer_5000_events_per_s: per_second(events, consumer_5000),
                    read_log_pages: read_log_pages.clone(),
                };
                emit("catch_up", &result);
                rounds.push(result);
            }
            ours.stop().await;
            Ok(rounds)
        })
        .await?;
        report.catch_up = result;
    }
    if settings.sections.contains(&Section::LongStream) {
        let length = settings.long_stream_events;
        let result = on_fresh_db(admin_url, "long", |url| async move {
            let ours = Ours::start(&url, 100).await?;
            let measured = long_stream::run(&ours, length, settings.window).await?;
            ours.stop().await;
            let result = LongStreamResult {
                length: measured.length,
                commands_each: measured.long.operations(),
                long_p50_ms: measured.long.quantile_ms(0.5),
                long_p99_ms: measured.long.quantile_ms(0.99),
                fresh_p50_ms: measured.fresh.quantile_ms(0.5),
                fresh_p99_ms: measured.fresh.quantile_ms(0.99),
            };
            emit("long_stream", &result);
            Ok(result)
        })
        .await?;
        report.long_stream = Some(result);
    }
    Ok(report)
}

/// The write workloads, interleaved: for each workload every contender runs in turn, so
/// the ratios compare measurements taken minutes apart at most, not a whole run apart (the
/// machine is shared, and its load drifts). Each contender has its own fresh database.
async fn writes(
    admin_url: &str,
    contenders: &[Section],
    settings: &RunSettings,
) -> anyhow::Result<(Vec<WriteResult>, Vec<LagResult>)> {
    let mut dbs = Vec::new();
    let mut created = Ok(());
    for contender in contenders {
        match FreshDb::create(admin_url, label(*contender)).await {
            Ok(db) => dbs.push((*contender, db)),
            Err(e) => {
                created = Err(e);
                break;
            }
        }
    }
    let result = match created {
        Ok(()) => write_workloads(&dbs, settings).await,
        Err(e) => Err(e),
    };
    for (_, db) in dbs {
        if let Err(e) = db.drop_now().await {
            eprintln!("warning: {e:#}");
        }
    }
    result
}

fn label(section: Section) -> &'static str {
    match section {
        Section::Raw => "raw",
        Section::Rectiflow => "rectiflow",
        Section::Peer => "peer",
        Section::CatchUp => "catchup",
        Section::LongStream => "long",
    }
}

async fn write_workloads(
    dbs: &[(Section, FreshDb)],
    settings: &RunSettings,
) -> anyhow::Result<(Vec<WriteResult>, Vec<LagResult>)> {
    let url = |section: Section| {
        dbs.iter()
            .find(|(s, _)| *s == section)
            .map(|(_, db)| db.url.clone())
    };
    let raw_pool = match url(Section::Raw) {
        Some(url) => {
            let pool = crate::pg::pool(&url).await?;
            raw::prepare(&pool).await?;
            Some(pool)
        }
        None => None,
    };
    let ours = match url(Section::Rectiflow) {
        Some(url) => Some(Ours::start(&url, 100).await?),
        None => None,
    };
    let peer = match url(Section::Peer) {
        Some(url) => {
            let pool = crate::pg::pool(&url).await?;
            let cqrs = peer::prepare(&pool).await?;
            Some((pool, cqrs))
        }
        None => None,
    };
    let mut writes = Vec::new();
    let mut lags = Vec::new();
    for &workload in &settings.workloads {
        // Each round runs every contender once, so a ratio compares measurements taken
        // seconds apart; the rounds give the spread.
        for round in 0..settings.repeats {
            let workload = workload.in_round(round);
            eprintln!(
                "workload: {}-event commands, {} writers, round {}",
                workload.events,
                workload.writers,
                round + 1
            );
            if let Some(pool) = &raw_pool {
                let sample = raw::run(pool, workload, settings).await.context("raw")?;
                record(&mut writes, "raw", workload, &sample);
            }
            if let Some(ours) = &ours {
                for (contender, keyed) in [("rectiflow", false), ("rectiflow+key", true)] {
                    let watch = match url(Section::Rectiflow) {
                        Some(url) => Some(HorizonWatch::start(&url).await?),
                        None => None,
                    };
                    let sample = ours
                        .run(workload, keyed, settings)
                        .await
                        .context(contender)?;
                    record(&mut writes, contender, workload, &sample);
                    // Waits for the sequencer to finish, so it does not load the next one.
                    let lag = sequencer_lag(&ours.store, &Ours::prefix(workload, keyed)).await?;
                    let foreign_xid_max_ms = match watch {
                        Some(watch) => watch.finish().await,
                        None => 0.0,
                    };
                    if workload.writers == 16 && !keyed {
                        let lag = LagResult {
                            workload: format!("{}-event commands, 16 writers", workload.events),
                            round,
                            lag,
                            foreign_xid_max_ms,
                        };
                        emit("sequencer_lag", &lag);
                        lags.push(lag);
                    }
                }
            }
            if let Some((_, cqrs)) = &peer {
                let sample = peer::run(cqrs, workload, settings)
                    .await
                    .context("postgres-es")?;
                record(&mut writes, "postgres-es", workload, &sample);
            }
        }
    }
    if let (Some(ours), Some(holder_url)) = (&ours, url(Section::Peer).or(url(Section::Raw))) {
        // A transaction in another database holding an xid 300 ms of every 400 ms.
        let workload = crate::contenders::Workload {
            events: 1,
            writers: 16,
            round: 0,
        };
        for round in 0..settings.repeats {
            let workload = crate::contenders::Workload {
                round: 100 + round,
                ..workload
            };
            let holder = HorizonHolder::start(
                &holder_url,
                Duration::from_millis(300),
                Duration::from_millis(400),
            )
            .await?;
            let sample = ours.run(workload, false, settings).await;
            let holds = holder.finish().await?;
            let sample = sample.context("rectiflow under a held transaction")?;
            let lag = sequencer_lag(&ours.store, &Ours::prefix(workload, false)).await?;
            eprintln!(
                "held transaction: {holds} holds, {:.0} commands/s",
                sample.per_second(sample.operations())
            );
            let lag = LagResult {
                workload: HELD.into(),
                round,
                lag,
                foreign_xid_max_ms: 300.0,
            };
            emit("sequencer_lag", &lag);
            lags.push(lag);
        }
    }
    if let Some(pool) = raw_pool {
        pool.close().await;
    }
    if let Some(ours) = ours {
        ours.stop().await;
    }
    if let Some((pool, _)) = peer {
        pool.close().await;
    }
    Ok((writes, lags))
}

/// The workload name of the lag measured while another database holds a transaction.
pub const HELD: &str =
    "1-event commands, 16 writers, another database holding an xid 300 ms of every 400 ms";

fn record(
    writes: &mut Vec<WriteResult>,
    contender: &'static str,
    workload: crate::contenders::Workload,
    sample: &crate::drive::Sample,
) {
    let result = WriteResult::new(contender, workload, sample);
    emit("write", &result);
    writes.push(result);
}

pub fn per_second(count: u64, took: Duration) -> f64 {
    let secs = took.as_secs_f64();
    if secs > 0.0 {
        count as f64 / secs
    } else {
        0.0
    }
}

/// Runs `part` on a database created for it, then drops the database even if `part` failed.
pub async fn on_fresh_db<T, F, Fut>(admin_url: &str, label: &str, part: F) -> anyhow::Result<T>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let db = FreshDb::create(admin_url, label).await?;
    eprintln!("{label}: on database {}", db.name);
    let started = Instant::now();
    let result = part(db.url.clone()).await;
    let dropped = db.drop_now().await;
    eprintln!("{label}: done in {:.0} s", started.elapsed().as_secs_f64());
    let value = result.with_context(|| format!("benchmark part {label}"))?;
    dropped?;
    Ok(value)
}
