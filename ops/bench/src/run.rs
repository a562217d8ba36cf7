//! `rectiflow-bench run`: every contender in turn on the same server, each on a fresh database
//! that is dropped afterwards whether its part succeeded or not.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::contenders::ours::{sequencer_lag, Ours};
use crate::contenders::{peer, raw, WORKLOADS};
use crate::pg::FreshDb;
use crate::report::{emit, CatchUpResult, LagResult, LongStreamResult, Report, WriteResult};
use crate::{catchup, long_stream, RunSettings, Section};

pub async fn run(admin_url: &str, settings: &RunSettings) -> anyhow::Result<Report> {
    let mut report = Report::default();
    if settings.sections.contains(&Section::Raw) {
        let writes = on_fresh_db(admin_url, "raw", |url| async move {
            let pool = crate::pg::pool(&url).await?;
            raw::prepare(&pool).await?;
            let mut writes = Vec::new();
            for workload in WORKLOADS {
                let sample = raw::run(&pool, workload, settings).await?;
                let result = WriteResult::new("raw", workload.events, workload.writers, &sample);
                emit("write", &result);
                writes.push(result);
            }
            pool.close().await;
            Ok(writes)
        })
        .await?;
        report.writes.extend(writes);
    }
    if settings.sections.contains(&Section::Rectiflow) {
        let (writes, lags) = on_fresh_db(admin_url, "rectiflow", |url| async move {
            let ours = Ours::start(&url, 100).await?;
            let mut writes = Vec::new();
            let mut lags = Vec::new();
            for workload in WORKLOADS {
                let waits_before = ours.store.stats().horizon_waits();
                let sample = ours.run(workload, settings).await?;
                let result =
                    WriteResult::new("rectiflow", workload.events, workload.writers, &sample);
                emit("write", &result);
                writes.push(result);
                if workload.writers == 16 {
                    let lag = LagResult {
                        workload: format!("{}-event commands, 16 writers", workload.events),
                        lag: sequencer_lag(&ours.store, &workload.name()).await?,
                        horizon_waits: ours.store.stats().horizon_waits() - waits_before,
                    };
                    emit("sequencer_lag", &lag);
                    lags.push(lag);
                }
            }
            ours.shutdown.cancel();
            ours.store.pool().close().await;
            Ok((writes, lags))
        })
        .await?;
        report.writes.extend(writes);
        report.lags.extend(lags);
    }
    if settings.sections.contains(&Section::Peer) {
        let writes = on_fresh_db(admin_url, "peer", |url| async move {
            let pool = crate::pg::pool(&url).await?;
            let cqrs = peer::prepare(&pool).await?;
            let mut writes = Vec::new();
            for workload in WORKLOADS {
                let sample = peer::run(&cqrs, workload, settings).await?;
                let result =
                    WriteResult::new("postgres-es", workload.events, workload.writers, &sample);
                emit("write", &result);
                writes.push(result);
            }
            pool.close().await;
            Ok(writes)
        })
        .await?;
        report.writes.extend(writes);
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
            let (raw_events, raw) = catchup::raw_scan(&ours.store, events).await?;
            let (consumer_events, consumer) =
                catchup::through_consumer(&ours.store, events).await?;
            ours.shutdown.cancel();
            ours.store.pool().close().await;
            let result = CatchUpResult {
                consumer_events,
                consumer_seconds: consumer.as_secs_f64(),
                consumer_events_per_s: per_second(consumer_events, consumer),
                raw_events,
                raw_seconds: raw.as_secs_f64(),
                raw_events_per_s: per_second(raw_events, raw),
            };
            emit("catch_up", &result);
            Ok(result)
        })
        .await?;
        report.catch_up = Some(result);
    }
    if settings.sections.contains(&Section::LongStream) {
        let length = settings.long_stream_events;
        let result = on_fresh_db(admin_url, "long", |url| async move {
            let ours = Ours::start(&url, 100).await?;
            let measured = long_stream::run(&ours, length, settings.window).await?;
            ours.shutdown.cancel();
            ours.store.pool().close().await;
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

fn per_second(count: u64, took: Duration) -> f64 {
    let secs = took.as_secs_f64();
    if secs > 0.0 {
        count as f64 / secs
    } else {
        0.0
    }
}

/// Runs `part` on a database created for it, then drops the database even if `part` failed.
async fn on_fresh_db<T, F, Fut>(admin_url: &str, label: &str, part: F) -> anyhow::Result<T>
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
