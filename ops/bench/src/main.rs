//! `rectiflow-bench`: fills a store with synthetic events, and measures rectiflow's event store
//! against the minimal SQL of an optimistic append and against postgres-es, on one PostgreSQL.
//!
//! A program, never a timed test: every timed part runs for a bounded time and the whole run
//! stays well under 15 minutes on a 2-core machine.

mod catchup;
mod contenders;
mod domain_log;
mod drive;
mod fanout;
mod fill;
mod horizon;
mod http;
mod long_stream;
mod markdown;
mod pg;
mod progress;
mod read_models;
mod report;
mod run;
mod summary;
mod tally;
mod watchers;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "rectiflow-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fill a store with synthetic events through the executor.
    Fill {
        /// How many events to write.
        #[arg(long)]
        events: u64,
        /// How many streams to spread them over.
        #[arg(long, default_value_t = 100)]
        streams: usize,
        /// Events per command.
        #[arg(long, default_value_t = 10)]
        per_command: u32,
        /// The store, as for `rectiflow`: `sqlite://data/rectiflow.db` (default) or
        /// `postgres://user@127.0.0.1/db`.
        #[arg(long, env = "RECTIFLOW_DATABASE_URL", default_value = rectiflow_store::DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// Compare raw SQL, rectiflow and postgres-es on one PostgreSQL; write the table.
    Run {
        /// A PostgreSQL server on this machine, as a user that may create databases.
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        database_url: String,
        /// Measured seconds of each timed workload (after 1 s of warm-up).
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Where to write the Markdown table (the generated section only).
        #[arg(long, default_value = "docs/BENCHMARKS.md")]
        output: PathBuf,
        /// Events in the log for the catch-up read.
        #[arg(long, default_value_t = 1_000_000)]
        catch_up_events: u64,
        /// Length of the long stream.
        #[arg(long, default_value_t = 10_000)]
        long_stream_events: u64,
        /// Run only these parts (default: all).
        #[arg(long, value_enum, value_delimiter = ',')]
        only: Vec<Section>,
        /// Rounds of the write workloads and of the catch-up read; each measurement is
        /// reported as the median of the rounds, with their range.
        #[arg(long, default_value_t = 3)]
        repeats: usize,
        /// Run only these write workloads, as EVENTSxWRITERS (default: 1x1,1x16,20x1,20x16).
        #[arg(long, value_delimiter = ',', value_parser = contenders::Workload::parse)]
        workload: Vec<contenders::Workload>,
    },
    /// The read models at scale (issue #10): rebuild of every projection against the raw
    /// catch-up read, the monthly bulletin at two scales, ledger pages against plain SQL.
    Projections {
        /// A PostgreSQL server on this machine, as a user that may create databases.
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        database_url: String,
        /// Where to write the Markdown section (between its own markers).
        #[arg(long, default_value = "docs/BENCHMARKS.md")]
        output: PathBuf,
        /// Events in the big log.
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
        /// Items in the big log (the rest of the events are complaints, one per 20 items).
        #[arg(long, default_value_t = 100_000)]
        items: u64,
        /// Units the items and complaints are spread over.
        #[arg(long, default_value_t = 1_000)]
        units: u64,
        /// Items of the second log, for the bulletin's scaling.
        #[arg(long, default_value_t = 10_000)]
        small_items: u64,
        /// Rounds of each part.
        #[arg(long, default_value_t = 3)]
        repeats: usize,
        /// Pages per ledger case and round.
        #[arg(long, default_value_t = 100)]
        ledger_repeats: usize,
        /// Run only these parts (default: all). Without `rebuild` the models are still built
        /// once, unmeasured.
        #[arg(long, value_enum, value_delimiter = ',')]
        only: Vec<read_models::Part>,
    },
    /// The HTTP API under 64 connections against the same commands in-process (issue #12).
    Http(Load),
    /// SSE fan-out (issue #13): 100 subscribers following the event stream while 16 writers
    /// commit over HTTP, against an in-process follower of the log in the same round.
    Fanout(Load),
    /// The deadline watcher (issue #11): one look over N open items whose 签收 window has
    /// passed, against one raw append per item, at two scales.
    Watchers {
        /// A PostgreSQL server on this machine, as a user that may create databases.
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        database_url: String,
        /// Where to write the Markdown section (between its own markers).
        #[arg(long, default_value = "docs/BENCHMARKS.md")]
        output: PathBuf,
        /// Open items at the big scale.
        #[arg(long, default_value_t = 100_000)]
        items: u64,
        /// Open items at the small scale.
        #[arg(long, default_value_t = 10_000)]
        small_items: u64,
        /// Rounds at each scale.
        #[arg(long, default_value_t = 3)]
        repeats: usize,
    },
}

/// The settings of a benchmark that loads `serve` over HTTP.
#[derive(Debug, clap::Args)]
struct Load {
    /// A PostgreSQL server on this machine, as a user that may create databases.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    database_url: String,
    /// Where to write the Markdown section (between its own markers).
    #[arg(long, default_value = "docs/BENCHMARKS.md")]
    output: PathBuf,
    /// Measured seconds of each phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Rounds.
    #[arg(long, default_value_t = 3)]
    repeats: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Section {
    Raw,
    Rectiflow,
    Peer,
    CatchUp,
    LongStream,
}

/// What every timed part of a run shares.
#[derive(Debug, Clone)]
pub struct RunSettings {
    pub warmup: Duration,
    pub window: Duration,
    pub catch_up_events: u64,
    pub long_stream_events: u64,
    pub sections: Vec<Section>,
    pub workloads: Vec<contenders::Workload>,
    /// Rounds of each write workload and of the catch-up read.
    pub repeats: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match execute(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rectiflow-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Fill {
            events,
            streams,
            per_command,
            database_url,
        } => {
            if !database_url.starts_with("sqlite:") {
                pg::require_loopback(&database_url)?;
            }
            let settings = fill::FillSettings {
                events,
                streams: streams.max(1),
                per_command: per_command.max(1),
            };
            let head = fill::fill(&database_url, &settings).await?;
            println!("filled {events} events; the log's head is at position {head}");
            Ok(())
        }
        Command::Run {
            database_url,
            seconds,
            output,
            catch_up_events,
            long_stream_events,
            only,
            repeats,
            workload,
        } => {
            pg::require_loopback(&database_url)?;
            let sections = if only.is_empty() {
                vec![
                    Section::Raw,
                    Section::Rectiflow,
                    Section::Peer,
                    Section::CatchUp,
                    Section::LongStream,
                ]
            } else {
                only
            };
            let settings = RunSettings {
                warmup: Duration::from_secs(1),
                window: Duration::from_secs(seconds.max(1)),
                catch_up_events: catch_up_events.max(1),
                long_stream_events: long_stream_events.max(1),
                sections,
                workloads: if workload.is_empty() {
                    contenders::WORKLOADS.to_vec()
                } else {
                    workload
                },
                repeats: repeats.max(1),
            };
            let machine = pg::machine(&database_url).await?;
            report::emit("machine", &machine);
            let started_at = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
            let started = Instant::now();
            let report = run::run(&database_url, &settings).await?;
            let took = started.elapsed().as_secs_f64();
            for target in report.targets() {
                report::emit("target", &target);
            }
            let section = report.markdown(
                &command_line(),
                &machine,
                &started_at,
                took,
                &pg::load_average(),
                settings.repeats,
            );
            report::write_section(&output, &section)?;
            eprintln!("wrote {}", output.display());
            Ok(())
        }
        Command::Http(load) => {
            let run = http::run(&load.database_url, load.seconds, load.repeats.max(1));
            let markdown =
                |rounds: &Vec<_>, header: &read_models::Header<'_>| http::markdown(rounds, header);
            let section = measured(&load.database_url, run, markdown).await?;
            report::write_between(&load.output, http::BEGIN, http::END, &section)
        }
        Command::Fanout(load) => {
            let run = fanout::run(&load.database_url, load.seconds, load.repeats.max(1));
            let markdown = |rounds: &Vec<_>, header: &read_models::Header<'_>| {
                fanout::markdown(rounds, header)
            };
            let section = measured(&load.database_url, run, markdown).await?;
            report::write_between(&load.output, fanout::BEGIN, fanout::END, &section)
        }
        Command::Watchers {
            database_url,
            output,
            items,
            small_items,
            repeats,
        } => {
            let (small, big) = (small_items.max(1), items.max(1));
            let admin_url = database_url.clone();
            let run = async move {
                let rounds = watchers::run(&admin_url, small, big, repeats.max(1)).await?;
                anyhow::Ok(watchers::Measured { rounds, small, big })
            };
            let section = measured(&database_url, run, watchers::Measured::markdown).await?;
            report::write_between(&output, watchers::BEGIN, watchers::END, &section)
        }
        Command::Projections {
            database_url,
            output,
            events,
            items,
            units,
            small_items,
            repeats,
            ledger_repeats,
            only,
        } => {
            pg::require_loopback(&database_url)?;
            let settings = read_models::Settings {
                scale: domain_log::Scale {
                    events,
                    items: items.max(1),
                    units: units.max(1),
                },
                small_items: small_items.max(1),
                repeats: repeats.max(1),
                ledger_repeats: ledger_repeats.max(1),
                parts: if only.is_empty() {
                    vec![
                        read_models::Part::Rebuild,
                        read_models::Part::Bulletin,
                        read_models::Part::Ledger,
                    ]
                } else {
                    only
                },
                output,
            };
            let machine = pg::machine(&database_url).await?;
            report::emit("machine", &machine);
            let started_at = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
            let started = Instant::now();
            let results = read_models::run(&database_url, &settings).await?;
            let command = command_line();
            let load_after = pg::load_average();
            let header = read_models::Header {
                command: &command,
                machine: &machine,
                started: &started_at,
                took_s: started.elapsed().as_secs_f64(),
                load_after: &load_after,
            };
            let section = results.markdown(&header, &settings);
            report::write_between(
                &settings.output,
                read_models::BEGIN,
                read_models::END,
                &section,
            )?;
            eprintln!("wrote {}", settings.output.display());
            Ok(())
        }
    }
}

/// The command as a reader would type it to reproduce the run.
fn command_line() -> String {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .map(|a| {
            if a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@".contains(c))
            {
                a
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect();
    format!(
        "cargo run --release -p rectiflow-bench -- {}",
        args.join(" ")
    )
}

/// Runs one measured part on the PostgreSQL at `database_url` and makes its section: what ran,
/// on which machine, when, for how long and under which load — then the part's own table.
async fn measured<T>(
    database_url: &str,
    run: impl std::future::Future<Output = anyhow::Result<T>>,
    markdown: impl FnOnce(&T, &read_models::Header<'_>) -> String,
) -> anyhow::Result<String> {
    pg::require_loopback(database_url)?;
    let machine = pg::machine(database_url).await?;
    report::emit("machine", &machine);
    let started_at = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
    let started = Instant::now();
    let result = run.await?;
    let command = command_line();
    let load_after = pg::load_average();
    let header = read_models::Header {
        command: &command,
        machine: &machine,
        started: &started_at,
        took_s: started.elapsed().as_secs_f64(),
        load_after: &load_after,
    };
    let section = markdown(&result, &header);
    print!("{section}");
    Ok(section)
}
