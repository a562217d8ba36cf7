//! A register as it stood at a past instant — the registers' time travel ("as of T"): each of
//! its streams folded over its events recorded at or before T, exactly the prefix a resource
//! read `?as_of=T` folds (DOMAIN.md "Publications as facts": what was known at T).
//!
//! The register's own [`Projector`] runs again over those events into a temporary table of the
//! live table's name in a scratch transaction ([`rectiflow_engine::readmodel::Scratch`]),
//! which hides the live table from that transaction alone. The queries that read the live
//! register — the ledger's filters, sorts and cursors, a board's pages — then read the past
//! one unchanged, so there is one copy of each query and one of each fold. Nothing is kept:
//! the transaction is rolled back when the [`Scratch`] is dropped.
//!
//! A rewind costs one pass over the register's own events (filtered in SQL, read on the
//! scratch's one connection), per request: what an occasional question about the past can
//! afford, not what every read should do.

use chrono::{DateTime, Utc};
use rectiflow_engine::consumer::{Handler, HandlerError};
use rectiflow_engine::readmodel::{ReadModels, Scratch, ScratchStore};
use rectiflow_engine::StoreError;

use crate::{Projector, RowProjection};

/// Log events read per round.
const PAGE: u32 = 2_000;

/// Why a register could not be rewound.
#[derive(Debug, thiserror::Error)]
pub enum RewindError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An event the register's fold could not take (a corrupt log, or code older than it).
    #[error("the register could not be rebuilt: {0}")]
    Fold(#[from] HandlerError),
    /// The temporary table does not hide the live one in this session (see [`rewind`]).
    #[error("a temporary {0} does not hide the live one: check the database's search_path")]
    NotHidden(&'static str),
}

/// `P`'s register as the events of its streams recorded at or before `at` made it, in a
/// scratch transaction of `store`: read it through the returned [`Scratch`] as the live store
/// is read.
pub async fn rewind<S, P>(store: &S, at: DateTime<Utc>) -> Result<Scratch<S::Scratch>, RewindError>
where
    S: ScratchStore,
    P: RowProjection,
{
    let mut tx = store.begin_scratch().await?;
    tx.execute(P::TABLE.create_temporary().into()).await?;
    // The name must now be the empty temporary table's: a `search_path` that puts `pg_temp`
    // after the live schema would leave it the live table's, and the rewind would write into
    // the live register (in a transaction rolled back, but read as if it were the past one).
    if !tx.fetch(P::TABLE.select_page(None, 1)).await?.is_empty() {
        return Err(RewindError::NotHidden(P::TABLE.name));
    }
    let mut projector = Projector::<P>::fresh();
    let mut after = 0;
    loop {
        let batch = store
            .read_recorded_in(&mut tx, P::STREAM_TYPE, at, after, PAGE)
            .await?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.position;
        projector.handle(&mut tx, &batch).await?;
        if batch.len() < PAGE as usize {
            break;
        }
    }
    Ok(Scratch::new(tx))
}
