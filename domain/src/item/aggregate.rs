//! The item aggregate: every decision in [`Item::decide`], state folding in `apply`.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use super::commands::{
    AssignItem, FaultCause, FaultDecision, ItemCommand, ItemRequest, RegisterItem,
    ReinspectionOutcome, SignOffElement, SignOffRequest,
};
use super::errors::ItemError;
use super::events::ItemEvent;
use super::state::{Colour, ItemState};
use crate::calendar::{add_working_days, sub_working_days, WorkingCalendar};
use crate::services::DomainServices;
use crate::settings::CampaignSettings;
use crate::values::{
    local_date, local_start_of_day, CampaignId, Deadline, ItemCode, Percent, PersonId, TaskForceId,
    Text, UnitId,
};
use crate::Command;

/// An item of the issue list (问题清单) as folded from its events. `Default` is "not
/// registered yet". The accessors are what projections and the HTTP layer read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    state: ItemState,
    registration: Option<Registration>,
    assignment: Option<Assignment>,
    /// Every deadline the item had, the original first and the one in force last (every
    /// deadline change is kept).
    deadlines: Vec<DeadlineRecord>,
    acknowledged_at: Option<DateTime<Utc>>,
    acknowledgement_overdue_recorded: bool,
    last_progress: Option<Progress>,
    pending_extension: Option<PendingExtension>,
    extensions_approved: u32,
    sign_off_requested_at: Option<DateTime<Utc>>,
    send_backs: u32,
    closure: Option<Closure>,
    relapses: u32,
    overdue_count: u32,
    ruling: Option<Ruling>,
}

/// What registration fixed for the item's whole life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registration {
    pub campaign: CampaignId,
    pub task_force: TaskForceId,
    pub code: ItemCode,
    pub title: Text,
    pub supervising_unit: Option<UnitId>,
    pub time_zone: Tz,
    pub yellow_after_send_backs: u32,
    pub registered_at: DateTime<Utc>,
}

/// Who answers for the item (责任单位, 责任人) and who supervises it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub responsible_unit: UnitId,
    pub responsible_person: PersonId,
    pub supervising_unit: UnitId,
    /// The 签收 due instant of the current assignment or reopening.
    pub acknowledgement_due_at: DateTime<Utc>,
    pub assigned_at: DateTime<Utc>,
}

/// How a deadline came to be in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineOrigin {
    Assigned,
    Extended,
    Reopened,
}

/// One deadline of the item with the instants computed when it was set, and which deadline
/// facts were recorded against it (each at most once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadlineRecord {
    pub deadline: Deadline,
    pub passes_at: DateTime<Utc>,
    pub warning_at: DateTime<Utc>,
    pub origin: DeadlineOrigin,
    pub set_at: DateTime<Utc>,
    pub warning_recorded: bool,
    pub overdue_recorded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub percent: Percent,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingExtension {
    pub requested_deadline: Deadline,
    pub reason: Text,
    pub requested_at: DateTime<Utc>,
}

/// The latest sign-off (销号).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closure {
    pub at: DateTime<Utc>,
    pub on_time: bool,
    pub after_original_deadline: bool,
    pub reinspection_due_at: DateTime<Utc>,
    pub verified_by: PersonId,
}

/// The latest fault-tolerance ruling (容错纠错).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ruling {
    pub cause: FaultCause,
    pub decision: FaultDecision,
    pub reason: Text,
    pub ruled_by: PersonId,
    pub at: DateTime<Utc>,
}

// ---- read accessors -------------------------------------------------------------------------

impl Item {
    pub fn state(&self) -> ItemState {
        self.state
    }

    pub fn registration(&self) -> Option<&Registration> {
        self.registration.as_ref()
    }

    pub fn code(&self) -> Option<&ItemCode> {
        self.registration.as_ref().map(|r| &r.code)
    }

    pub fn campaign(&self) -> Option<&CampaignId> {
        self.registration.as_ref().map(|r| &r.campaign)
    }

    pub fn assignment(&self) -> Option<&Assignment> {
        self.assignment.as_ref()
    }

    pub fn responsible_unit(&self) -> Option<&UnitId> {
        self.assignment.as_ref().map(|a| &a.responsible_unit)
    }

    pub fn responsible_person(&self) -> Option<&PersonId> {
        self.assignment.as_ref().map(|a| &a.responsible_person)
    }

    /// Every deadline the item had, oldest first.
    pub fn deadlines(&self) -> &[DeadlineRecord] {
        &self.deadlines
    }

    /// The deadline in force (the latest set), with its instants.
    pub fn current_deadline(&self) -> Option<&DeadlineRecord> {
        self.deadlines.last()
    }

    pub fn deadline_in_force(&self) -> Option<Deadline> {
        self.deadlines.last().map(|d| d.deadline)
    }

    /// The deadline set at assignment; "closed after the original deadline" refers to it.
    pub fn original_deadline(&self) -> Option<Deadline> {
        self.deadlines.first().map(|d| d.deadline)
    }

    pub fn acknowledged_at(&self) -> Option<DateTime<Utc>> {
        self.acknowledged_at
    }

    pub fn acknowledgement_overdue_recorded(&self) -> bool {
        self.acknowledgement_overdue_recorded
    }

    pub fn last_progress(&self) -> Option<&Progress> {
        self.last_progress.as_ref()
    }

    pub fn pending_extension(&self) -> Option<&PendingExtension> {
        self.pending_extension.as_ref()
    }

    pub fn extensions_approved(&self) -> u32 {
        self.extensions_approved
    }

    /// 退回补正 count: how often a sign-off request was sent back.
    pub fn send_backs(&self) -> u32 {
        self.send_backs
    }

    pub fn closure(&self) -> Option<&Closure> {
        self.closure.as_ref()
    }

    /// 回头看 relapses.
    pub fn relapses(&self) -> u32 {
        self.relapses
    }

    /// Overdue facts recorded over all the item's deadlines.
    pub fn overdue_count(&self) -> u32 {
        self.overdue_count
    }

    /// Whether the overdue fact was recorded for the deadline in force.
    pub fn is_overdue(&self) -> bool {
        self.deadlines.last().is_some_and(|d| d.overdue_recorded)
    }

    pub fn ruling(&self) -> Option<&Ruling> {
        self.ruling.as_ref()
    }

    /// 免责: the item does not count against its unit.
    pub fn is_exempt(&self) -> bool {
        self.ruling
            .as_ref()
            .is_some_and(|r| r.decision == FaultDecision::Exempt)
    }

    /// 减轻: the item counts against its unit with the campaign's mitigation factor.
    pub fn is_mitigated(&self) -> bool {
        self.ruling
            .as_ref()
            .is_some_and(|r| r.decision == FaultDecision::Mitigate)
    }

    /// The warning colour at `now`, with the send-back threshold recorded at registration.
    pub fn colour(&self, now: DateTime<Utc>) -> Colour {
        let threshold = self
            .registration
            .as_ref()
            .map_or(u32::MAX, |r| r.yellow_after_send_backs);
        self.colour_with(now, threshold)
    }

    /// The warning colour at `now` (derived, never stored):
    /// - closed, withdrawn or unassigned items are green;
    /// - red when overdue for the deadline in force: the fact was recorded, or `now` is past
    ///   the instant the deadline passes (the scheduler may lag; the colour should not);
    /// - yellow inside the warning window or after `yellow_after_send_backs` send-backs;
    /// - green otherwise.
    pub fn colour_with(&self, now: DateTime<Utc>, yellow_after_send_backs: u32) -> Colour {
        if !self.state.has_running_deadline() {
            return Colour::Green;
        }
        let Some(deadline) = self.deadlines.last() else {
            return Colour::Green;
        };
        if deadline.overdue_recorded || now >= deadline.passes_at {
            Colour::Red
        } else if now >= deadline.warning_at || self.send_backs >= yellow_after_send_backs {
            Colour::Yellow
        } else {
            Colour::Green
        }
    }
}

// ---- decisions ------------------------------------------------------------------------------

/// The instant a deadline passes and the instant its warning window opens: the start of the
/// local day `warning_days` working days before the deadline date, but never before `set_at`,
/// the moment the deadline is set — a short deadline cannot have been "in its warning window"
/// before it existed, so the warning fact never predates the deadline it warns about.
fn deadline_instants(
    calendar: &dyn WorkingCalendar,
    tz: Tz,
    deadline: Deadline,
    warning_days: u32,
    set_at: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let passes_at = deadline.passes_at(tz);
    let warning_day = sub_working_days(calendar, deadline.date(), warning_days);
    (passes_at, local_start_of_day(warning_day, tz).max(set_at))
}

/// 签收 due instant: 24:00 local of the `days`-th working day after the local date of `at`.
fn acknowledgement_due(
    calendar: &dyn WorkingCalendar,
    tz: Tz,
    at: DateTime<Utc>,
    days: u32,
) -> DateTime<Utc> {
    Deadline::new(add_working_days(calendar, local_date(at, tz), days)).passes_at(tz)
}

fn plus_days(at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    at.checked_add_signed(Duration::days(i64::from(days)))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

const UNIT_SIDE_ACK: &[ItemState] = &[ItemState::Assigned, ItemState::Reopened];
const RUNNING: &[ItemState] = &[
    ItemState::Assigned,
    ItemState::InProgress,
    ItemState::PendingSignOff,
    ItemState::Reopened,
];
const OPEN: &[ItemState] = &[
    ItemState::Registered,
    ItemState::Assigned,
    ItemState::InProgress,
    ItemState::PendingSignOff,
    ItemState::Reopened,
];

impl Item {
    /// Decides what a command makes happen, or why it is refused. Pure: it changes nothing,
    /// so a refused command emits nothing. `stamp.at` is "now", `stamp.actor` is who acts.
    pub fn decide(
        &self,
        command: Command<ItemCommand>,
        services: &DomainServices,
    ) -> Result<Vec<ItemEvent>, ItemError> {
        let request = command.body.request();
        let Command { stamp, body } = command;
        let (by, at) = (stamp.actor, stamp.at);
        // Facts that became true before this command and must be recorded ahead of its own
        // event (a late 签收, a deadline that passed before the item moved on). Discarded when
        // the command is refused, like everything else.
        let mut facts: Vec<ItemEvent> = Vec::new();
        let event = match body {
            ItemCommand::Register(register) => self.register(register, services, by, at)?,
            ItemCommand::Assign(assign) => self.assign(assign, services, by, at)?,
            ItemCommand::Acknowledge => {
                self.require(request, UNIT_SIDE_ACK)?;
                self.ensure_unit_side(&by, request, services)?;
                let due = self.assignment.as_ref().map(|a| a.acknowledgement_due_at);
                let late = due.filter(|due| at >= *due);
                // The overdue 签收 is a fact recorded exactly once, whichever comes first:
                // the scheduler's RecordAcknowledgementOverdue or the unit's late 签收.
                if let Some(due) = late {
                    if !self.acknowledgement_overdue_recorded {
                        facts.push(ItemEvent::AcknowledgementOverdueRecorded {
                            effective_at: due,
                            by: by.clone(),
                            at,
                        });
                    }
                }
                ItemEvent::ItemAcknowledged {
                    late: late.is_some(),
                    by,
                    at,
                }
            }
            ItemCommand::ReportProgress {
                text,
                percent,
                evidence,
            } => {
                self.require(request, &[ItemState::InProgress])?;
                self.ensure_unit_side(&by, request, services)?;
                ItemEvent::ProgressReported {
                    text,
                    percent,
                    evidence,
                    by,
                    at,
                }
            }
            ItemCommand::RequestExtension {
                reason,
                new_deadline,
            } => {
                self.require(request, &[ItemState::InProgress])?;
                self.ensure_unit_side(&by, request, services)?;
                if self.pending_extension.is_some() {
                    return Err(ItemError::ExtensionPending);
                }
                let current = self.running_deadline(request)?;
                if at >= current.passes_at {
                    return Err(ItemError::DeadlinePassed {
                        deadline: current.deadline,
                        passed_at: current.passes_at,
                    });
                }
                if new_deadline <= current.deadline {
                    return Err(ItemError::ExtensionNotLater {
                        requested: new_deadline,
                        in_force: current.deadline,
                    });
                }
                let settings = self.settings(services)?;
                if self.extensions_approved >= settings.max_extensions {
                    return Err(ItemError::ExtensionLimitReached {
                        limit: settings.max_extensions,
                    });
                }
                ItemEvent::ExtensionRequested {
                    reason,
                    current_deadline: current.deadline,
                    requested_deadline: new_deadline,
                    by,
                    at,
                }
            }
            ItemCommand::ApproveExtension { note } => {
                self.require(request, &[ItemState::InProgress, ItemState::PendingSignOff])?;
                let pending = self
                    .pending_extension
                    .as_ref()
                    .ok_or(ItemError::NoExtensionPending)?;
                self.ensure_outside_unit(&by, request, services)?;
                let settings = self.settings(services)?;
                if self.extensions_approved >= settings.max_extensions {
                    return Err(ItemError::ExtensionLimitReached {
                        limit: settings.max_extensions,
                    });
                }
                let current = self.running_deadline(request)?;
                let tz = self.time_zone();
                let (passes_at, warning_at) = deadline_instants(
                    services.calendar.as_ref(),
                    tz,
                    pending.requested_deadline,
                    settings.warning_working_days,
                    at,
                );
                if at >= passes_at {
                    return Err(ItemError::DeadlinePassed {
                        deadline: pending.requested_deadline,
                        passed_at: passes_at,
                    });
                }
                facts.extend(self.overdue_catch_up(&by, at));
                ItemEvent::ExtensionApproved {
                    previous_deadline: current.deadline,
                    new_deadline: pending.requested_deadline,
                    deadline_passes_at: passes_at,
                    warning_at,
                    extensions_approved: self.extensions_approved + 1,
                    note,
                    by,
                    at,
                }
            }
            ItemCommand::DenyExtension { reason } => {
                self.require(request, &[ItemState::InProgress, ItemState::PendingSignOff])?;
                let pending = self
                    .pending_extension
                    .as_ref()
                    .ok_or(ItemError::NoExtensionPending)?;
                self.ensure_outside_unit(&by, request, services)?;
                ItemEvent::ExtensionDenied {
                    requested_deadline: pending.requested_deadline,
                    reason,
                    by,
                    at,
                }
            }
            ItemCommand::RequestSignOff(sign_off) => {
                self.require(request, &[ItemState::InProgress])?;
                self.ensure_unit_side(&by, request, services)?;
                sign_off_requested(sign_off, by, at)?
            }
            ItemCommand::VerifySignOff { note } => {
                self.require(request, &[ItemState::PendingSignOff])?;
                self.ensure_outside_unit(&by, request, services)?;
                let settings = self.settings(services)?;
                let current = self.running_deadline(request)?;
                let original = self.deadlines.first().unwrap_or(current);
                facts.extend(self.overdue_catch_up(&by, at));
                ItemEvent::ItemClosed {
                    deadline_in_force: current.deadline,
                    original_deadline: original.deadline,
                    on_time: at < current.passes_at,
                    after_original_deadline: at >= original.passes_at,
                    sign_off_requested_at: self.sign_off_requested_at.unwrap_or(at),
                    reinspection_due_at: plus_days(at, settings.reinspection_days),
                    note,
                    by,
                    at,
                }
            }
            ItemCommand::RejectSignOff { reasons } => {
                self.require(request, &[ItemState::PendingSignOff])?;
                self.ensure_outside_unit(&by, request, services)?;
                if reasons.is_empty() {
                    return Err(ItemError::ReasonsRequired);
                }
                ItemEvent::SignOffRejected {
                    reasons,
                    send_backs: self.send_backs + 1,
                    by,
                    at,
                }
            }
            ItemCommand::RecordReinspection(outcome) => {
                self.require(request, &[ItemState::Closed])?;
                self.ensure_outside_unit(&by, request, services)?;
                // Refused below if the new deadline already passed; the facts go with it.
                facts.extend(self.overdue_catch_up(&by, at));
                match outcome {
                    ReinspectionOutcome::Passed { findings } => {
                        ItemEvent::ReinspectionPassed { findings, by, at }
                    }
                    ReinspectionOutcome::Relapsed {
                        findings,
                        new_deadline,
                    } => {
                        let settings = self.settings(services)?;
                        let tz = self.time_zone();
                        let calendar = services.calendar.as_ref();
                        let (passes_at, warning_at) = deadline_instants(
                            calendar,
                            tz,
                            new_deadline,
                            settings.warning_working_days,
                            at,
                        );
                        if at >= passes_at {
                            return Err(ItemError::DeadlinePassed {
                                deadline: new_deadline,
                                passed_at: passes_at,
                            });
                        }
                        ItemEvent::ItemReopened {
                            findings,
                            new_deadline,
                            acknowledgement_due_at: acknowledgement_due(
                                calendar,
                                tz,
                                at,
                                settings.acknowledgement_working_days,
                            ),
                            deadline_passes_at: passes_at,
                            warning_at,
                            relapses: self.relapses + 1,
                            by,
                            at,
                        }
                    }
                }
            }
            ItemCommand::Withdraw { ground, reason } => {
                self.require(request, OPEN)?;
                if self.assignment.is_some() {
                    self.ensure_outside_unit(&by, request, services)?;
                }
                facts.extend(self.overdue_catch_up(&by, at));
                ItemEvent::ItemWithdrawn {
                    ground,
                    reason,
                    by,
                    at,
                }
            }
            ItemCommand::RecordAcknowledgementOverdue => {
                self.require(request, UNIT_SIDE_ACK)?;
                if self.acknowledgement_overdue_recorded {
                    return Err(ItemError::AlreadyRecorded { request });
                }
                let due = self
                    .assignment
                    .as_ref()
                    .map(|a| a.acknowledgement_due_at)
                    .ok_or(ItemError::InvalidTransition {
                        state: self.state,
                        request,
                    })?;
                if at < due {
                    return Err(ItemError::NotYetDue { due_at: due });
                }
                ItemEvent::AcknowledgementOverdueRecorded {
                    effective_at: due,
                    by,
                    at,
                }
            }
            ItemCommand::RecordDeadlineWarning => {
                self.require(request, RUNNING)?;
                let current = self.running_deadline(request)?;
                if current.warning_recorded {
                    return Err(ItemError::AlreadyRecorded { request });
                }
                // Stored clamped since the fix; clamped again for deadlines set before it.
                let opens_at = current.warning_at.max(current.set_at);
                if at < opens_at {
                    return Err(ItemError::NotYetDue { due_at: opens_at });
                }
                if at >= current.passes_at {
                    return Err(ItemError::OutsideWarningWindow {
                        opens_at,
                        closes_at: current.passes_at,
                    });
                }
                ItemEvent::DeadlineWarningRecorded {
                    deadline: current.deadline,
                    effective_at: opens_at,
                    deadline_passes_at: current.passes_at,
                    by,
                    at,
                }
            }
            ItemCommand::RecordOverdue => {
                self.require(request, RUNNING)?;
                let current = self.running_deadline(request)?;
                if current.overdue_recorded {
                    return Err(ItemError::AlreadyRecorded { request });
                }
                if at < current.passes_at {
                    return Err(ItemError::NotYetDue {
                        due_at: current.passes_at,
                    });
                }
                ItemEvent::ItemBecameOverdue {
                    deadline: current.deadline,
                    effective_at: current.passes_at,
                    by,
                    at,
                }
            }
            ItemCommand::RuleFaultTolerance {
                cause,
                decision,
                reason,
            } => {
                self.require(
                    request,
                    &[
                        ItemState::Assigned,
                        ItemState::InProgress,
                        ItemState::PendingSignOff,
                        ItemState::Closed,
                        ItemState::Reopened,
                    ],
                )?;
                // Overdue, relapsed, or closed late (逾期销号): a late closure is a failure to
                // meet the deadline even if no overdue fact was ever recorded for it.
                let closed_late = self.closure.as_ref().is_some_and(|c| !c.on_time);
                if self.overdue_count == 0 && self.relapses == 0 && !closed_late {
                    return Err(ItemError::RulingNotApplicable);
                }
                self.ensure_outside_unit(&by, request, services)?;
                ItemEvent::FaultToleranceRuled {
                    cause,
                    decision,
                    reason,
                    by,
                    at,
                }
            }
            ItemCommand::RecordInstruction { text, by: leader } => {
                if self.state == ItemState::NotRegistered {
                    return Err(ItemError::NotFound { request });
                }
                ItemEvent::InstructionRecorded {
                    text,
                    instructed_by: leader,
                    by,
                    at,
                }
            }
            ItemCommand::Urge { unit, text } => {
                self.require(request, RUNNING)?;
                let involved = self
                    .assignment
                    .as_ref()
                    .is_some_and(|a| a.responsible_unit == unit || a.supervising_unit == unit);
                if !involved {
                    return Err(ItemError::UnitNotInvolved(unit));
                }
                ItemEvent::ItemUrged { unit, text, by, at }
            }
        };
        facts.push(event);
        Ok(facts)
    }

    /// 逾期 catch-up: the overdue fact of the deadline in force, when it is due and not yet
    /// recorded, to be written BEFORE an event that moves the deadline or ends the item
    /// (sign-off, extension, withdrawal, re-inspection). Otherwise a command handled after the
    /// deadline passed but before the scheduler ran would make the fact impossible to record,
    /// and the item could never be ruled on (容错纠错). It is due when
    /// - the item runs against the deadline and `at` is at or after the instant it passes, or
    /// - the item was closed late (a stream written before this catch-up existed).
    ///
    /// `effective_at` is the instant the deadline passed, `at` the command's stamp.
    fn overdue_catch_up(&self, by: &PersonId, at: DateTime<Utc>) -> Option<ItemEvent> {
        let current = self.deadlines.last()?;
        if current.overdue_recorded {
            return None;
        }
        let passed = if self.state.has_running_deadline() {
            at >= current.passes_at
        } else {
            self.state == ItemState::Closed && self.closure.as_ref().is_some_and(|c| !c.on_time)
        };
        passed.then(|| ItemEvent::ItemBecameOverdue {
            deadline: current.deadline,
            effective_at: current.passes_at,
            by: by.clone(),
            at,
        })
    }

    fn register(
        &self,
        register: RegisterItem,
        services: &DomainServices,
        by: PersonId,
        at: DateTime<Utc>,
    ) -> Result<ItemEvent, ItemError> {
        if self.state != ItemState::NotRegistered {
            return Err(ItemError::AlreadyRegistered);
        }
        let settings = services
            .settings
            .settings(&register.campaign)
            .ok_or_else(|| ItemError::UnknownCampaign(register.campaign.clone()))?;
        let RegisterItem {
            campaign,
            task_force,
            code,
            title,
            description,
            category,
            source,
            source_ref,
            severity,
            supervising_unit,
        } = register;
        Ok(ItemEvent::ItemRegistered {
            campaign,
            task_force,
            code,
            title,
            description,
            category,
            source,
            source_ref,
            severity,
            supervising_unit,
            time_zone: settings.time_zone,
            yellow_after_send_backs: settings.yellow_after_send_backs,
            by,
            at,
        })
    }

    fn assign(
        &self,
        assign: AssignItem,
        services: &DomainServices,
        by: PersonId,
        at: DateTime<Utc>,
    ) -> Result<ItemEvent, ItemError> {
        self.require(ItemRequest::Assign, &[ItemState::Registered])?;
        let settings = self.settings(services)?;
        let AssignItem {
            responsible_unit,
            responsible_person,
            supervising_unit,
            deadline,
            measures,
            milestones,
        } = assign;
        let tz = self.time_zone();
        let calendar = services.calendar.as_ref();
        let (passes_at, warning_at) =
            deadline_instants(calendar, tz, deadline, settings.warning_working_days, at);
        if at >= passes_at {
            return Err(ItemError::DeadlinePassed {
                deadline,
                passed_at: passes_at,
            });
        }
        if let Some(late) = milestones.iter().find(|m| m.date > deadline.date()) {
            return Err(ItemError::MilestoneAfterDeadline {
                milestone: late.date,
                deadline,
            });
        }
        if !services
            .directory
            .is_member(&responsible_unit, &responsible_person)
        {
            return Err(ItemError::PersonNotInUnit {
                person: responsible_person,
                unit: responsible_unit,
            });
        }
        Ok(ItemEvent::ItemAssigned {
            responsible_unit,
            responsible_person,
            supervising_unit,
            deadline,
            measures,
            milestones,
            acknowledgement_due_at: acknowledgement_due(
                calendar,
                tz,
                at,
                settings.acknowledgement_working_days,
            ),
            deadline_passes_at: passes_at,
            warning_at,
            by,
            at,
        })
    }

    /// Refuses unless the item is in one of `allowed`, naming the state and the request.
    fn require(&self, request: ItemRequest, allowed: &[ItemState]) -> Result<(), ItemError> {
        if self.state == ItemState::NotRegistered {
            Err(ItemError::NotFound { request })
        } else if allowed.contains(&self.state) {
            Ok(())
        } else {
            Err(ItemError::InvalidTransition {
                state: self.state,
                request,
            })
        }
    }

    fn running_deadline(&self, request: ItemRequest) -> Result<&DeadlineRecord, ItemError> {
        self.deadlines.last().ok_or(ItemError::InvalidTransition {
            state: self.state,
            request,
        })
    }

    fn time_zone(&self) -> Tz {
        self.registration
            .as_ref()
            .map_or(chrono_tz::Asia::Shanghai, |r| r.time_zone)
    }

    /// The campaign settings in force now (not those at registration): numbers such as the
    /// extension limit apply from the moment they are changed.
    fn settings(&self, services: &DomainServices) -> Result<CampaignSettings, ItemError> {
        let campaign =
            self.registration
                .as_ref()
                .map(|r| &r.campaign)
                .ok_or(ItemError::NotFound {
                    request: ItemRequest::Register,
                })?;
        services
            .settings
            .settings(campaign)
            .ok_or_else(|| ItemError::UnknownCampaign(campaign.clone()))
    }

    fn is_of_responsible_unit(&self, person: &PersonId, services: &DomainServices) -> bool {
        self.assignment.as_ref().is_some_and(|a| {
            &a.responsible_person == person
                || services.directory.is_member(&a.responsible_unit, person)
        })
    }

    /// Unit-side requests (签收, progress, extension, sign-off) come from the responsible
    /// person or a member of the responsible unit.
    fn ensure_unit_side(
        &self,
        actor: &PersonId,
        request: ItemRequest,
        services: &DomainServices,
    ) -> Result<(), ItemError> {
        if self.is_of_responsible_unit(actor, services) {
            Ok(())
        } else {
            Err(ItemError::NotResponsible {
                actor: actor.clone(),
                request,
            })
        }
    }

    /// Segregation of duties: whoever verifies or sends back a sign-off, approves or denies an
    /// extension, re-inspects, rules on fault tolerance or withdraws is neither the responsible
    /// person nor a member of the responsible unit — no one decides on their own request.
    fn ensure_outside_unit(
        &self,
        actor: &PersonId,
        request: ItemRequest,
        services: &DomainServices,
    ) -> Result<(), ItemError> {
        if self.is_of_responsible_unit(actor, services) {
            Err(ItemError::SegregationOfDuties {
                actor: actor.clone(),
                request,
            })
        } else {
            Ok(())
        }
    }
}

/// 问题—措施—成效—佐证: all four, with at least one evidence reference; a refusal names every
/// missing element.
fn sign_off_requested(
    request: SignOffRequest,
    by: PersonId,
    at: DateTime<Utc>,
) -> Result<ItemEvent, ItemError> {
    match request {
        SignOffRequest {
            problem: Some(problem),
            measures: Some(measures),
            result: Some(result),
            evidence,
        } if !evidence.is_empty() => Ok(ItemEvent::SignOffRequested {
            problem,
            measures,
            result,
            evidence,
            by,
            at,
        }),
        request => {
            let missing = [
                (request.problem.is_none(), SignOffElement::Problem),
                (request.measures.is_none(), SignOffElement::Measures),
                (request.result.is_none(), SignOffElement::Result),
                (request.evidence.is_empty(), SignOffElement::Evidence),
            ]
            .into_iter()
            .filter_map(|(missing, element)| missing.then_some(element))
            .collect();
            Err(ItemError::IncompleteSignOff { missing })
        }
    }
}

// ---- the aggregate --------------------------------------------------------------------------

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
        // Decide everything first: a refused command writes nothing.
        for event in self.decide(command, services)? {
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
                supervising_unit,
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
                    supervising_unit,
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
                at,
                ..
            } => {
                self.state = ItemState::Assigned;
                self.assignment = Some(Assignment {
                    responsible_unit,
                    responsible_person,
                    supervising_unit,
                    acknowledgement_due_at,
                    assigned_at: at,
                });
                self.push_deadline(
                    deadline,
                    deadline_passes_at,
                    warning_at,
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
                    DeadlineOrigin::Extended,
                    at,
                );
            }
            ItemEvent::ExtensionDenied { .. } => self.pending_extension = None,
            ItemEvent::SignOffRequested { at, .. } => {
                self.state = ItemState::PendingSignOff;
                self.sign_off_requested_at = Some(at);
            }
            ItemEvent::SignOffRejected { send_backs, .. } => {
                self.state = ItemState::InProgress;
                self.sign_off_requested_at = None;
                self.send_backs = send_backs;
            }
            ItemEvent::ItemClosed {
                on_time,
                after_original_deadline,
                reinspection_due_at,
                by,
                at,
                ..
            } => {
                self.state = ItemState::Closed;
                self.pending_extension = None;
                self.closure = Some(Closure {
                    at,
                    on_time,
                    after_original_deadline,
                    reinspection_due_at,
                    verified_by: by,
                });
            }
            ItemEvent::ReinspectionPassed { .. } => {}
            ItemEvent::ItemReopened {
                new_deadline,
                acknowledgement_due_at,
                deadline_passes_at,
                warning_at,
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
                }
                self.push_deadline(
                    new_deadline,
                    deadline_passes_at,
                    warning_at,
                    DeadlineOrigin::Reopened,
                    at,
                );
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
                cause,
                decision,
                reason,
                by,
                at,
            } => {
                self.ruling = Some(Ruling {
                    cause,
                    decision,
                    reason,
                    ruled_by: by,
                    at,
                });
            }
            ItemEvent::InstructionRecorded { .. } | ItemEvent::ItemUrged { .. } => {}
        }
    }
}

impl Item {
    fn push_deadline(
        &mut self,
        deadline: Deadline,
        passes_at: DateTime<Utc>,
        warning_at: DateTime<Utc>,
        origin: DeadlineOrigin,
        set_at: DateTime<Utc>,
    ) {
        self.deadlines.push(DeadlineRecord {
            deadline,
            passes_at,
            warning_at,
            origin,
            set_at,
            warning_recorded: false,
            overdue_recorded: false,
        });
    }
}
