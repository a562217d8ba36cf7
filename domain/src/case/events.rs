//! What happened to a case.

use chrono::{DateTime, Utc};

use crate::event::PublicView;
use serde::{Deserialize, Serialize};

use crate::settings::Field;
use crate::values::{
    CampaignId, CaseId, ClueId, EvidenceRef, ItemCode, OutcomeIndicators, OutcomeTotals, PersonId,
    TaskForceId, Text, UnitId, Yuan,
};

use super::commands::{ClueSource, Disposition, InvestigationTrack};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum CaseEvent {
    ClueRegistered {
        campaign: CampaignId,
        case: CaseId,
        clue: ClueId,
        source: ClueSource,
        field: Field,
        /// The campaign's task force for `field`, whose secretariat runs the clue and the
        /// case: always named since it existed (a clue is refused without one); `None` only
        /// in clues registered before.
        #[serde(default)]
        task_force: Option<TaskForceId>,
        summary: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The clue was dismissed with reasons; no case is ever opened on it.
    ClueDismissed {
        reasons: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    CaseOpened {
        subject_unit: UnitId,
        supervising_unit: UnitId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The joint case team (专案组): the departments working the case, replacing any team
    /// recorded before.
    JointTeamRecorded {
        units: Vec<UnitId>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    InvestigationStarted {
        track: InvestigationTrack,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The findings name the persons found responsible (without repeats, possibly none) and
    /// the amount involved in yuan (exact, possibly zero).
    InvestigationConcluded {
        track: InvestigationTrack,
        findings: Text,
        persons_named: Vec<PersonId>,
        amount_involved: Yuan,
        disposition: Disposition,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// A system-repair item is to be registered with this code for `unit` (the supervising
    /// department). A policy reacts by registering and assigning the item.
    RepairItemSpawned {
        code: ItemCode,
        unit: UnitId,
        title: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    RepairItemClosed {
        code: ItemCode,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// A repair item recorded closed was reopened by re-inspection (回头看): it holds the case
    /// open again.
    RepairItemReopened {
        code: ItemCode,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// A repair item was withdrawn from the issue list; it no longer holds the case open.
    RepairItemWithdrawn {
        code: ItemCode,
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The secretariat recorded, with reasons, that the case needs no system repair.
    NoRepairNeededRecorded {
        reasons: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    CaseClosed {
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// A closed case reopened because repair item `code` relapsed (recorded just before, as
    /// `RepairItemReopened`); it closes again once that item is closed again.
    CaseReopened {
        code: ItemCode,
        by: PersonId,
        at: DateTime<Utc>,
    },
    TypicalCasePublished {
        title: Text,
        summary: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 成效: outcome indicators of the case (e.g. funds recovered from the wrongdoers)
    /// recorded with their evidence, added to the totals; `totals` include this record.
    OutcomeRecorded {
        indicators: OutcomeIndicators,
        evidence: Vec<EvidenceRef>,
        totals: OutcomeTotals,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// 更正: indicators recorded wrongly, deducted with a reason; `totals` after it.
    OutcomeCorrected {
        deducted: OutcomeIndicators,
        reason: Text,
        totals: OutcomeTotals,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(CaseEvent {
    ClueRegistered => "rectiflow.case.clue_registered",
    ClueDismissed => "rectiflow.case.clue_dismissed",
    CaseOpened => "rectiflow.case.opened",
    JointTeamRecorded => "rectiflow.case.joint_team_recorded",
    InvestigationStarted => "rectiflow.case.investigation_started",
    InvestigationConcluded => "rectiflow.case.investigation_concluded",
    RepairItemSpawned => "rectiflow.case.repair_item_spawned",
    RepairItemClosed => "rectiflow.case.repair_item_closed",
    RepairItemReopened => "rectiflow.case.repair_item_reopened",
    RepairItemWithdrawn => "rectiflow.case.repair_item_withdrawn",
    NoRepairNeededRecorded => "rectiflow.case.no_repair_needed_recorded",
    CaseClosed => "rectiflow.case.closed",
    CaseReopened => "rectiflow.case.reopened",
    TypicalCasePublished => "rectiflow.case.typical_case_published",
    OutcomeRecorded => "rectiflow.case.outcome_recorded",
    OutcomeCorrected => "rectiflow.case.outcome_corrected",
});

crate::event::attributed!(CaseEvent {
    ClueRegistered,
    ClueDismissed,
    CaseOpened,
    JointTeamRecorded,
    InvestigationStarted,
    InvestigationConcluded,
    RepairItemSpawned,
    RepairItemClosed,
    RepairItemReopened,
    RepairItemWithdrawn,
    NoRepairNeededRecorded,
    CaseClosed,
    CaseReopened,
    TypicalCasePublished,
    OutcomeRecorded,
    OutcomeCorrected
});

/// Nothing in these events is sealed: the whole event is public.
impl PublicView for CaseEvent {}
