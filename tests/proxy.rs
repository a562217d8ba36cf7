//! A TCP proxy the test controls, standing between the service and PostgreSQL, so a test can
//! make the database unreachable the way a network partition does: connections stay open,
//! nothing is refused or reset, and nothing ever answers.
//!
//! ```text
//! let proxy = Proxy::start(upstream).await;
//! let url = proxy.url_for(&database_url);   // the same database, through the proxy
//! proxy.blackhole();                        // from now on every byte is swallowed
//! proxy.swallowed().await;                  // someone asked and waits for an answer
//! ```

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

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
    /// How many reads from clients were swallowed after the blackhole.
    swallowed: watch::Sender<u64>,
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
            swallowed: watch::channel(0).0,
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

    /// Waits until a client has sent something since [`Self::blackhole`]: it now waits for an
    /// answer that will never come.
    pub async fn swallowed(&self) {
        let mut swallowed = self.state.swallowed.subscribe();
        // The sender lives in `self.state`, so the channel cannot close while we wait.
        let _ = swallowed.wait_for(|n| *n > 0).await;
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

/// One client connection: forwarded both ways until the blackhole, then swallowed.
async fn serve(client: TcpStream, state: Arc<State>) {
    let (client_read, client_write) = client.into_split();
    if *state.blackholed.borrow() {
        let mut sink = tokio::io::sink();
        pump(client_read, &mut sink, &state, true).await;
        drop(client_write);
        return;
    }
    let Ok(upstream) = TcpStream::connect(state.upstream).await else {
        return;
    };
    let (upstream_read, upstream_write) = upstream.into_split();
    let mut upstream_write = upstream_write;
    let mut client_write = client_write;
    let to_server = pump(client_read, &mut upstream_write, &state, true);
    let to_client = pump(upstream_read, &mut client_write, &state, false);
    tokio::join!(to_server, to_client);
}

/// Copies `from` into `to` until either ends; after the blackhole, reads are dropped (and, from
/// a client, counted) instead of written.
async fn pump<R, W>(mut from: R, to: &mut W, state: &State, from_client: bool)
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
        if *state.blackholed.borrow() {
            if from_client {
                state.swallowed.send_modify(|count| *count += 1);
            }
            continue;
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
    }
}
