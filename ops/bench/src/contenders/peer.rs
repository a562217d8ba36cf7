//! The peer: the same commands through postgres-es 0.5 (`PostgresCqrs`), which loads every
//! event of the stream and inserts the new ones one statement each in a transaction. Its
//! tables are the ones its `db/init.sql` creates.

use std::sync::Arc;

use anyhow::Context;
use postgres_es::PostgresCqrs;
use sqlx::PgPool;

use super::{Workload, STREAMS};
use crate::drive::{drive, stream_index, Sample};
use crate::tally::{bench_actor, stamped, Record, Tally};
use crate::RunSettings;

/// postgres-es's schema (its `db/init.sql`, without the sample view, rows and user).
const SCHEMA: [&str; 2] = [
    "CREATE TABLE events (
        aggregate_type text NOT NULL,
        aggregate_id   text NOT NULL,
        sequence       bigint CHECK (sequence >= 0) NOT NULL,
        event_type     text NOT NULL,
        event_version  text NOT NULL,
        payload        json NOT NULL,
        metadata       json NOT NULL,
        PRIMARY KEY (aggregate_type, aggregate_id, sequence)
    )",
    "CREATE TABLE snapshots (
        aggregate_type   text NOT NULL,
        aggregate_id     text NOT NULL,
        last_sequence    bigint CHECK (last_sequence >= 0) NOT NULL,
        current_snapshot bigint CHECK (current_snapshot >= 0) NOT NULL,
        payload          json NOT NULL,
        PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
    )",
];

pub async fn prepare(pool: &PgPool) -> anyhow::Result<Arc<PostgresCqrs<Tally>>> {
    for statement in SCHEMA {
        sqlx::query(statement)
            .execute(pool)
            .await
            .context("creating postgres-es's tables")?;
    }
    Ok(Arc::new(postgres_es::postgres_cqrs(
        pool.clone(),
        Vec::new(),
        (),
    )))
}

pub async fn run(
    cqrs: &Arc<PostgresCqrs<Tally>>,
    workload: Workload,
    settings: &RunSettings,
) -> anyhow::Result<Sample> {
    let cqrs = cqrs.clone();
    let actor = bench_actor()?;
    drive(
        workload.writers,
        settings.warmup,
        settings.window,
        move |writer, n| {
            let cqrs = cqrs.clone();
            let stream = workload.stream_id(stream_index(STREAMS, workload.writers, writer, n));
            let command = stamped(
                &actor,
                Record {
                    events: workload.events,
                    amount: 1,
                },
            );
            async move {
                cqrs.execute(&stream, command)
                    .await
                    .map_err(|e| anyhow::anyhow!("postgres-es command on tally/{stream}: {e}"))?;
                Ok(u64::from(workload.events))
            }
        },
    )
    .await
}
