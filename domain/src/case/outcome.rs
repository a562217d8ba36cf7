//! 成效指标 of a case: funds recovered, people affected, subsidies returned (DOMAIN.md:
//! 将反腐成果转化为民生改善的具体指标).
//!
//! As on items, each record is a fact with its own evidence (佐证) and adds to the case's
//! totals; a record entered wrongly is offset by a correction with a reason, never below zero.
//! Only a case opened (立案) records them — a clue is not yet a finding — and a closed or
//! published case still does: recoveries ordered by a court often come after 结案.

use chrono::{DateTime, Utc};

use super::aggregate::{Case, CaseStatus};
use super::errors::CaseError;
use super::events::CaseEvent;
use crate::values::{EvidenceRef, OutcomeIndicators, PersonId, Text};

impl Case {
    fn require_opened(&self, request: &'static str) -> Result<(), CaseError> {
        match self.status {
            CaseStatus::Open | CaseStatus::Closed | CaseStatus::Published => Ok(()),
            CaseStatus::None | CaseStatus::ClueRegistered | CaseStatus::ClueDismissed => {
                Err(self.refuse(request))
            }
        }
    }

    pub(super) fn record_outcome(
        &self,
        indicators: OutcomeIndicators,
        evidence: Vec<EvidenceRef>,
        request: &'static str,
        (by, at): (PersonId, DateTime<Utc>),
    ) -> Result<CaseEvent, CaseError> {
        self.require_opened(request)?;
        if evidence.is_empty() {
            return Err(CaseError::EvidenceRequired);
        }
        let totals = self
            .outcome
            .checked_add(indicators)
            .ok_or(CaseError::OutcomeOverflow)?;
        Ok(CaseEvent::OutcomeRecorded {
            indicators,
            evidence,
            totals,
            by,
            at,
        })
    }

    pub(super) fn correct_outcome(
        &self,
        deduct: OutcomeIndicators,
        reason: Text,
        request: &'static str,
        (by, at): (PersonId, DateTime<Utc>),
    ) -> Result<CaseEvent, CaseError> {
        self.require_opened(request)?;
        let totals =
            self.outcome
                .checked_sub(deduct)
                .ok_or(CaseError::CorrectionExceedsTotals {
                    totals: self.outcome,
                    correction: deduct,
                })?;
        Ok(CaseEvent::OutcomeCorrected {
            deducted: deduct,
            reason,
            totals,
            by,
            at,
        })
    }
}
