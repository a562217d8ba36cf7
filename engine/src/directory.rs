//! The directory port served from the log: the organisation stream at its latest version.
//!
//! DOMAIN.md: "checks read the organisation at its latest version, never a lagging view". So
//! every command's role check loads the organisation stream from the store — its snapshot and
//! the events after it — rather than asking a projection that may not have caught up: a role
//! granted a moment ago on another node is honoured here, a revoked one refused at once. The
//! cost is one read per command: the events after the version last folded ([`Followed`]).

use rectiflow_domain::directory::{Directory, DirectoryFuture, DIRECTORY};
use rectiflow_domain::organisation::{Organisation, ORGANISATION};
use rectiflow_domain::PortUnavailable;

use crate::executor::{Executor, Followed};
use crate::store::EventStore;

/// A [`Directory`] reading the organisation through an [`Executor`] (so with its snapshots
/// and upcasters).
pub struct StoreDirectory<S> {
    executor: Executor<S>,
    followed: Followed<Organisation>,
}

impl<S> StoreDirectory<S> {
    pub fn new(executor: Executor<S>) -> Self {
        Self {
            executor,
            followed: Followed::default(),
        }
    }
}

impl<S: EventStore + Clone + Send + Sync + 'static> Directory for StoreDirectory<S> {
    fn organisation(&self) -> DirectoryFuture<'_> {
        Box::pin(async move {
            self.followed
                .latest(&self.executor, ORGANISATION)
                .await
                .map_err(|error| PortUnavailable {
                    port: DIRECTORY,
                    reason: error.to_string(),
                })
        })
    }
}
