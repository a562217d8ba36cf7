//! Long stream: the latency of a 1-event command on a stream of 10,000 events against one on
//! a fresh stream, snapshots every 100 events, so loading costs a snapshot plus at most 99
//! events however long the stream grows.

use std::time::{Duration, Instant};

use crate::catchup::wait_for_head;
use crate::contenders::ours::Ours;
use crate::drive::Sample;
use crate::progress::Progress;

const LONG_STREAM: &str = "long-0";
/// Events per command while growing the long stream.
const GROW_BY: u32 = 20;

pub struct LongStream {
    pub long: Sample,
    pub fresh: Sample,
    pub length: u64,
}

/// Grows the long stream to `length` events, then alternates 1-event commands on it and on a
/// new stream for `window`, so both see the same machine state.
pub async fn run(ours: &Ours, length: u64, window: Duration) -> anyhow::Result<LongStream> {
    let progress = Progress::new("long stream fill", length);
    let mut version = 0u64;
    while version < length {
        let events = u32::try_from((length - version).min(u64::from(GROW_BY))).unwrap_or(GROW_BY);
        version += Ours::command(&ours.executor, ours.actor(), LONG_STREAM, events, None).await?;
        progress.set(version);
    }
    progress.finish();
    // Let the sequencer finish, so its catch-up does not load the timed part.
    wait_for_head(&ours.store, version, Duration::from_secs(120)).await?;

    let mut long = Sample {
        window,
        ..Sample::default()
    };
    let mut fresh = Sample {
        window,
        ..Sample::default()
    };
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < window {
        for (sample, stream) in [
            (&mut long, LONG_STREAM.to_owned()),
            (&mut fresh, format!("fresh-{n}")),
        ] {
            let began = Instant::now();
            let key = format!("long-{n}-{stream}");
            sample.events +=
                Ours::command(&ours.executor, ours.actor(), &stream, 1, Some(key)).await?;
            sample.latencies_us.push(began.elapsed().as_micros() as u64);
        }
        n += 1;
    }
    Ok(LongStream {
        long,
        fresh,
        length: version,
    })
}
