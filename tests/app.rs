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

use chrono::{DateTime, Utc};

use rectiflow::{Application, Config, Serving};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::{fresh_postgres_db, CancellationToken, FingerprintKey, FreshDb};

/// What a stopped server returned after [`TestApp::stop_within`]: its result and how long it
/// took from the shutdown signal.
pub type Stopped = (ServerResult, Duration);

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
    /// The configuration it was built with (its `database_url` names the test's database).
    pub config: Config,
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
    spawn_app_with(db, |_| {}).await
}

/// [`spawn_app`], with the configuration changed by `customize` before the application is
/// built (e.g. its database reached through a proxy, a shorter shutdown grace).
///
/// # Panics
/// As [`spawn_app`].
pub async fn spawn_app_with(db: Db, customize: impl FnOnce(&mut Config)) -> Option<TestApp> {
    spawn_serving(db, Serving::Live, customize).await
}

/// [`spawn_app`] in rehearsal mode (演练): the service on a simulated clock starting at
/// `clock_start`, moved forward through the API.
///
/// # Panics
/// As [`spawn_app`].
pub async fn spawn_rehearsal(db: Db, clock_start: DateTime<Utc>) -> Option<TestApp> {
    let serving = Serving::Rehearsal {
        clock_start: Some(clock_start),
    };
    spawn_serving(db, serving, |_| {}).await
}

/// [`spawn_rehearsal`], with the configuration changed by `customize` first.
///
/// # Panics
/// As [`spawn_app`].
pub async fn spawn_rehearsal_with(
    db: Db,
    clock_start: DateTime<Utc>,
    customize: impl FnOnce(&mut Config),
) -> Option<TestApp> {
    let serving = Serving::Rehearsal {
        clock_start: Some(clock_start),
    };
    spawn_serving(db, serving, customize).await
}

async fn spawn_serving(
    db: Db,
    serving: Serving,
    customize: impl FnOnce(&mut Config),
) -> Option<TestApp> {
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
    let mut config = Config {
        database_url,
        fingerprint_key_file,
        ..Config::default()
    };
    customize(&mut config);
    let mut app = spawn_on(config, serving).await;
    app._db = fresh_db;
    app._dir = Some(dir);
    Some(app)
}

/// Builds the application from `config` — on a database the caller keeps alive — and serves it
/// on `127.0.0.1:0` from a spawned task.
///
/// # Panics
/// When the application cannot be built.
pub async fn spawn_app_on(config: Config) -> TestApp {
    spawn_on(config, Serving::Live).await
}

/// [`spawn_app_on`], served as `serving` says (a rehearsal resumes its store's clock).
///
/// # Panics
/// When the application cannot be built.
pub async fn spawn_on(config: Config, serving: Serving) -> TestApp {
    let app = Application::build(config.clone())
        .await
        .unwrap_or_else(|error| {
            panic!(
                "build the application on {}: {error:#}",
                config.database_url
            )
        })
        .serving(serving);
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free local port");
    let address = listener.local_addr().expect("the bound address");
    let shutdown = CancellationToken::new();
    let run = app.run(listener, shutdown.clone());
    // `map_err(Into::into)` turns the `anyhow::Error` of `run` into a boxed error without
    // making `anyhow` a dependency of this crate.
    let server = tokio::spawn(async move { run.await.map_err(Into::into) });
    TestApp {
        address,
        base_url: format!("http://{address}"),
        shutdown,
        config,
        server: Some(server),
        _db: None,
        _dir: None,
    }
}

impl TestApp {
    /// A second process of the service on the same database (a PostgreSQL deployment runs
    /// several): built from this one's configuration, serving on a port of its own. The
    /// database lives as long as `self`, so stop the sibling first.
    pub async fn spawn_sibling(&self) -> TestApp {
        spawn_app_on(self.config.clone()).await
    }

    /// Stops the service cleanly and starts it again on the same store, served as `serving`
    /// says: what an operator's restart does.
    ///
    /// # Panics
    /// When the service does not stop cleanly.
    pub async fn restart(mut self, serving: Serving) -> TestApp {
        let db = self._db.take();
        let dir = self._dir.take();
        let config = self.config.clone();
        if let Err(error) = self.stop().await {
            panic!("the service stopped with {error}");
        }
        let mut app = spawn_on(config, serving).await;
        app._db = db;
        app._dir = dir;
        app
    }

    /// Cancels the shutdown token, waits for the server task to end and returns what it
    /// returned, so a test can assert a clean stop.
    ///
    /// # Panics
    /// When the server task panicked or took longer than 10 s to stop.
    pub async fn stop(self) -> ServerResult {
        self.stop_within(PATIENCE).await.0
    }

    /// Cancels the shutdown token and waits at most `patience` for the server task to end:
    /// what it returned, and how long it took.
    ///
    /// # Panics
    /// When the server task panicked or took longer than `patience` to stop.
    pub async fn stop_within(mut self, patience: Duration) -> Stopped {
        let started = tokio::time::Instant::now();
        self.shutdown.cancel();
        let server = self.server.take().expect("the server task, until stop");
        match tokio::time::timeout(patience, server).await {
            Ok(Ok(result)) => (result, started.elapsed()),
            Ok(Err(join)) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
            Ok(Err(join)) => panic!("the server task was aborted: {join}"),
            Err(_) => panic!("the server did not stop within {patience:?} of its shutdown"),
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
