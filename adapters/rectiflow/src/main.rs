//! The `rectiflow` command: `serve`, `migrate`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rectiflow::config::{Config, Overrides};
use rectiflow::Application;
use rectiflow_store::CancellationToken;
use tracing_subscriber::EnvFilter;

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
    },
    /// Apply the database migrations and exit.
    Migrate,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rectiflow: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let listen = match &cli.command {
        Command::Serve { listen } => *listen,
        Command::Migrate => None,
    };
    let config = Config::load(
        &cli.config,
        Overrides {
            database_url: cli.database_url,
            listen,
        },
    )?;
    match cli.command {
        Command::Migrate => {
            // Opening the store applies the migrations.
            Application::build(config).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Serve { .. } => {
            let app = Application::build(config.clone()).await?;
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
