//! Watches the cluster for transactions in other databases that hold a transaction id.
//!
//! The sequencer's horizon is cluster-wide: such a transaction, for as long as it stays open,
//! holds back positions in every database on the server. On a shared machine (other test
//! suites on the same PostgreSQL) that is outside the store's control, so the run records the
//! oldest one seen while rectiflow's writers ran, next to the lag it may explain.

use std::time::Duration;

use rectiflow_engine::CancellationToken;
use sqlx::{Connection, PgConnection};
use tokio::task::JoinHandle;

pub struct HorizonWatch {
    stop: CancellationToken,
    task: JoinHandle<f64>,
}

impl HorizonWatch {
    /// Samples every 50 ms until [`HorizonWatch::finish`].
    pub async fn start(url: &str) -> anyhow::Result<Self> {
        let mut conn = PgConnection::connect(url).await?;
        let stop = CancellationToken::new();
        let token = stop.clone();
        let task = tokio::spawn(async move {
            let mut oldest_ms = 0f64;
            while !token.is_cancelled() {
                let age: Result<Option<f64>, _> = sqlx::query_scalar(
                    "SELECT (max(extract(epoch FROM clock_timestamp() - xact_start)) * 1000)::float8 \
                     FROM pg_stat_activity \
                     WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()",
                )
                .fetch_one(&mut conn)
                .await;
                if let Ok(Some(age)) = age {
                    oldest_ms = oldest_ms.max(age);
                }
                tokio::select! {
                    _ = token.cancelled() => {}
                    _ = tokio::time::sleep(Duration::from_millis(50)) => {}
                }
            }
            let _ = conn.close().await;
            oldest_ms
        });
        Ok(Self { stop, task })
    }

    /// The age in ms of the oldest xid-holding transaction of another database seen.
    pub async fn finish(self) -> f64 {
        self.stop.cancel();
        self.task.await.unwrap_or(0.0)
    }
}

/// Holds a transaction id open in another database for `hold` out of every `period`, as a
/// batch job or a careless console session would, until [`HorizonHolder::finish`]. Until the
/// sequencer tracked running transactions itself, every such hold delayed every database's
/// positions by up to `hold`.
pub struct HorizonHolder {
    stop: CancellationToken,
    task: JoinHandle<anyhow::Result<u64>>,
}

impl HorizonHolder {
    pub async fn start(url: &str, hold: Duration, period: Duration) -> anyhow::Result<Self> {
        let mut conn = PgConnection::connect(url).await?;
        sqlx::query("CREATE TABLE IF NOT EXISTS held (x int)")
            .execute(&mut conn)
            .await?;
        let stop = CancellationToken::new();
        let token = stop.clone();
        let task = tokio::spawn(async move {
            let mut holds = 0u64;
            while !token.is_cancelled() {
                let mut tx = conn.begin().await?;
                sqlx::query("INSERT INTO held VALUES (1)")
                    .execute(&mut *tx)
                    .await?;
                tokio::select! {
                    _ = token.cancelled() => {}
                    _ = tokio::time::sleep(hold) => {}
                }
                tx.commit().await?;
                holds += 1;
                tokio::select! {
                    _ = token.cancelled() => {}
                    _ = tokio::time::sleep(period.saturating_sub(hold)) => {}
                }
            }
            let _ = conn.close().await;
            Ok(holds)
        });
        Ok(Self { stop, task })
    }

    /// Stops holding; returns how many holds there were.
    pub async fn finish(self) -> anyhow::Result<u64> {
        self.stop.cancel();
        self.task.await?
    }
}
