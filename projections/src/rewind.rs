//! A register as it stood at a past log position — the registers' time travel ("as of T",
//! DOMAIN.md "Publications as facts": P = the last position recorded at or before T).
//!
//! The register's own [`Projector`] runs again over the log up to P, into a temporary table
//! of the live table's name in a scratch transaction ([`rectiflow_engine::readmodel::Scratch`]),
//! which hides the live table from that transaction alone. The queries that read the live
//! register — the ledger's filters, sorts and cursors, a board's pages — then read the past
//! one unchanged, so there is one copy of each query and one of each fold. Nothing is kept:
//! the transaction is rolled back when the [`Scratch`] is dropped.
//!
//! A rewind costs one pass over the log up to P (the register's own events folded, the rest
//! skipped), per request: what an occasional question about the past can afford, not what
//! every read should do.

use rectiflow_engine::consumer::{Handler, HandlerError};
use rectiflow_engine::readmodel::{ReadModels, Scratch, ScratchStore};
use rectiflow_engine::{EventStore, StoreError};

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
}

/// `P`'s register as the events at positions `1..=position` made it, in a scratch
/// transaction of `store`: read it through the returned [`Scratch`] as the live store is read.
pub async fn rewind<S, P>(store: &S, position: u64) -> Result<Scratch<S::Scratch>, RewindError>
where
    S: EventStore + ScratchStore,
    P: RowProjection,
{
    let mut tx = store.begin_scratch().await?;
    tx.execute(P::TABLE.create_temporary().into()).await?;
    let mut projector = Projector::<P>::fresh();
    let mut after = 0;
    while after < position {
        let mut batch = store.read_log(after, PAGE).await?;
        batch.retain(|logged| logged.position <= position);
        let Some(last) = batch.last() else {
            break;
        };
        after = last.position;
        projector.handle(&mut tx, &batch).await?;
    }
    Ok(Scratch::new(tx))
}
