//! What each event after the registration changes on a ledger row.

use chrono::{DateTime, Utc};
use rectiflow_domain::item::{ItemEvent, ItemState};
use rectiflow_domain::values::Deadline;

use super::{rulings, EpisodeRuling, ItemEntry};

impl ItemEntry {
    /// A new deadline is in force (assigned, extended or reopened): the next episode, on time
    /// until it passes.
    fn set_deadline(
        &mut self,
        deadline: Deadline,
        passes_at: DateTime<Utc>,
        warning_at: DateTime<Utc>,
    ) {
        self.original_deadline.get_or_insert(deadline);
        self.deadline = Some(deadline);
        self.deadline_number += 1;
        self.deadline_passes_at = Some(passes_at);
        self.warning_at = Some(warning_at);
        self.overdue = false;
    }

    fn set_outcome(&mut self, totals: rectiflow_domain::values::OutcomeTotals) {
        self.funds_recovered = totals.funds_recovered;
        self.people_affected = i64::from(totals.people_affected);
        self.subsidies_returned = totals.subsidies_returned;
    }
}

/// What one event after the registration changes. The states follow the aggregate's own.
pub(super) fn apply(mut entry: ItemEntry, event: ItemEvent) -> ItemEntry {
    match event {
        ItemEvent::ItemAssigned {
            responsible_unit,
            responsible_person,
            supervising_unit,
            deadline,
            acknowledgement_due_at,
            deadline_passes_at,
            warning_at,
            ..
        } => {
            entry.state = ItemState::Assigned;
            entry.responsible_unit = Some(responsible_unit.as_str().to_owned());
            entry.responsible_person = Some(responsible_person.as_str().to_owned());
            entry.supervising_unit = Some(supervising_unit.as_str().to_owned());
            entry.acknowledgement_due_at = Some(acknowledgement_due_at);
            entry.set_deadline(deadline, deadline_passes_at, warning_at);
        }
        ItemEvent::ItemAcknowledged { at, .. } => {
            entry.state = ItemState::InProgress;
            entry.acknowledged_at = Some(at);
        }
        ItemEvent::AcknowledgementOverdueRecorded { .. } => entry.acknowledgement_late = true,
        ItemEvent::ProgressReported { percent, at, .. } => {
            entry.last_progress_percent = Some(percent);
            entry.last_progress_at = Some(at);
        }
        ItemEvent::ExtensionApproved {
            new_deadline,
            deadline_passes_at,
            warning_at,
            extensions_approved,
            ..
        } => {
            // A new deadline is in force: the item is overdue again only when it passes.
            entry.set_deadline(new_deadline, deadline_passes_at, warning_at);
            entry.extensions = i64::from(extensions_approved);
            entry.extension_requested_at = None;
            entry.extension_requested_to = None;
        }
        ItemEvent::SignOffRequested { at, .. } => {
            entry.state = ItemState::PendingSignOff;
            entry.sign_off_requested_at = Some(at);
        }
        ItemEvent::SignOffRejected { send_backs, .. } => {
            entry.state = ItemState::InProgress;
            entry.send_backs = i64::from(send_backs);
        }
        ItemEvent::ItemClosed {
            on_time,
            after_original_deadline,
            reinspection_due_at,
            outcome,
            at,
            ..
        } => {
            entry.state = ItemState::Closed;
            entry.closed_at = Some(at);
            entry.closed_on_time = Some(on_time);
            entry.closed_after_original_deadline = Some(after_original_deadline);
            entry.reinspection_due_at = Some(reinspection_due_at);
            if let Some(outcome) = outcome {
                // As the aggregate: `decide` checked the sum fits; a fold never fails.
                let totals = rectiflow_domain::values::OutcomeTotals {
                    funds_recovered: entry.funds_recovered,
                    people_affected: u32::try_from(entry.people_affected).unwrap_or(u32::MAX),
                    subsidies_returned: entry.subsidies_returned,
                };
                entry.set_outcome(totals.checked_add(outcome).unwrap_or(totals));
            }
        }
        ItemEvent::ItemReopened {
            new_deadline,
            acknowledgement_due_at,
            deadline_passes_at,
            warning_at,
            relapses,
            ..
        } => {
            // A relapse: a new deadline and a new 签收 window; the closure no longer stands.
            entry.state = ItemState::Reopened;
            entry.set_deadline(new_deadline, deadline_passes_at, warning_at);
            entry.acknowledgement_due_at = Some(acknowledgement_due_at);
            entry.acknowledged_at = None;
            entry.acknowledgement_late = false;
            entry.relapses = i64::from(relapses);
            entry.closed_at = None;
            entry.closed_on_time = None;
            entry.closed_after_original_deadline = None;
        }
        ItemEvent::ItemReassigned {
            responsible_unit,
            responsible_person,
            acknowledgement_due_at,
            ..
        } => {
            // 改派: the deadline stays; the new unit must acknowledge in a new window.
            entry.state = ItemState::Assigned;
            entry.responsible_unit = Some(responsible_unit.as_str().to_owned());
            entry.responsible_person = Some(responsible_person.as_str().to_owned());
            entry.acknowledgement_due_at = Some(acknowledgement_due_at);
            entry.acknowledged_at = None;
            entry.acknowledgement_late = false;
        }
        ItemEvent::ItemWithdrawn { at, .. } => {
            entry.state = ItemState::Withdrawn;
            entry.withdrawn_at = Some(at);
        }
        ItemEvent::ItemCarriedOver {
            from,
            to,
            task_force,
            ..
        } => {
            // 结转: the same row (the code stays), now in the later campaign.
            entry.carried_over_from = Some(from.as_str().to_owned());
            entry.campaign = to.as_str().to_owned();
            entry.task_force = task_force.as_str().to_owned();
        }
        ItemEvent::ItemBecameOverdue { deadline, .. } => {
            // Only the deadline in force makes the item overdue now (a fact recorded late for
            // an earlier deadline stays history).
            if entry.deadline == Some(deadline) {
                entry.overdue = true;
            }
        }
        ItemEvent::FaultToleranceRuled {
            episode,
            cause,
            decision,
            at,
            ..
        } => rulings::record(
            &mut entry.rulings,
            EpisodeRuling {
                episode,
                cause,
                decision,
                at,
            },
        ),
        ItemEvent::OutcomeRecorded { totals, .. } | ItemEvent::OutcomeCorrected { totals, .. } => {
            entry.set_outcome(totals);
        }
        ItemEvent::ExtensionRequested {
            requested_deadline,
            at,
            ..
        } => {
            entry.extension_requested_at = Some(at);
            entry.extension_requested_to = Some(requested_deadline);
        }
        ItemEvent::ExtensionDenied { .. } => {
            entry.extension_requested_at = None;
            entry.extension_requested_to = None;
        }
        // Handled by the fold itself (a registration starts a row afresh), or not shown.
        ItemEvent::ItemRegistered { .. }
        | ItemEvent::ReinspectionPassed { .. }
        | ItemEvent::ReinspectionDueRecorded { .. }
        | ItemEvent::DeadlineWarningRecorded { .. }
        | ItemEvent::InstructionRecorded { .. }
        | ItemEvent::ItemUrged { .. } => {}
    }
    entry
}
