//! The registers as they stood at a past instant (`?as_of=` on the ledger and the boards).
//!
//! For an instant already past, the register is its projection run again over its streams'
//! events recorded by then — the prefix a resource read `?as_of=` folds — in a scratch
//! transaction ([`rectiflow_projections::rewind`]): rows that existed then, with the values they
//! had then (an item closed since is open again, a case opened since is not there). An instant
//! not yet past reads the register as it stands: nothing later than now has been recorded.
//!
//! **Scope, then and now.** A past row is listed only if its reader could read it then (the
//! same narrowing and row checks as the live register) and can read its resource now — the
//! rule `GET /{collection}/{id}?as_of=` applies — so a unit an item has been taken from no
//! longer lists it, and a list never shows what a read of the resource would refuse.
//!
//! A rewind is a pass over the register's events, so at most [`REWINDS`] past registers are
//! open at once; further requests wait for a turn.

use chrono::{DateTime, Utc};
use rectiflow_engine::readmodel::sea_query::SelectStatement;
use rectiflow_engine::readmodel::{ReadModelStore, Row, Scratch, ScratchStore, Statement};
use rectiflow_engine::StoreError;
use rectiflow_projections::rewind::{rewind, RewindError};
use rectiflow_projections::RowProjection;
use rectiflow_store::Store;
use tokio::sync::SemaphorePermit;

use super::problem::Problem;
use super::Api;

/// Past registers one process holds open at once.
pub const REWINDS: usize = 2;

/// A register as it stood, holding one of the process's turns for as long as it is read.
pub struct Past<'a, T> {
    register: Scratch<T>,
    _turn: SemaphorePermit<'a>,
}

impl<T: rectiflow_engine::readmodel::ReadModels + 'static> ReadModelStore for Past<'_, T> {
    async fn execute(&self, statement: Statement) -> Result<u64, StoreError> {
        self.register.execute(statement).await
    }

    async fn fetch(&self, query: SelectStatement) -> Result<Vec<Row>, StoreError> {
        self.register.fetch(query).await
    }
}

/// `P`'s register as it stood at `at`, when `at` is past; `None` for an instant not yet past
/// (read the live register).
pub async fn register_at<'a, S: Store, P: RowProjection>(
    api: &'a Api<S>,
    at: DateTime<Utc>,
) -> Result<Option<Past<'a, <S as ScratchStore>::Scratch>>, Problem> {
    if at >= api.clock.now() {
        return Ok(None);
    }
    let turn = api
        .rewinds
        .acquire()
        .await
        .map_err(|_| Problem::unavailable("the service is shutting down"))?;
    match rewind::<S, P>(&api.store, at).await {
        Ok(register) => Ok(Some(Past {
            register,
            _turn: turn,
        })),
        Err(RewindError::Store(e)) => Err(Problem::store(&e)),
        Err(e @ (RewindError::Fold(_) | RewindError::NotHidden(_))) => {
            Err(Problem::internal(e.to_string()))
        }
    }
}
