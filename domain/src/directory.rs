//! The directory port: the organisation at its latest version.
//!
//! Roles are domain rules (DOMAIN.md, "Roles and permissions"): whoever verifies a sign-off
//! must be the secretariat of the item's task force and outside the responsible unit; only the
//! handling unit answers a complaint; only discipline inspection decides accountability. The
//! aggregates ask these questions of the [`Organisation`] this port serves. An adapter serves it
//! from the organisation stream *at its latest version* — never from a lagging projection — so
//! a role granted a moment ago is honoured on every node and a revoked one is refused at once.
//! It may fail (the store did not answer): that is a [`PortUnavailable`], not a refusal.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::failure::PortUnavailable;
use crate::organisation::{Acting, Organisation};
use crate::values::PersonId;

/// The name the directory goes by in a [`PortUnavailable`].
pub const DIRECTORY: &str = "directory";

pub type DirectoryFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Arc<Organisation>, PortUnavailable>> + Send + 'a>>;

pub trait Directory: Send + Sync {
    /// The organisation as of its latest recorded event.
    fn organisation(&self) -> DirectoryFuture<'_>;
}

/// The organisation as already read for one command (the API reads it once per request, to
/// check the token's role), narrowed for its sender: served again without a second read.
pub struct NarrowedDirectory(Arc<Organisation>);

impl NarrowedDirectory {
    pub fn new(organisation: &Organisation, person: PersonId, acting: Acting) -> Self {
        Self(Arc::new(organisation.clone().acting_as(person, acting)))
    }
}

impl Directory for NarrowedDirectory {
    fn organisation(&self) -> DirectoryFuture<'_> {
        let organisation = Arc::clone(&self.0);
        Box::pin(async move { Ok(organisation) })
    }
}

/// The test double, built from organisation events (tests and the `testing` feature).
#[cfg(any(test, feature = "testing"))]
pub use crate::testing::directory::StaticDirectory;
