//! The service as a user meets it: [`spawn_app`] builds [`rectiflow::Application`] on a fresh
//! database, serves it on a random local port from a background task, and hands back a
//! [`TestApp`] to talk to it over HTTP and to stop it.
//!
//! ```text
//! let Some(app) = spawn_app(Db::Postgres).await else { return };
//! let (status, body) = app.get("/healthz").await;
//! assert_eq!(status, 200, "{body}");
//! app.stop().await.expect("a clean stop");
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use rectiflow::{Application, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::{fresh_postgres_db, CancellationToken, FingerprintKey, FreshDb};

/// How long a request, or the server's shutdown, may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(10);

/// The database a [`TestApp`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    /// A SQLite file in a fresh temporary folder.
    Sqlite,
    /// A fresh PostgreSQL database (see [`fresh_postgres_db`]).
    Postgres,
}

impl Db {
    /// The name the service reports for this backend (`"backend"` in `/healthz`).
    pub fn name(self) -> &'static str {
        match self {
            Db::Sqlite => "sqlite",
            Db::Postgres => "postgres",
        }
    }
}

/// What a stopped server returned: `Ok` after a clean shutdown.
pub type ServerResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// A running service. Dropping it without [`TestApp::stop`] still cancels the server.
pub struct TestApp {
    /// Where the service listens (`127.0.0.1:<random port>`).
    pub address: SocketAddr,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// Cancelling it is the service's shutdown signal.
    pub shutdown: CancellationToken,
    server: Option<JoinHandle<ServerResult>>,
    _db: Option<FreshDb>,
    _dir: Option<tempfile::TempDir>,
}

/// Builds the application on a fresh database of kind `db`, binds `127.0.0.1:0` and serves
/// from a spawned task. `None` only for PostgreSQL when its tests are skipped (no server, outside
/// CI, `RECTIFLOW_SKIP_POSTGRES=1`: see [`fresh_postgres_db`]).
///
/// # Panics
/// When the database cannot be created or the application cannot be built: a test that cannot
/// start its service must fail loudly.
pub async fn spawn_app(db: Db) -> Option<TestApp> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (database_url, fresh_db, fingerprint_key_file) = match db {
        // SQLite keeps its own fingerprint key beside the database.
        Db::Sqlite => {
            let url = format!("sqlite://{}", dir.path().join("rectiflow.db").display());
            (url, None, None)
        }
        // PostgreSQL needs one configured, as in production: a key file of the test's own.
        Db::Postgres => {
            let fresh = fresh_postgres_db().await?;
            let key_file = dir.path().join("fingerprint.key");
            FingerprintKey::create(&key_file).expect("a fingerprint key file");
            (fresh.url.clone(), Some(fresh), Some(key_file))
        }
    };
    let config = Config {
        database_url,
        fingerprint_key_file,
        ..Config::default()
    };
    let app = Application::build(config)
        .await
        .unwrap_or_else(|error| panic!("build the application on {}: {error:#}", db.name()));
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free local port");
    let address = listener.local_addr().expect("the bound address");
    let shutdown = CancellationToken::new();
    let run = app.run(listener, shutdown.clone());
    // `map_err(Into::into)` turns the `anyhow::Error` of `run` into a boxed error without
    // making `anyhow` a dependency of this crate.
    let server = tokio::spawn(async move { run.await.map_err(Into::into) });
    Some(TestApp {
        address,
        base_url: format!("http://{address}"),
        shutdown,
        server: Some(server),
        _db: fresh_db,
        _dir: Some(dir),
    })
}

impl TestApp {
    /// Cancels the shutdown token, waits for the server task to end and returns what it
    /// returned, so a test can assert a clean stop.
    ///
    /// # Panics
    /// When the server task panicked or took longer than 10 s to stop.
    pub async fn stop(mut self) -> ServerResult {
        self.shutdown.cancel();
        let server = self.server.take().expect("the server task, until stop");
        match tokio::time::timeout(PATIENCE, server).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
            Ok(Err(join)) => panic!("the server task was aborted: {join}"),
            Err(_) => panic!("the server did not stop within {PATIENCE:?} of its shutdown"),
        }
    }

    /// `GET path` over a fresh HTTP/1.1 connection: the status and the body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        );
        self.exchange(&request).await
    }

    /// Sends a raw HTTP/1.1 request (which must ask for `Connection: close`) and reads the
    /// response to its end.
    ///
    /// # Panics
    /// When the service does not answer within 10 s or the response has no status line.
    pub async fn exchange(&self, request: &str) -> (u16, String) {
        let response = tokio::time::timeout(PATIENCE, async {
            let mut stream = TcpStream::connect(self.address)
                .await
                .expect("connect to the service");
            stream
                .write_all(request.as_bytes())
                .await
                .expect("send the request");
            let mut response = String::new();
            stream
                .read_to_string(&mut response)
                .await
                .expect("read the response");
            response
        })
        .await
        .unwrap_or_else(|_| panic!("no response within {PATIENCE:?} to {request:?}"));
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("an HTTP status line in {response:?}"));
        (status, body.to_owned())
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
