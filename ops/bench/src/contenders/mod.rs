//! The three writers compared on the same workloads: minimal SQL, our executor, postgres-es.

pub mod ours;
pub mod peer;
pub mod raw;

use chrono::Utc;
use serde_json::json;

/// One write workload: commands of `events` events from `writers` concurrent connections.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    pub events: u32,
    pub writers: usize,
    /// Which repeat of the workload this is (each repeat writes to streams of its own).
    pub round: usize,
}

impl Workload {
    /// A short name, also the stream id prefix, so each workload starts on fresh streams.
    pub fn name(&self) -> String {
        format!("e{}w{}r{}", self.events, self.writers, self.round)
    }

    /// The same workload in round `round`.
    pub fn in_round(self, round: usize) -> Self {
        Self { round, ..self }
    }

    /// `EVENTSxWRITERS`, e.g. `20x16`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("workload {text:?} must be EVENTSxWRITERS, e.g. 20x16");
        let (events, writers) = text.split_once('x').ok_or_else(bad)?;
        let events: u32 = events.parse().map_err(|_| bad())?;
        let writers: usize = writers.parse().map_err(|_| bad())?;
        if events == 0 || writers == 0 || writers > crate::pg::POOL_SIZE as usize {
            return Err(format!(
                "workload {text:?}: events must be at least 1 and writers 1 to {}",
                crate::pg::POOL_SIZE
            ));
        }
        Ok(Self {
            events,
            writers,
            round: 0,
        })
    }

    pub fn stream_id(&self, index: usize) -> String {
        format!("{}-{index}", self.name())
    }
}

/// The workloads of the issue: 1- and 20-event commits, from 1 and 16 connections.
pub const WORKLOADS: [Workload; 4] = [
    Workload {
        events: 1,
        writers: 1,
        round: 0,
    },
    Workload {
        events: 1,
        writers: 16,
        round: 0,
    },
    Workload {
        events: 20,
        writers: 1,
        round: 0,
    },
    Workload {
        events: 20,
        writers: 16,
        round: 0,
    },
];

/// Streams the commands are spread over.
pub const STREAMS: usize = 2_000;

/// The payload our executor writes for a tally event, so raw rows are the same size.
pub fn payload(amount: u64) -> serde_json::Value {
    json!({"Recorded": {"amount": amount, "note": "synthetic benchmark event"}})
}

/// The metadata our executor stamps for the bench actor.
pub fn metadata() -> serde_json::Value {
    json!({"actor": "bench"})
}

pub fn now_micros() -> chrono::DateTime<Utc> {
    rectiflow_engine::model::to_micros(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workloads_parse_and_refuse_nonsense() {
        let w = Workload::parse("20x16").expect("valid");
        assert_eq!((w.events, w.writers), (20, 16));
        for bad in ["20", "0x1", "1x0", "1x17", "ax2"] {
            assert!(Workload::parse(bad).is_err(), "{bad}");
        }
    }
}
