//! [`Item::decide`]: each command goes to the function of its group (registration, progress,
//! extensions, sign-off, re-inspection and withdrawal, deadline facts, oversight); the checks
//! and the deadline arithmetic they share are here.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::{DeadlineRecord, Item};
use crate::calendar::{add_working_days, sub_working_days, Reckoned, WorkingCalendar};
use crate::item::commands::{ItemCommand, ItemRequest};
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::state::ItemState;
use crate::organisation::Organisation;
use crate::services::DomainServices;
use crate::settings::CampaignSettings;
use crate::values::{local_date, local_start_of_day, Deadline, PersonId};
use crate::Command;

/// What every decision reads besides the command's body: the request (named in refusals), who
/// acts (`stamp.actor`), "now" (`stamp.at`) and the ports.
pub(super) struct Context<'a> {
    pub(super) request: ItemRequest,
    pub(super) by: PersonId,
    pub(super) at: DateTime<Utc>,
    pub(super) services: &'a DomainServices,
    /// The organisation at its latest version, as the directory served it for this command.
    pub(super) organisation: &'a Organisation,
}

/// What setting a deadline fixes: the instant it passes, the instant its warning window
/// opens, and whether counting the warning window looked at a day of a year without a
/// published arrangement (DOMAIN.md: every event computed from such a day says so).
pub(super) struct DeadlineInstants {
    pub(super) passes_at: DateTime<Utc>,
    pub(super) warning_at: DateTime<Utc>,
    pub(super) calendar_unknown: bool,
}

/// The instants of a deadline. The warning window opens at the start of the local day
/// `warning_days` working days before the deadline date, but never before `set_at`, the moment
/// the deadline is set — a short deadline cannot have been "in its warning window" before it
/// existed, so the warning fact never predates the deadline it warns about.
pub(super) fn deadline_instants(
    calendar: &dyn WorkingCalendar,
    tz: Tz,
    deadline: Deadline,
    warning_days: u32,
    set_at: DateTime<Utc>,
) -> DeadlineInstants {
    let warning_day = sub_working_days(calendar, deadline.date(), warning_days);
    DeadlineInstants {
        passes_at: deadline.passes_at(tz),
        warning_at: local_start_of_day(warning_day.value, tz).max(set_at),
        calendar_unknown: warning_day.calendar_unknown,
    }
}

/// 签收 due instant: 24:00 local of the `days`-th working day after the local date of `at`,
/// and whether counting it looked at a day of an unknown year.
pub(super) fn acknowledgement_due(
    calendar: &dyn WorkingCalendar,
    tz: Tz,
    at: DateTime<Utc>,
    days: u32,
) -> Reckoned<DateTime<Utc>> {
    add_working_days(calendar, local_date(at, tz), days).map(|day| Deadline::new(day).passes_at(tz))
}

pub(super) fn plus_days(at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    at.checked_add_signed(Duration::days(i64::from(days)))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

pub(super) const UNIT_SIDE_ACK: &[ItemState] = &[ItemState::Assigned, ItemState::Reopened];
pub(super) const RUNNING: &[ItemState] = &[
    ItemState::Assigned,
    ItemState::InProgress,
    ItemState::PendingSignOff,
    ItemState::Reopened,
];
pub(super) const OPEN: &[ItemState] = &[
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
        organisation: &Organisation,
    ) -> Result<Vec<ItemEvent>, ItemError> {
        let request = command.body.request();
        let Command { stamp, body } = command;
        self.admit(&body, &stamp.actor, organisation)?;
        let (by, at) = (stamp.actor, stamp.at);
        // Facts that became true before this command and must be recorded ahead of its own
        // event (a late 签收, a deadline that passed before the item moved on). Discarded when
        // the command is refused, like everything else.
        let mut facts: Vec<ItemEvent> = Vec::new();
        let cx = Context {
            request,
            by,
            at,
            services,
            organisation,
        };
        let event = match body {
            ItemCommand::Register(register) => self.register(register, cx)?,
            ItemCommand::Assign(assign) => self.assign(assign, cx)?,
            ItemCommand::Reassign {
                responsible_unit,
                responsible_person,
                reason,
            } => self.reassign(responsible_unit, responsible_person, reason, cx, &mut facts)?,
            ItemCommand::Acknowledge => self.acknowledge(cx, &mut facts)?,
            ItemCommand::ReportProgress {
                text,
                percent,
                evidence,
            } => self.report_progress(text, percent, evidence, cx)?,
            ItemCommand::RequestExtension {
                reason,
                new_deadline,
            } => self.request_extension(reason, new_deadline, cx)?,
            ItemCommand::ApproveExtension { note } => {
                self.approve_extension(note, cx, &mut facts)?
            }
            ItemCommand::DenyExtension { reason } => self.deny_extension(reason, cx)?,
            ItemCommand::RequestSignOff(sign_off) => self.request_sign_off(sign_off, cx)?,
            ItemCommand::VerifySignOff { note } => self.verify_sign_off(note, cx, &mut facts)?,
            ItemCommand::RejectSignOff { reasons } => {
                self.reject_sign_off(reasons, cx, &mut facts)?
            }
            ItemCommand::RecordReinspection(outcome) => {
                self.record_reinspection(outcome, cx, &mut facts)?
            }
            ItemCommand::Withdraw { ground, reason } => {
                self.withdraw(ground, reason, cx, &mut facts)?
            }
            ItemCommand::RecordAcknowledgementOverdue => self.record_acknowledgement_overdue(cx)?,
            ItemCommand::RecordDeadlineWarning => self.record_deadline_warning(cx)?,
            ItemCommand::RecordOverdue => self.record_overdue(cx)?,
            ItemCommand::RecordReinspectionDue => self.record_reinspection_due(cx)?,
            ItemCommand::RuleFaultTolerance {
                episode,
                cause,
                decision,
                reason,
            } => self.rule_fault_tolerance(episode, cause, decision, reason, cx)?,
            ItemCommand::RecordInstruction { text, by: leader } => {
                self.record_instruction(text, leader, cx)?
            }
            ItemCommand::Urge { unit, text } => self.urge(unit, text, cx)?,
            ItemCommand::CarryOver {
                to,
                task_force,
                reason,
            } => self.carry_over(to, task_force, reason, cx, &mut facts)?,
            ItemCommand::RecordOutcome {
                indicators,
                evidence,
            } => self.record_outcome(indicators, evidence, cx)?,
            ItemCommand::CorrectOutcome { deduct, reason } => {
                self.correct_outcome(deduct, reason, cx)?
            }
        };
        facts.push(event);
        Ok(facts)
    }

    /// Refuses unless the item is in one of `allowed`, naming the state and the request.
    pub(super) fn require(
        &self,
        request: ItemRequest,
        allowed: &[ItemState],
    ) -> Result<(), ItemError> {
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

    pub(super) fn running_deadline(
        &self,
        request: ItemRequest,
    ) -> Result<&DeadlineRecord, ItemError> {
        self.deadlines.last().ok_or(ItemError::InvalidTransition {
            state: self.state,
            request,
        })
    }

    pub(super) fn time_zone(&self) -> Tz {
        self.registration
            .as_ref()
            .map_or(chrono_tz::Asia::Shanghai, |r| r.time_zone)
    }

    /// The campaign settings in force now (not those at registration): numbers such as the
    /// extension limit apply from the moment they are changed.
    pub(super) fn settings(
        &self,
        services: &DomainServices,
    ) -> Result<CampaignSettings, ItemError> {
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

    pub(super) fn is_of_responsible_unit(
        &self,
        person: &PersonId,
        organisation: &Organisation,
    ) -> bool {
        self.assignment.as_ref().is_some_and(|a| {
            &a.responsible_person == person || organisation.is_member(&a.responsible_unit, person)
        })
    }

    /// Segregation of duties: whoever verifies or sends back a sign-off, approves or denies an
    /// extension, re-inspects, rules on fault tolerance or withdraws is neither the responsible
    /// person nor a member of the responsible unit — no one decides on their own request, even
    /// one who holds the secretariat role.
    pub(super) fn ensure_outside_unit(
        &self,
        actor: &PersonId,
        request: ItemRequest,
        organisation: &Organisation,
    ) -> Result<(), ItemError> {
        if self.is_of_responsible_unit(actor, organisation) {
            Err(ItemError::SegregationOfDuties {
                actor: actor.clone(),
                request,
            })
        } else {
            Ok(())
        }
    }
}
