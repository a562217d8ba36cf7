//! The aggregate: `handle` writes what [`Item::decide`] decided; `apply` folds each event.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;

use super::{
    Assignment, CarryOver, Closure, DeadlineOrigin, DeadlineRecord, Item, PendingExtension,
    Progress, Registration, Ruling,
};
use crate::item::commands::ItemCommand;
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::state::ItemState;
use crate::services::DomainServices;
use crate::values::Deadline;
use crate::Command;

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for Item {
    /// 2: the state keeps whether the calendar was guessed (`calendar_unknown`).
    /// 3: rulings are kept per episode, and a deadline remembers being closed late against.
    const FOLD_VERSION: u32 = 4;
}

impl Aggregate for Item {
    const TYPE: &'static str = "item";
    type Command = Command<ItemCommand>;
    type Event = ItemEvent;
    type Error = ItemError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        // The campaigns it consults, read as in force now.
        let campaigns = self.campaigns_for(&command.body);
        let services = &services
            .for_campaigns(&campaigns)
            .await
            .map_err(ItemError::Unavailable)?;
        // The organisation at its latest version: roles and membership are checked against
        // it, never against a lagging view.
        let organisation = services
            .directory
            .organisation()
            .await
            .map_err(ItemError::Unavailable)?;
        // Decide everything first: a refused command writes nothing.
        for event in self.decide(command, services, &organisation)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            ItemEvent::ItemRegistered {
                campaign,
                task_force,
                code,
                title,
                time_zone,
                yellow_after_send_backs,
                at,
                ..
            } => {
                self.state = ItemState::Registered;
                self.registration = Some(Registration {
                    campaign,
                    task_force,
                    code,
                    title,
                    time_zone,
                    yellow_after_send_backs,
                    registered_at: at,
                });
            }
            ItemEvent::ItemAssigned {
                responsible_unit,
                responsible_person,
                supervising_unit,
                deadline,
                acknowledgement_due_at,
                deadline_passes_at,
                warning_at,
                calendar_unknown,
                at,
                ..
            } => {
                self.state = ItemState::Assigned;
                self.assignment = Some(Assignment {
                    responsible_unit,
                    responsible_person,
                    supervising_unit,
                    acknowledgement_due_at,
                    calendar_unknown,
                    assigned_at: at,
                });
                self.push_deadline(
                    deadline,
                    deadline_passes_at,
                    warning_at,
                    calendar_unknown,
                    DeadlineOrigin::Assigned,
                    at,
                );
            }
            ItemEvent::ItemAcknowledged { at, .. } => {
                self.state = ItemState::InProgress;
                self.acknowledged_at = Some(at);
            }
            ItemEvent::ProgressReported { percent, at, .. } => {
                self.last_progress = Some(Progress { percent, at });
            }
            ItemEvent::ExtensionRequested {
                reason,
                requested_deadline,
                at,
                ..
            } => {
                self.pending_extension = Some(PendingExtension {
                    requested_deadline,
                    reason,
                    requested_at: at,
                });
            }
            ItemEvent::ExtensionApproved {
                new_deadline,
                deadline_passes_at,
                warning_at,
                calendar_unknown,
                extensions_approved,
                at,
                ..
            } => {
                self.pending_extension = None;
                self.extensions_approved = extensions_approved;
                self.push_deadline(
                    new_deadline,
                    deadline_passes_at,
                    warning_at,
                    calendar_unknown,
                    DeadlineOrigin::Extended,
                    at,
                );
            }
            ItemEvent::ExtensionDenied { .. } => self.pending_extension = None,
            ItemEvent::SignOffRequested { indicators, at, .. } => {
                self.state = ItemState::PendingSignOff;
                self.sign_off_requested_at = Some(at);
                self.sign_off_indicators = indicators;
            }
            ItemEvent::SignOffRejected { send_backs, .. } => {
                self.state = ItemState::InProgress;
                self.sign_off_requested_at = None;
                self.sign_off_indicators = None;
                self.send_backs = send_backs;
            }
            ItemEvent::ItemClosed {
                on_time,
                after_original_deadline,
                reinspection_due_at,
                outcome,
                by,
                at,
                ..
            } => {
                self.state = ItemState::Closed;
                self.pending_extension = None;
                self.sign_off_indicators = None;
                if let Some(outcome) = outcome {
                    // `decide` checked the sum fits; a fold never fails.
                    self.outcome = self.outcome.checked_add(outcome).unwrap_or(self.outcome);
                }
                if !on_time {
                    if let Some(current) = self.deadlines.last_mut() {
                        current.closed_late = true;
                    }
                }
                self.closure = Some(Closure {
                    at,
                    on_time,
                    after_original_deadline,
                    reinspection_due_at,
                    verified_by: by,
                    reinspection_due_recorded: false,
                    reinspected: false,
                });
            }
            ItemEvent::ReinspectionPassed { .. } => {
                if let Some(closure) = self.closure.as_mut() {
                    closure.reinspected = true;
                }
            }
            ItemEvent::ReinspectionDueRecorded { .. } => {
                if let Some(closure) = self.closure.as_mut() {
                    closure.reinspection_due_recorded = true;
                }
            }
            ItemEvent::ItemReopened {
                new_deadline,
                acknowledgement_due_at,
                deadline_passes_at,
                warning_at,
                calendar_unknown,
                relapses,
                at,
                ..
            } => {
                self.state = ItemState::Reopened;
                self.relapses = relapses;
                self.sign_off_requested_at = None;
                self.acknowledged_at = None;
                self.acknowledgement_overdue_recorded = false;
                if let Some(assignment) = self.assignment.as_mut() {
                    assignment.acknowledgement_due_at = acknowledgement_due_at;
                    assignment.calendar_unknown = calendar_unknown;
                }
                self.push_deadline(
                    new_deadline,
                    deadline_passes_at,
                    warning_at,
                    calendar_unknown,
                    DeadlineOrigin::Reopened,
                    at,
                );
            }
            ItemEvent::ItemReassigned {
                responsible_unit,
                responsible_person,
                acknowledgement_due_at,
                calendar_unknown,
                at,
                ..
            } => {
                self.state = ItemState::Assigned;
                self.sign_off_requested_at = None;
                self.sign_off_indicators = None;
                self.acknowledged_at = None;
                self.acknowledgement_overdue_recorded = false;
                if let Some(assignment) = self.assignment.as_mut() {
                    assignment.responsible_unit = responsible_unit;
                    assignment.responsible_person = responsible_person;
                    assignment.acknowledgement_due_at = acknowledgement_due_at;
                    assignment.calendar_unknown = calendar_unknown;
                    assignment.assigned_at = at;
                }
            }
            ItemEvent::ItemWithdrawn { .. } => {
                self.state = ItemState::Withdrawn;
                self.pending_extension = None;
            }
            ItemEvent::AcknowledgementOverdueRecorded { .. } => {
                self.acknowledgement_overdue_recorded = true;
            }
            ItemEvent::DeadlineWarningRecorded { .. } => {
                if let Some(current) = self.deadlines.last_mut() {
                    current.warning_recorded = true;
                }
            }
            ItemEvent::ItemBecameOverdue { .. } => {
                self.overdue_count += 1;
                if let Some(current) = self.deadlines.last_mut() {
                    current.overdue_recorded = true;
                }
            }
            ItemEvent::FaultToleranceRuled {
                episode,
                cause,
                decision,
                reason,
                by,
                at,
            } => {
                self.rulings.push(Ruling {
                    episode,
                    cause,
                    decision,
                    reason,
                    ruled_by: by,
                    at,
                });
            }
            ItemEvent::InstructionRecorded { .. } | ItemEvent::ItemUrged { .. } => {}
            ItemEvent::ItemCarriedOver {
                from,
                to,
                task_force,
                reason,
                by,
                at,
            } => {
                if let Some(registration) = self.registration.as_mut() {
                    let from_task_force =
                        std::mem::replace(&mut registration.task_force, task_force);
                    registration.campaign = to.clone();
                    self.carry_overs.push(CarryOver {
                        from,
                        to,
                        from_task_force,
                        reason,
                        by,
                        at,
                    });
                }
            }
            ItemEvent::OutcomeRecorded { totals, .. }
            | ItemEvent::OutcomeCorrected { totals, .. } => self.outcome = totals,
        }
    }
}

impl Item {
    fn push_deadline(
        &mut self,
        deadline: Deadline,
        passes_at: DateTime<Utc>,
        warning_at: DateTime<Utc>,
        calendar_unknown: bool,
        origin: DeadlineOrigin,
        set_at: DateTime<Utc>,
    ) {
        self.deadlines.push(DeadlineRecord {
            deadline,
            passes_at,
            warning_at,
            calendar_unknown,
            origin,
            set_at,
            warning_recorded: false,
            overdue_recorded: false,
            closed_late: false,
        });
    }
}
