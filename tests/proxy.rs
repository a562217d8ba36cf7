//! A TCP proxy the test controls, standing between the service and PostgreSQL, so a test can
//! make the database unreachable the way a network partition does: connections stay open,
//! nothing is refused or reset, and nothing ever answers.
//!
//! ```text
//! let proxy = Proxy::in_front_of(&admin_url).await;
//! let url = proxy.url_for(&database_url);      // the same database, through the proxy
//! proxy.blackhole();                           // from now on every byte is swallowed
//! proxy.swallowed_on("rectiflow-sequencer").await; // that session now waits for an answer
//! ```

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A forwarding proxy on `127.0.0.1:<random port>`; stops when dropped.
pub struct Proxy {
    /// Where clients connect instead of the upstream.
    pub address: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

struct State {
    upstream: SocketAddr,
    connects: AtomicUsize,
    /// Set once: from then on nothing is forwarded either way.
    blackholed: watch::Sender<bool>,
    /// The `application_name`s of the sessions (`""` when unnamed) whose traffic, either way,
    /// was swallowed after the blackhole.
    swallowed: watch::Sender<HashSet<String>>,
}

impl Proxy {
    /// Listens on a free local port and forwards every connection to `upstream`.
    ///
    /// # Panics
    /// When no local port can be bound (test support: fail loudly).
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let address = listener.local_addr().expect("the proxy's address");
        let state = Arc::new(State {
            upstream,
            connects: AtomicUsize::new(0),
            blackholed: watch::channel(false).0,
            swallowed: watch::channel(HashSet::new()).0,
        });
        let accepting = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                accepting.connects.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(client, accepting.clone()));
            }
        });
        Self {
            address,
            state,
            task,
        }
    }

    /// A proxy in front of the server that the PostgreSQL URL `url` names.
    ///
    /// # Panics
    /// When the URL's host does not resolve (test support).
    pub async fn in_front_of(url: &str) -> Self {
        let (start, end) = authority(url);
        let mut host = url[start..end].to_owned();
        if !host.contains(':') {
            host.push_str(":5432");
        }
        let upstream = tokio::net::lookup_host(&host)
            .await
            .ok()
            .and_then(|mut addresses| addresses.next())
            .unwrap_or_else(|| panic!("resolve the database host {host}"));
        Self::start(upstream).await
    }

    /// The PostgreSQL URL `url` with its host and port replaced by the proxy's.
    pub fn url_for(&self, url: &str) -> String {
        let (start, end) = authority(url);
        format!("{}{}{}", &url[..start], self.address, &url[end..])
    }

    /// How many connections clients have opened through the proxy so far.
    pub fn connects(&self) -> usize {
        self.state.connects.load(Ordering::SeqCst)
    }

    /// Makes the upstream unreachable: open connections stay open but carry nothing either
    /// way, and new ones are accepted and never answered.
    pub fn blackhole(&self) {
        self.state.blackholed.send_replace(true);
    }

    /// Waits until traffic of a session named `application_name` was swallowed since
    /// [`Self::blackhole`]: its request, or the server's answer to one it sent just before.
    /// Either way that session now waits for an answer that will never come. (Only for a
    /// session that asks and is answered, such as the sequencer's: a session that LISTENs is
    /// also sent notifications unasked.)
    pub async fn swallowed_on(&self, application_name: &str) {
        let mut swallowed = self.state.swallowed.subscribe();
        // The sender lives in `self.state`, so the channel cannot close while we wait.
        let _ = swallowed
            .wait_for(|names| names.contains(application_name))
            .await;
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Where the `host:port` of a URL starts and ends.
///
/// # Panics
/// When `url` has no scheme (test support).
fn authority(url: &str) -> (usize, usize) {
    let start = url
        .rfind('@')
        .map(|at| at + 1)
        .or_else(|| url.find("://").map(|s| s + 3))
        .expect("a URL with a host");
    let end = url[start..]
        .find('/')
        .map_or(url.len(), |slash| start + slash);
    (start, end)
}

/// The `application_name` a session gave in its startup message, once seen.
type Name = Mutex<Option<String>>;

/// One client connection: forwarded both ways until the blackhole, then swallowed.
async fn serve(client: TcpStream, state: Arc<State>) {
    let name = Name::default();
    let (client_read, client_write) = client.into_split();
    if *state.blackholed.borrow() {
        let mut sink = tokio::io::sink();
        pump(client_read, &mut sink, &state, &name, true).await;
        drop(client_write);
        return;
    }
    let Ok(upstream) = TcpStream::connect(state.upstream).await else {
        return;
    };
    let (upstream_read, mut upstream_write) = upstream.into_split();
    let mut client_write = client_write;
    let to_server = pump(client_read, &mut upstream_write, &state, &name, true);
    let to_client = pump(upstream_read, &mut client_write, &state, &name, false);
    tokio::join!(to_server, to_client);
}

/// Copies `from` into `to` until either ends; after the blackhole, reads are dropped (and the
/// session named as swallowed) instead of written. From the client, it looks for the session's
/// name in the startup message.
async fn pump<R, W>(mut from: R, to: &mut W, state: &State, name: &Name, from_client: bool)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if from_client {
            if let Ok(mut name) = name.lock() {
                if name.is_none() {
                    *name = application_name(&buffer[..n]);
                }
            }
        }
        if *state.blackholed.borrow() {
            let session = name.lock().ok().and_then(|n| n.clone()).unwrap_or_default();
            state.swallowed.send_modify(|names| {
                names.insert(session);
            });
            continue;
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
    }
}

/// The `application_name` parameter of a PostgreSQL startup message in `bytes`, if there is
/// one (parameters are NUL-terminated names and values).
fn application_name(bytes: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"application_name\0";
    let at = bytes.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let value = &bytes[at..];
    let end = value.iter().position(|b| *b == 0)?;
    Some(String::from_utf8_lossy(&value[..end]).into_owned())
}
