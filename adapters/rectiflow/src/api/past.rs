//! The registers as they stood at a past instant (`?as_of=` on the ledger and the boards).
//!
//! For an instant already past, P is the last log position recorded at or before it, and the
//! register is its projection run again up to P in a scratch transaction
//! ([`rectiflow_projections::rewind`]) — rows that existed then, with the values they had then:
//! an item closed since is open again, a case opened since is not there. An instant not yet
//! past reads the register as it stands: nothing later than now has been recorded.
//!
//! A rewind is a pass over the log, so at most [`REWINDS`] run at once; further ones wait.

use chrono::{DateTime, Utc};
use rectiflow_engine::as_of::position_at;
use rectiflow_engine::readmodel::{Scratch, ScratchStore};
use rectiflow_projections::rewind::{rewind, RewindError};
use rectiflow_projections::RowProjection;
use rectiflow_store::Store;

use super::problem::Problem;
use super::Api;

/// Rewinds one process runs at once.
pub const REWINDS: usize = 2;

/// `P`'s register as it stood at `at`, when `at` is past; `None` for an instant not yet past
/// (read the live register).
pub async fn register_at<S: Store, P: RowProjection>(
    api: &Api<S>,
    at: DateTime<Utc>,
) -> Result<Option<Scratch<<S as ScratchStore>::Scratch>>, Problem> {
    if at >= api.clock.now() {
        return Ok(None);
    }
    let _turn = api
        .rewinds
        .acquire()
        .await
        .map_err(|_| Problem::unavailable("the service is shutting down"))?;
    let position = position_at(&api.store, at)
        .await
        .map_err(|e| Problem::store(&e))?;
    match rewind::<S, P>(&api.store, position).await {
        Ok(scratch) => Ok(Some(scratch)),
        Err(RewindError::Store(e)) => Err(Problem::store(&e)),
        Err(e @ RewindError::Fold(_)) => Err(Problem::unavailable(e.to_string())),
    }
}
