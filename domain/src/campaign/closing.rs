//! Closing a campaign (整治行动收官) with its final report (总结报告).
//!
//! DOMAIN.md "Organisation": a campaign is closed with a final report. The report is a
//! document kept elsewhere, like evidence (佐证): the log keeps a [`Uri`] to it — checked at
//! the edge, and a link the dashboard and the public read model can follow — and a short
//! summary for those who read the log alone. A document number (文号) belongs in the summary.
//!
//! Once closed, the campaign's own record is final: its settings, task forces and their
//! members no longer change, so the bulletins and assessments computed under them can always
//! be reproduced. Open items are not closed with it: each is carried over to a later campaign
//! by an explicit command on its own stream (`ItemCommand::CarryOver`), keeping its history.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::aggregate::Campaign;
use super::commands::CampaignCommand;
use super::errors::CampaignError;
use super::events::CampaignEvent;
use crate::values::{PersonId, Text, Uri};

/// How the campaign was closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CampaignClosure {
    /// Where the final report (总结报告) is kept.
    pub report: Uri,
    pub summary: Text,
    pub closed_by: PersonId,
    pub closed_at: DateTime<Utc>,
}

impl Campaign {
    /// A closed campaign refuses every change to what it owns (settings, task forces, their
    /// members) and a second closure. Units and persons are not the campaign's to refuse:
    /// they outlive it (DOMAIN.md, "Organisation outlives a campaign").
    pub(super) fn ensure_open(&self, body: &CampaignCommand) -> Result<(), CampaignError> {
        let owned = matches!(
            body,
            CampaignCommand::ChangeSettings { .. }
                | CampaignCommand::AddTaskForce { .. }
                | CampaignCommand::AddTaskForceMember { .. }
                | CampaignCommand::AddCategory { .. }
                | CampaignCommand::CloseCampaign { .. }
        );
        match self.closure() {
            Some(closure) if owned => Err(CampaignError::Closed {
                closed_at: closure.closed_at,
            }),
            _ => Ok(()),
        }
    }

    pub(super) fn close(
        &self,
        report: Uri,
        summary: Text,
        by: PersonId,
        at: DateTime<Utc>,
    ) -> CampaignEvent {
        CampaignEvent::CampaignClosed {
            report,
            summary,
            by,
            at,
        }
    }
}
