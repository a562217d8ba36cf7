//! The run summarised: each measurement as the median of its rounds with the spread between
//! them, each ratio taken round by round (contenders of one round ran seconds apart) and then
//! summarised the same way, and the issue's targets judged on the medians.

use std::fmt::Write as _;

use crate::pg::Machine;
use crate::report::{Report, Target, WriteResult};
use crate::run::HELD;

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

    fn range(&self, decimals: usize) -> String {
        format!("{:.*}–{:.*}", decimals, self.min, decimals, self.max)
    }
}

/// The contenders in the order the tables list them.
const CONTENDERS: [&str; 4] = ["raw", "rectiflow", "rectiflow+key", "postgres-es"];

impl Report {
    fn rounds(&self, contender: &str, events: u32, writers: usize) -> Vec<&WriteResult> {
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

    fn workloads(&self) -> Vec<(u32, usize)> {
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

    /// The issue's targets, judged on the medians of the rounds.
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

    /// The write tables: each contender's median and spread, and the ratios.
    pub fn writes_markdown(&self, md: &mut String) {
        if self.writes.is_empty() {
            return;
        }
        let _ = writeln!(md, "### Writes (median of the rounds, and their range)\n");
        let _ = writeln!(
            md,
            "| contender | events/command | writers | commands/s | range | events/s | p50 ms | p99 ms |\n|---|--:|--:|--:|--:|--:|--:|--:|"
        );
        for (events, writers) in self.workloads() {
            for contender in CONTENDERS {
                let rounds = self.rounds(contender, events, writers);
                let Some(rate) = Spread::of(rounds.iter().map(|w| w.commands_per_s)) else {
                    continue;
                };
                let median = |f: fn(&WriteResult) -> f64| {
                    Spread::of(rounds.iter().map(|w| f(w))).map_or(0.0, |s| s.median)
                };
                let _ = writeln!(
                    md,
                    "| {contender} | {events} | {writers} | {:.0} | {} | {:.0} | {:.2} | {:.2} |",
                    rate.median,
                    rate.range(0),
                    median(|w| w.events_per_s),
                    median(|w| w.p50_ms),
                    median(|w| w.p99_ms),
                );
            }
        }
        let _ = writeln!(
            md,
            "\n### Ratios, round by round (median, and range)\n\n| ratio | events/command | writers | median | range | rounds |\n|---|--:|--:|--:|--:|--:|"
        );
        for (events, writers) in self.workloads() {
            for (a, b) in [
                ("rectiflow", "raw"),
                ("rectiflow", "postgres-es"),
                ("rectiflow+key", "raw"),
                ("rectiflow+key", "postgres-es"),
                ("rectiflow+key", "rectiflow"),
            ] {
                if let Some(r) = self.ratio(a, b, events, writers) {
                    let _ = writeln!(
                        md,
                        "| {a} / {b} | {events} | {writers} | {:.2} | {} | {} |",
                        r.median,
                        r.range(2),
                        r.rounds
                    );
                }
            }
        }
        md.push('\n');
    }

    /// The lag table: each workload's median p50/p99/max over the rounds.
    pub fn lags_markdown(&self, md: &mut String) {
        if self.lags.is_empty() {
            return;
        }
        let _ = writeln!(
            md,
            "### Sequencer lag (rectiflow without keys, 16 writers)\n"
        );
        let _ = writeln!(
            md,
            "From `events.recorded_at` (stamped by the executor before the commit) to \
             `log.sequenced_at`, median of the rounds. \"{HELD}\": a transaction in another \
             database of the server inserts a row and stays open 300 ms, every 400 ms, while \
             the writers run — it delays only its own rows.\n\n| workload | events | p50 ms | p99 ms | p99 range | max ms |\n|---|--:|--:|--:|--:|--:|"
        );
        let mut seen: Vec<&str> = Vec::new();
        for lag in &self.lags {
            if seen.contains(&lag.workload.as_str()) {
                continue;
            }
            seen.push(&lag.workload);
            let rounds: Vec<_> = self
                .lags
                .iter()
                .filter(|l| l.workload == lag.workload)
                .collect();
            let median =
                |f: fn(&crate::report::LagResult) -> f64| Spread::of(rounds.iter().map(|l| f(l)));
            let (Some(p50), Some(p99), Some(max), Some(events)) = (
                median(|l| l.lag.p50_ms),
                median(|l| l.lag.p99_ms),
                median(|l| l.lag.max_ms),
                median(|l| l.lag.events as f64),
            ) else {
                continue;
            };
            let _ = writeln!(
                md,
                "| {} | {:.0} | {:.1} | {:.1} | {} | {:.1} |",
                lag.workload,
                events.median,
                p50.median,
                p99.median,
                p99.range(1),
                max.median
            );
        }
        md.push('\n');
    }

    /// The catch-up table: the headline pair per round, and the diagnostics of the first.
    pub fn catch_up_markdown(&self, md: &mut String) {
        let Some(first) = self.catch_up.first() else {
            return;
        };
        let _ = writeln!(md, "### Catch-up read from position 0\n");
        let _ = writeln!(
            md,
            "| reader | events | events/s (median) | range |\n|---|--:|--:|--:|"
        );
        let consumer = Spread::of(self.catch_up.iter().map(|c| c.consumer_events_per_s));
        let raw = Spread::of(self.catch_up.iter().map(|c| c.raw_events_per_s));
        for (reader, events, rate) in [
            (
                format!(
                    "consumer runner, no-op handler, default pages of {}",
                    first.consumer_batch
                ),
                first.consumer_events,
                consumer,
            ),
            (
                "raw `SELECT … ORDER BY position`, one streaming query".into(),
                first.raw_events,
                raw,
            ),
        ] {
            if let Some(rate) = rate {
                let _ = writeln!(
                    md,
                    "| {reader} | {events} | {:.0} | {} |",
                    rate.median,
                    rate.range(0)
                );
            }
        }
        let _ = writeln!(
            md,
            "| consumer runner, pages of 5000 (once) | {} | {:.0} | |",
            first.raw_events, first.consumer_5000_events_per_s
        );
        for (page, rate) in &first.read_log_pages {
            let _ = writeln!(
                md,
                "| diagnostic: `read_log` pages of {page} alone, no checkpoint (once) | {} | {rate:.0} | |",
                first.raw_events
            );
        }
        md.push('\n');
    }

    pub fn markdown(
        &self,
        command: &str,
        machine: &Machine,
        started: &str,
        took_s: f64,
        load_after: &str,
        repeats: usize,
    ) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "## Latest run\n");
        let _ = writeln!(md, "```sh\n{command}\n```\n");
        let _ = writeln!(
            md,
            "Run at {started}, took {took_s:.0} s. Machine: {} cores ({}), {} GiB; {}, \
             shared_buffers {}, synchronous_commit {}, max_connections {}. Load average \
             (1, 5, 15 min) {} at the start and {} at the end. Every contender on its own \
             fresh database on that server, with a pool of {} connections for its writers. \
             {repeats} rounds; in each, every workload runs each contender in turn (raw, \
             rectiflow without idempotency keys, rectiflow with a key on every command, \
             postgres-es).\n",
            machine.cores,
            machine.cpu,
            machine.memory_gib,
            machine.postgres,
            machine.shared_buffers,
            machine.synchronous_commit,
            machine.max_connections,
            machine.load_average,
            load_after,
            crate::pg::POOL_SIZE,
        );
        self.writes_markdown(&mut md);
        self.catch_up_markdown(&mut md);
        if let Some(l) = &self.long_stream {
            let _ = writeln!(md, "### Long stream (snapshots every 100 events)\n");
            let _ = writeln!(
                md,
                "| stream | commands | p50 ms | p99 ms |\n|---|--:|--:|--:|\n| {} events | {} | {:.2} | {:.2} |\n| fresh | {} | {:.2} | {:.2} |\n",
                l.length,
                l.commands_each,
                l.long_p50_ms,
                l.long_p99_ms,
                l.commands_each,
                l.fresh_p50_ms,
                l.fresh_p99_ms
            );
        }
        self.lags_markdown(&mut md);
        let targets = self.targets();
        if !targets.is_empty() {
            let _ = writeln!(md, "### Targets\n");
            let _ = writeln!(
                md,
                "| target | median | range | goal | met |\n|---|--:|--:|---|---|"
            );
            for t in &targets {
                let _ = writeln!(
                    md,
                    "| {} | {:.2} | {} | {} | {} |",
                    t.name,
                    t.measured,
                    t.spread,
                    t.goal,
                    if t.met { "yes" } else { "**no**" }
                );
            }
        }
        md
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
