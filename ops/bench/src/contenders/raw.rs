//! The floor: the least SQL an optimistic append needs, on a plain events table with the same
//! columns as ours — `BEGIN; SELECT` the stream head`; INSERT` the events (one multi-row
//! statement)`; COMMIT`. No idempotency record, no snapshot, no global log.

use anyhow::Context;
use sqlx::PgPool;
use uuid::Uuid;

use super::{metadata, now_micros, payload, Workload, STREAMS};
use crate::drive::{drive, stream_index, Sample};
use crate::RunSettings;

const SCHEMA: &str = "CREATE TABLE raw_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_type    text NOT NULL,
    stream_id      text NOT NULL,
    stream_version bigint NOT NULL,
    event_id       uuid NOT NULL,
    event_type     text NOT NULL,
    schema_version text NOT NULL,
    payload        jsonb NOT NULL,
    metadata       jsonb NOT NULL,
    recorded_at    timestamptz NOT NULL,
    UNIQUE (stream_type, stream_id, stream_version)
)";

pub async fn prepare(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::query(SCHEMA)
        .execute(pool)
        .await
        .context("creating raw_events")?;
    Ok(())
}

/// One optimistic append of `events` events to `stream_id`.
pub(crate) async fn append(pool: &PgPool, stream_id: &str, events: u32) -> anyhow::Result<u64> {
    let mut tx = pool.begin().await?;
    let head: Option<i64> = sqlx::query_scalar(
        "SELECT max(stream_version) FROM raw_events WHERE stream_type = 'tally' AND stream_id = $1",
    )
    .bind(stream_id)
    .fetch_one(&mut *tx)
    .await?;
    let head = head.unwrap_or(0);
    let n = events as usize;
    let versions: Vec<i64> = (1..=i64::from(events)).map(|i| head + i).collect();
    let ids: Vec<Uuid> = (0..n).map(|_| Uuid::now_v7()).collect();
    let payloads: Vec<String> = (0..n).map(|_| payload(1).to_string()).collect();
    let metadata = metadata().to_string();
    sqlx::query(
        "INSERT INTO raw_events (stream_type, stream_id, stream_version, event_id, event_type, \
         schema_version, payload, metadata, recorded_at) \
         SELECT 'tally', $1, v, id, 'Recorded', '1.0', p::jsonb, $4::jsonb, $5 \
         FROM UNNEST($2::bigint[], $3::uuid[], $6::text[]) AS u(v, id, p)",
    )
    .bind(stream_id)
    .bind(versions)
    .bind(ids)
    .bind(metadata)
    .bind(now_micros())
    .bind(payloads)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(u64::from(events))
}

pub async fn run(
    pool: &PgPool,
    workload: Workload,
    settings: &RunSettings,
) -> anyhow::Result<Sample> {
    let pool = pool.clone();
    drive(
        workload.writers,
        settings.warmup,
        settings.window,
        move |writer, n| {
            let pool = pool.clone();
            let stream = workload.stream_id(stream_index(STREAMS, workload.writers, writer, n));
            async move { append(&pool, &stream, workload.events).await }
        },
    )
    .await
}
