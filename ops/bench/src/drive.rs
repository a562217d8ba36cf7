//! The load driver: `writers` tasks each run one operation after another for a bounded time,
//! and the latencies of those started inside the measured window are kept.
//!
//! Every contender goes through this same loop, so client-side overhead is equal for all. A
//! warm-up before the window opens the pool's connections and fills statement caches.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;

/// What a timed workload produced.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// Latency of each operation started inside the window, in microseconds.
    pub latencies_us: Vec<u64>,
    /// Events written by those operations.
    pub events: u64,
    /// The window's length.
    pub window: Duration,
}

impl Sample {
    pub fn operations(&self) -> u64 {
        self.latencies_us.len() as u64
    }

    pub fn per_second(&self, count: u64) -> f64 {
        let secs = self.window.as_secs_f64();
        if secs > 0.0 {
            count as f64 / secs
        } else {
            0.0
        }
    }

    /// The `q`-quantile latency in milliseconds (nearest rank).
    pub fn quantile_ms(&self, q: f64) -> f64 {
        quantile_ms(&self.latencies_us, q)
    }

    fn merge(&mut self, other: WriterResult) {
        self.latencies_us.extend(other.latencies_us);
        self.events += other.events;
    }
}

/// The nearest-rank `q`-quantile of `values_us`, in milliseconds (0 for no values).
pub fn quantile_ms(values_us: &[u64], q: f64) -> f64 {
    if values_us.is_empty() {
        return 0.0;
    }
    let mut sorted = values_us.to_vec();
    sorted.sort_unstable();
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1] as f64 / 1000.0
}

#[derive(Default)]
struct WriterResult {
    latencies_us: Vec<u64>,
    events: u64,
}

/// Runs `op(writer, n)` in `writers` concurrent loops: first for `warmup` (not kept), then for
/// `window`. `op` returns how many events it wrote. The first error stops the workload.
pub async fn drive<F, Fut>(
    writers: usize,
    warmup: Duration,
    window: Duration,
    op: F,
) -> anyhow::Result<Sample>
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<u64>> + Send,
{
    let op = Arc::new(op);
    let start = Instant::now();
    let open = start + warmup;
    let close = open + window;
    let mut tasks = Vec::with_capacity(writers);
    for writer in 0..writers {
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            let mut result = WriterResult::default();
            let mut n = 0u64;
            loop {
                let began = Instant::now();
                if began >= close {
                    return Ok::<_, anyhow::Error>(result);
                }
                let events = op(writer, n)
                    .await
                    .with_context(|| format!("writer {writer}, operation {n}"))?;
                n += 1;
                if began >= open {
                    result.latencies_us.push(began.elapsed().as_micros() as u64);
                    result.events += events;
                }
            }
        }));
    }
    let mut sample = Sample {
        window,
        ..Sample::default()
    };
    for task in tasks {
        sample.merge(task.await.context("a writer task panicked")??);
    }
    Ok(sample)
}

/// The stream a writer's `n`-th operation goes to. Each writer owns its own share of the
/// streams, so no two writers ever race on one stream in any contender: the benchmark
/// measures appends, not conflict retries.
pub fn stream_index(streams: usize, writers: usize, writer: usize, n: u64) -> usize {
    let share = (streams / writers.max(1)).max(1);
    writer + (n as usize % share) * writers.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank_in_milliseconds() {
        let values: Vec<u64> = (1..=100).map(|i| i * 1_000).collect();
        assert_eq!(quantile_ms(&values, 0.5), 50.0);
        assert_eq!(quantile_ms(&values, 0.99), 99.0);
        assert_eq!(quantile_ms(&values, 1.0), 100.0);
        assert_eq!(quantile_ms(&[], 0.5), 0.0);
    }

    #[test]
    fn writers_never_share_a_stream() {
        let mut owner = std::collections::HashMap::new();
        for writer in 0..16 {
            for n in 0..1_000 {
                let stream = stream_index(2_000, 16, writer, n);
                assert!(stream < 2_000);
                assert_eq!(*owner.entry(stream).or_insert(writer), writer);
            }
        }
        assert_eq!(owner.len(), 2_000, "every stream is used");
    }
}
