//! The `rectiflow` command: `serve`, `migrate`, the projections' `rebuild` and `lag`, the
//! rhythm's `schedule preview`, and the log's custody: `verify`, `digest`, `export`, `import`. The inspecting three open the store read-only and never migrate it
//! (see [`AnyStore::inspect`]).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rectiflow::config::{Config, Overrides};
use rectiflow::logging::{self, LogFormat};
use rectiflow::otel::Exporting;
use rectiflow::projections::lag_lines;
use rectiflow::rebuild::rebuild_projections;
use rectiflow::schedule;
use rectiflow::{Application, Serving};
use rectiflow_engine::CancellationToken;
use rectiflow_scheduler::preview::PreviewError;
use rectiflow_store::integrity::{self, ChainDigest, IntegrityError, VerifyOptions};
use rectiflow_store::transfer::{self, Progress, TransferError};
use rectiflow_store::{with_store, AnyStore, FingerprintKey, Store};

/// Event-sourced workflow orchestration for rectification campaigns (群腐整治).
#[derive(Debug, Parser)]
#[command(name = "rectiflow", version, about)]
struct Cli {
    /// The event store: `sqlite://data/rectiflow.db` (default) or `postgres://user@host/db`.
    /// Also RECTIFLOW_DATABASE_URL or `database_url` in the config file.
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// The configuration file.
    #[arg(long, global = true, default_value = "rectiflow.toml")]
    config: PathBuf,
    /// The file holding the key of command fingerprints (64 hex digits). Required with
    /// PostgreSQL; with SQLite the store keeps its own beside the database. Also
    /// RECTIFLOW_FINGERPRINT_KEY_FILE or `fingerprint_key_file` in the config file.
    #[arg(long, global = true)]
    fingerprint_key_file: Option<PathBuf>,
    /// How log lines are written on stderr: `human` (colour only on a terminal) or `json`
    /// (one object per line, for log collectors). Also RECTIFLOW_LOG_FORMAT.
    #[arg(
        long,
        global = true,
        value_enum,
        env = "RECTIFLOW_LOG_FORMAT",
        default_value_t
    )]
    log_format: LogFormat,
    /// Export traces over OTLP/HTTP to this collector (e.g. http://127.0.0.1:4318); none by
    /// default. Also RECTIFLOW_OTLP_ENDPOINT.
    #[arg(long, global = true, env = "RECTIFLOW_OTLP_ENDPOINT")]
    otlp_endpoint: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API and run the sequencer and consumers.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Serve the demo campaign from its own store (`./data/demo.db`), writing it first if
        /// that store is empty; the clock stands at the demo's end.
        #[arg(long)]
        demo: bool,
        /// The demo's seed (with `--demo`).
        #[arg(long, requires = "demo", default_value_t = rectiflow::demo::DEFAULT_SEED)]
        seed: u64,
        /// 演练: serve a rehearsal on a simulated clock an admin moves forward through the API
        /// (`POST /api/v1/rehearsal/clock`). Only on a store of its own: a store served live
        /// refuses it, and a rehearsal store refuses to be served without it.
        #[arg(long, conflicts_with = "demo")]
        rehearsal: bool,
        /// Where a new rehearsal's clock starts (RFC 3339, e.g. 2026-03-01T08:00:00+08:00);
        /// an existing rehearsal resumes where its clock stands.
        #[arg(long, requires = "rehearsal")]
        clock_start: Option<chrono::DateTime<chrono::FixedOffset>>,
    },
    /// Write the demo campaign into its own store (`./data/demo.db` unless `--store`), which
    /// must be empty, and print what the rhythm and the policies published.
    Demo {
        #[arg(long, default_value_t = rectiflow::demo::DEFAULT_SEED)]
        seed: u64,
        /// The rehearsal store's URL (never the real store's).
        #[arg(long, default_value = rectiflow::demo::DEMO_DATABASE_URL)]
        store: String,
        /// Items the secretariats list (complaints, alerts and cases in proportion): the
        /// demo scaled up or down for a rehearsal or a benchmark.
        #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        items: u32,
        #[arg(long)]
        json: bool,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Rebuild projections from the start of the log, aside, and swap each in once caught up:
    /// readers keep the current model until then. Stopped part-way, it resumes next time.
    Rebuild {
        /// The projections to rebuild (default: all).
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(
            rectiflow_projections::registry::names()
        ))]
        names: Vec<String>,
    },
    /// Print each consumer's checkpoint, code version, the log's head and the lag between.
    Lag {
        /// Print a JSON array of `{consumer, checkpoint, version, head, lag}`.
        #[arg(long)]
        json: bool,
    },
    /// API tokens: issue one for a person acting in one role, revoke, list.
    Token {
        #[command(subcommand)]
        command: rectiflow::access::cli::TokenCommand,
    },
    /// The campaign's rhythm: weekly dispatches, monthly bulletins, quarterly assessments.
    Schedule {
        #[command(subcommand)]
        command: schedule::cli::ScheduleCommand,
    },
    /// Recompute the hash chain from the first event and compare it with the stored hashes.
    ///
    /// Exit status: 0 when the log is intact, 2 when it is not (the message names the first
    /// bad position and what is wrong there), 1 when it could not be checked.
    Verify {
        /// A digest published earlier (`sha256:…`, as printed by `digest`): the recomputed
        /// chain must match it at `--at`, which catches a rewrite of both events and hashes.
        #[arg(long, requires = "at")]
        digest: Option<String>,
        /// The position the published digest is for.
        #[arg(long, requires = "digest")]
        at: Option<u64>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the chain hash at a position (default: the head), after verifying the log up to
    /// it: publish it, and `verify --digest` proves later that history was not rewritten.
    Digest {
        #[arg(long)]
        at: Option<u64>,
        /// Print `{"position": N, "digest": "sha256:…"}`.
        #[arg(long)]
        json: bool,
    },
    /// Write the log as NDJSON, one event per line with its position and chain hash.
    Export {
        /// The first position to write (default 1). Only a file from position 1 can be
        /// imported.
        #[arg(long)]
        from: Option<u64>,
        /// The last position to write (default: the head).
        #[arg(long)]
        to: Option<u64>,
        /// The file to write (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Import an export into an empty store: the file's whole chain is verified first, and a
    /// file that does not verify is refused with nothing written (exit status 2).
    Import {
        /// The NDJSON file written by `export`.
        file: PathBuf,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    // Usage errors exit 64 (EX_USAGE), keeping 2 for "the log does not verify".
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(64)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let exporting = match cli.otlp_endpoint.as_deref().map(Exporting::new).transpose() {
        Ok(exporting) => exporting,
        Err(error) => {
            eprintln!("rectiflow: {error}");
            return ExitCode::FAILURE;
        }
    };
    logging::init(cli.log_format, exporting.as_ref().map(|e| e.tracer.clone()));
    let code = match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rectiflow: {error:#}");
            exit_code(&error)
        }
    };
    if let Some(exporting) = exporting {
        exporting.shutdown().await;
    }
    code
}

/// 2 when data was checked and does not verify (a tampered log, a refused import file), so a
/// script can tell "tampered" from "could not check" (1); 64 for arguments that parse but make
/// no sense together (a preview's reversed or too long range), like clap's usage errors.
fn exit_code(error: &anyhow::Error) -> ExitCode {
    let tampered = matches!(
        error.downcast_ref::<IntegrityError>(),
        Some(IntegrityError::Tampered(_))
    ) || matches!(
        error.downcast_ref::<TransferError>(),
        Some(TransferError::Refused { .. })
    );
    let usage = matches!(
        error.downcast_ref::<PreviewError>(),
        Some(PreviewError::Reversed { .. } | PreviewError::TooLong { .. })
    );
    if tampered {
        ExitCode::from(2)
    } else if usage {
        ExitCode::from(64)
    } else {
        ExitCode::FAILURE
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let listen = match &cli.command {
        Command::Serve { listen, .. } => *listen,
        _ => None,
    };
    // The demo has a store of its own: never the one configured for the real campaign.
    let database_url = match &cli.command {
        Command::Serve { demo: true, .. } => Some(rectiflow::demo::DEMO_DATABASE_URL.to_owned()),
        Command::Demo { store, .. } => Some(store.clone()),
        _ => cli.database_url,
    };
    let config = Config::load(
        &cli.config,
        Overrides {
            database_url,
            listen,
            fingerprint_key_file: cli.fingerprint_key_file,
        },
    )?;
    match cli.command {
        Command::Migrate => {
            // Opening the store applies the migrations.
            open_store(&config).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Rebuild { names } => {
            let store = open_store(&config).await?;
            let shutdown = CancellationToken::new();
            let signal = shutdown.clone();
            tokio::spawn(async move {
                wait_for_signal().await;
                signal.cancel();
            });
            with_store!(store, store => rebuild_projections(&store, &names, &shutdown).await)?;
            Ok(())
        }
        Command::Lag { json } => {
            let store = AnyStore::inspect(&config.database_url).await?;
            let lines = with_store!(store, store => lag_lines(&store).await)?;
            if json {
                println!("{}", serde_json::to_string(&lines)?);
            } else {
                println!(
                    "{:<32} {:>12} {:>8} {:>12} {:>12}",
                    "consumer", "checkpoint", "version", "head", "lag"
                );
                for line in lines {
                    let version = line
                        .version
                        .map_or_else(|| "-".to_owned(), |v| v.to_string());
                    println!(
                        "{:<32} {:>12} {:>8} {:>12} {:>12}",
                        line.consumer, line.checkpoint, version, line.head, line.lag
                    );
                }
            }
            Ok(())
        }
        Command::Demo {
            seed, json, items, ..
        } => rectiflow::demo::cli::write(&config, seed, items as usize, json).await,
        Command::Serve {
            demo,
            seed,
            rehearsal,
            clock_start,
            ..
        } => {
            let mut app = Application::build(config.clone()).await?;
            if demo {
                app = rectiflow::demo::cli::load(app, &config, seed).await?;
            } else if rehearsal {
                app = app.serving(Serving::Rehearsal {
                    clock_start: clock_start.map(|at| at.with_timezone(&chrono::Utc)),
                });
            }
            let listener = tokio::net::TcpListener::bind(config.listen).await?;
            println!("listening on {}", listener.local_addr()?);
            let shutdown = CancellationToken::new();
            let signal = shutdown.clone();
            tokio::spawn(async move {
                wait_for_signal().await;
                signal.cancel();
            });
            app.run(listener, shutdown).await
        }
        Command::Schedule { command } => schedule::cli::run(&config, command).await,
        Command::Token { command } => rectiflow::access::cli::run(&config, command).await,
        Command::Verify { digest, at, json } => {
            let store = AnyStore::inspect(&config.database_url).await?;
            with_store!(store, store => verify(&store, digest, at, json).await)
        }
        Command::Digest { at, json } => {
            let store = AnyStore::inspect(&config.database_url).await?;
            let progress = Progress::on_terminal();
            let digest =
                with_store!(store, store => integrity::digest_at(&store, at, &progress).await)?;
            if json {
                println!("{}", serde_json::to_string(&digest)?);
            } else {
                println!("{digest}");
            }
            Ok(())
        }
        Command::Export { from, to, output } => {
            let store = AnyStore::inspect(&config.database_url).await?;
            let progress = Progress::on_terminal();
            let summary = match &output {
                Some(path) => {
                    let file = std::fs::File::create(path)
                        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
                    with_store!(store, store => transfer::export(&store, from, to, file, &progress).await)?
                }
                None => {
                    let stdout = std::io::stdout().lock();
                    with_store!(store, store => transfer::export(&store, from, to, stdout, &progress).await)?
                }
            };
            // Standard output may be the export itself: report on standard error.
            match (summary.first, summary.last) {
                (Some(first), Some(last)) => eprintln!(
                    "exported {} events (positions {first} to {last})",
                    summary.events
                ),
                _ => eprintln!("exported 0 events (the log is empty)"),
            }
            Ok(())
        }
        Command::Import { file } => {
            let store = open_store(&config).await?;
            let progress = Progress::on_terminal();
            let summary =
                with_store!(store, store => transfer::import(&store, &file, &progress).await)?;
            println!("imported {} events; head {}", summary.events, summary.head);
            Ok(())
        }
    }
}

/// Opens the store for a command that runs no domain command (migrate, custody), so needs no
/// fingerprint key — but uses the configured one when there is one, so a SQLite store never
/// makes a key file of its own that `serve` would not use.
async fn open_store(config: &Config) -> anyhow::Result<AnyStore> {
    let key = match &config.fingerprint_key_file {
        Some(path) => Some(FingerprintKey::read(path)?),
        None => None,
    };
    Ok(AnyStore::open_with_key(&config.database_url, key).await?)
}

async fn verify<S: Store>(
    store: &S,
    digest: Option<String>,
    at: Option<u64>,
    json: bool,
) -> anyhow::Result<()> {
    let mut options = VerifyOptions {
        progress: Progress::on_terminal(),
        ..VerifyOptions::default()
    };
    if let (Some(digest), Some(position)) = (digest, at) {
        let hash = ChainDigest::parse_hash(&digest).map_err(anyhow::Error::msg)?;
        options = options.expecting(ChainDigest { position, hash });
    }
    match integrity::verify(store, &options).await {
        Ok(summary) => {
            if json {
                let value = serde_json::json!({
                    "intact": true,
                    "events": summary.events,
                    "head": summary.head,
                    "checked": summary.checked,
                });
                println!("{value}");
            } else {
                println!(
                    "log intact: {} events; head {}",
                    summary.events, summary.head
                );
                if let Some(checked) = summary.checked {
                    println!("matches the published digest at {checked}");
                }
            }
            Ok(())
        }
        Err(error) => {
            if let (true, IntegrityError::Tampered(tamper)) = (json, &error) {
                let value = serde_json::json!({
                    "intact": false,
                    "position": tamper.position(),
                    "problem": tamper.to_string(),
                });
                println!("{value}");
            }
            Err(error.into())
        }
    }
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
