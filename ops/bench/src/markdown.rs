//! The generated section of `docs/BENCHMARKS.md`: the run's tables, from the summary's medians,
//! ranges and targets.

use std::fmt::Write as _;

use crate::pg::Machine;
use crate::report::{LagResult, Report, WriteResult};
use crate::run::HELD;
use crate::summary::{Spread, CONTENDERS};

impl Report {
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
            let median = |f: fn(&LagResult) -> f64| Spread::of(rounds.iter().map(|l| f(l)));
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
