//! Progress reports (进展), with their evidence (佐证材料).

use super::decide::Context;
use super::Item;
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::state::ItemState;
use crate::values::{EvidenceRef, Percent, Text};

impl Item {
    pub(super) fn report_progress(
        &self,
        text: Text,
        percent: Percent,
        evidence: Vec<EvidenceRef>,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, &[ItemState::InProgress])?;
        Ok(ItemEvent::ProgressReported {
            text,
            percent,
            evidence,
            by,
            at,
        })
    }
}
