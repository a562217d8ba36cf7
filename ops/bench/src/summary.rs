//! The run summarised: each measurement as the median of its rounds with the spread between
//! them, each ratio taken round by round (contenders of one round ran seconds apart) and then
//! summarised the same way, and the targets judged on the medians.

use crate::report::{Report, Target, WriteResult};

/// A row of a [`measure_table`]: its name, and the measure read off each round.
pub type Row<'a, R> = (&'a str, fn(&R) -> f64);

/// A table of measures, one row each — its median over `rounds` and their range — after a
/// header row; a measure no round has is left out.
pub fn measure_table<R>(md: &mut String, rounds: &[R], rows: &[Row<'_, R>]) {
    use std::fmt::Write as _;
    let _ = writeln!(md, "| measure | median | range |\n|---|--:|--:|");
    for (name, of) in rows {
        if let Some(spread) = Spread::of(rounds.iter().map(of)) {
            let _ = writeln!(
                md,
                "| {name} | {:.2} | {:.2}–{:.2} |",
                spread.median, spread.min, spread.max
            );
        }
    }
}

/// The median of a measurement over its rounds, with the lowest and highest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub rounds: usize,
}

impl Spread {
    /// `None` for no values. The median of an even count is the mean of the middle two.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Self> {
        let mut values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2.0
        };
        Some(Self {
            median,
            min: values[0],
            max: values[n - 1],
            rounds: n,
        })
    }

    pub fn range(&self, decimals: usize) -> String {
        format!("{:.*}–{:.*}", decimals, self.min, decimals, self.max)
    }
}

/// The contenders in the order the tables list them.
pub const CONTENDERS: [&str; 4] = ["raw", "rectiflow", "rectiflow+key", "postgres-es"];

impl Report {
    pub fn rounds(&self, contender: &str, events: u32, writers: usize) -> Vec<&WriteResult> {
        self.writes
            .iter()
            .filter(|w| {
                w.contender == contender && w.events_per_command == events && w.writers == writers
            })
            .collect()
    }

    /// `a / b` in commands per second, round by round, summarised.
    pub fn ratio(&self, a: &str, b: &str, events: u32, writers: usize) -> Option<Spread> {
        let b_rounds = self.rounds(b, events, writers);
        Spread::of(self.rounds(a, events, writers).into_iter().filter_map(|a| {
            let b = b_rounds.iter().find(|b| b.round == a.round)?;
            (b.commands_per_s > 0.0).then(|| a.commands_per_s / b.commands_per_s)
        }))
    }

    pub fn workloads(&self) -> Vec<(u32, usize)> {
        let mut workloads: Vec<(u32, usize)> = Vec::new();
        for w in &self.writes {
            if !workloads.contains(&(w.events_per_command, w.writers)) {
                workloads.push((w.events_per_command, w.writers));
            }
        }
        workloads
    }

    fn lag_p99(&self, workload: &str) -> Option<Spread> {
        Spread::of(
            self.lags
                .iter()
                .filter(|l| l.workload == workload)
                .map(|l| l.lag.p99_ms),
        )
    }

    fn catch_up_ratio(&self) -> Option<Spread> {
        Spread::of(
            self.catch_up
                .iter()
                .filter(|c| c.raw_events_per_s > 0.0)
                .map(|c| c.consumer_events_per_s / c.raw_events_per_s),
        )
    }

    /// The targets, judged on the medians of the rounds.
    pub fn targets(&self) -> Vec<Target> {
        let mut targets = Vec::new();
        let mut judge =
            |name: String, measured: Option<Spread>, goal: &str, met: fn(f64) -> bool| {
                if let Some(measured) = measured {
                    targets.push(Target {
                        name,
                        measured: measured.median,
                        spread: measured.range(2),
                        goal: goal.into(),
                        met: met(measured.median),
                    });
                }
            };
        for events in [1, 20] {
            judge(
                format!("rectiflow / raw, {events}-event commits, 16 writers"),
                self.ratio("rectiflow", "raw", events, 16),
                "≥ 0.7",
                |m| m >= 0.7,
            );
        }
        judge(
            "rectiflow / postgres-es, 1-event commands, 16 writers".into(),
            self.ratio("rectiflow", "postgres-es", 1, 16),
            "≥ 1",
            |m| m >= 1.0,
        );
        judge(
            "rectiflow / postgres-es, 20-event commands, 16 writers".into(),
            self.ratio("rectiflow", "postgres-es", 20, 16),
            "≥ 2",
            |m| m >= 2.0,
        );
        judge(
            "catch-up: consumer / raw scan".into(),
            self.catch_up_ratio(),
            "≥ 0.5",
            |m| m >= 0.5,
        );
        if let Some(l) = &self.long_stream {
            for (label, long, fresh) in [
                ("p50", l.long_p50_ms, l.fresh_p50_ms),
                ("p99", l.long_p99_ms, l.fresh_p99_ms),
            ] {
                judge(
                    format!("long stream / fresh stream latency, {label}"),
                    (fresh > 0.0).then(|| Spread::of([long / fresh])).flatten(),
                    "≤ 2",
                    |m| m <= 2.0,
                );
            }
        }
        let mut workloads: Vec<&str> = Vec::new();
        for lag in &self.lags {
            if !workloads.contains(&lag.workload.as_str()) {
                workloads.push(&lag.workload);
            }
        }
        for workload in workloads {
            judge(
                format!("sequencer lag p99 (ms), {workload}"),
                self.lag_p99(workload),
                "< 100",
                |m| m < 100.0,
            );
        }
        targets
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contenders::Workload;
    use crate::drive::Sample;

    #[test]
    fn the_median_and_range_of_the_rounds() {
        let s = Spread::of([3.0, 1.0, 2.0]).expect("values");
        assert_eq!((s.median, s.min, s.max, s.rounds), (2.0, 1.0, 3.0, 3));
        assert_eq!(Spread::of([1.0, 3.0]).map(|s| s.median), Some(2.0));
        assert!(Spread::of([]).is_none());
    }

    #[test]
    fn ratios_pair_rounds_and_targets_use_the_median() {
        let sample = |ops: u64| Sample {
            latencies_us: vec![1_000; ops as usize],
            events: ops,
            window: std::time::Duration::from_secs(1),
        };
        let workload = |round| Workload {
            events: 1,
            writers: 16,
            round,
        };
        let mut report = Report::default();
        for (round, raw, ours) in [(0, 100, 80), (1, 100, 60), (2, 50, 45)] {
            report
                .writes
                .push(WriteResult::new("raw", workload(round), &sample(raw)));
            report.writes.push(WriteResult::new(
                "rectiflow",
                workload(round),
                &sample(ours),
            ));
        }
        // Round ratios 0.8, 0.6, 0.9: median 0.8.
        let ratio = report.ratio("rectiflow", "raw", 1, 16).expect("ratio");
        assert!((ratio.median - 0.8).abs() < 1e-9);
        assert!((ratio.min - 0.6).abs() < 1e-9 && (ratio.max - 0.9).abs() < 1e-9);
        let targets = report.targets();
        assert_eq!(targets.len(), 1);
        assert!(targets[0].met);
    }
}
