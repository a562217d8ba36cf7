//! Reading a publication's figures from the read models in the store's database.

use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_engine::StoreError;

use super::{compute, AssessmentSources, Computed, FigureInputs, FiguresFault};
use crate::complaint_history::{ComplaintHistory, ComplaintRow};
use crate::item_history::{ItemHistory, ItemHistoryRow};
use crate::projector::RowProjection;

/// Why figures could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FiguresError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fault(#[from] FiguresFault),
}

/// The figures of `inputs`, computed from every item's and complaint's history as the read
/// models hold them. The caller makes sure the models have applied the log up to
/// `inputs.position` (their checkpoints at or past it): what they have not applied is missing.
/// Every row is read (not only the campaign's current ones): an item carried over to a later
/// campaign after the cut-off still counts for the campaign it was in.
pub async fn read_figures<S: ReadModelStore>(
    store: &S,
    inputs: &FigureInputs,
    assessment: Option<&AssessmentSources>,
) -> Result<Computed, FiguresError> {
    let items: Vec<ItemHistoryRow> = ItemHistory::TABLE.read_all(store).await?;
    let complaints: Vec<ComplaintRow> = ComplaintHistory::TABLE.read_all(store).await?;
    Ok(compute(inputs, &items, &complaints, assessment)?)
}
