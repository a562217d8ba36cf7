//! A complaint's response as a period counts it (DOMAIN.md "Definitions", response rate):
//! complaints whose response fell due in the period and were answered before their due instant
//! ÷ those complaints; a complaint counts for the unit that had to respond at its due instant.

use chrono::{DateTime, Utc};

use super::{ComplaintRow, Marked};

/// A complaint whose response fell due in a period, as of a log position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseDue {
    pub complaint: String,
    /// The unit that had to respond at the due instant.
    pub unit: String,
    pub due: DateTime<Utc>,
    /// Answered strictly before the due instant (an act at the instant is late).
    pub in_time: bool,
    /// The receipt, the transfer that made `unit` the responder (if any) and the answer (if
    /// counted): the drill-down.
    pub positions: Vec<u64>,
}

impl ComplaintRow {
    /// The complaint's response, if it fell due in `[start, cut_off)` and its receipt is at a
    /// position ≤ `position`. Transfers and the answer count only at positions ≤ `position`.
    pub fn response_due_in(
        &self,
        start: DateTime<Utc>,
        cut_off: DateTime<Utc>,
        position: u64,
    ) -> Option<ResponseDue> {
        let received = u64::try_from(self.received_position).ok()?;
        let due = self.response_due;
        if received > position || !(start <= due && due < cut_off) {
            return None;
        }
        let mut positions = vec![received];
        let (unit, transfer) = self.responder_at(due, position);
        positions.extend(transfer);
        let in_time = match &self.answered {
            Some(answer) if answer.position <= position && answer.at < due => {
                positions.push(answer.position);
                true
            }
            _ => false,
        };
        Some(ResponseDue {
            complaint: self.complaint.clone(),
            unit: unit.to_owned(),
            due,
            in_time,
            positions,
        })
    }

    /// The unit that had to respond at `instant`, as of log position `position`: the
    /// responder at receipt, or the unit of the last transfer before `instant` (with that
    /// transfer's position).
    pub fn responder_at(&self, instant: DateTime<Utc>, position: u64) -> (&str, Option<u64>) {
        match self
            .transfers
            .iter()
            .rev()
            .find(|t| t.position <= position && t.at < instant)
        {
            Some(transfer) => (&transfer.value, Some(transfer.position)),
            None => (&self.responder, None),
        }
    }

    /// The ratings recorded in `[start, cut_off)` at positions ≤ `position`.
    pub fn ratings_in(
        &self,
        start: DateTime<Utc>,
        cut_off: DateTime<Utc>,
        position: u64,
    ) -> impl Iterator<Item = &Marked<u8>> + '_ {
        self.ratings
            .iter()
            .filter(move |r| r.position <= position && start <= r.at && r.at < cut_off)
    }
}
