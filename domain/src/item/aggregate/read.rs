//! Read accessors of the item: what projections and the HTTP layer read, and the derived colour.

use chrono::{DateTime, Utc};

use super::{
    Assignment, CarryOver, Closure, DeadlineRecord, Item, PendingExtension, Progress, Registration,
    Ruling,
};
use crate::item::commands::{Episode, FaultDecision};
use crate::item::state::{Colour, ItemState};
use crate::values::{
    CampaignId, Deadline, ItemCode, OutcomeIndicators, OutcomeTotals, PersonId, TaskForceId, UnitId,
};

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

    /// The campaign the item belongs to now: its registration's, or the latest carry-over's.
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

    /// Every ruling, in the order they were made, each on its own episode.
    pub fn rulings(&self) -> &[Ruling] {
        &self.rulings
    }

    /// The ruling on `episode`, if one was made.
    pub fn ruling_on(&self, episode: Episode) -> Option<&Ruling> {
        self.rulings.iter().find(|r| r.episode == episode)
    }

    /// The episode of the deadline in force (the latest deadline).
    pub fn current_deadline_episode(&self) -> Option<Episode> {
        u32::try_from(self.deadlines.len())
            .ok()
            .filter(|n| *n > 0)
            .map(|number| Episode::Deadline { number })
    }

    fn current_decision(&self) -> Option<FaultDecision> {
        self.current_deadline_episode()
            .and_then(|episode| self.ruling_on(episode))
            .map(|r| r.decision)
    }

    /// 免责: the deadline in force was failed and that episode was exempted. An exemption of an
    /// earlier deadline or relapse does not carry over.
    pub fn is_exempt(&self) -> bool {
        self.current_decision() == Some(FaultDecision::Exempt)
    }

    /// 减轻: the deadline in force was failed and that episode was mitigated — it counts
    /// against its unit with the campaign's mitigation factor.
    pub fn is_mitigated(&self) -> bool {
        self.current_decision() == Some(FaultDecision::Mitigate)
    }

    /// 成效指标: the totals of every outcome record and verified sign-off, less corrections.
    pub fn outcome(&self) -> OutcomeTotals {
        self.outcome
    }

    /// The outcome indicators of the pending sign-off request, counted if it is verified.
    pub fn sign_off_indicators(&self) -> Option<OutcomeIndicators> {
        self.sign_off_indicators
    }

    /// Every carry-over (结转), oldest first.
    pub fn carry_overs(&self) -> &[CarryOver] {
        &self.carry_overs
    }

    /// The task force the item belongs to now (in its current campaign).
    pub fn task_force(&self) -> Option<&TaskForceId> {
        self.registration.as_ref().map(|r| &r.task_force)
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
        // A stopped clock shows the colour of the instant it stopped.
        let now = self.judged_at(now);
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

impl crate::event::Scoped for Item {
    /// The item's campaign and task force (from registration, or its latest carry-over) and
    /// its units: the
    /// responsible unit of the current assignment, then the supervising unit.
    fn scope(&self) -> crate::event::Scope {
        let Some(registration) = &self.registration else {
            return crate::event::Scope::default();
        };
        let assignment = self.assignment.as_ref();
        crate::event::Scope::campaign(&registration.campaign)
            .with_task_force(Some(&registration.task_force))
            .with_unit(assignment.map(|a| &a.responsible_unit))
            .with_unit(assignment.map(|a| &a.supervising_unit))
    }
}
