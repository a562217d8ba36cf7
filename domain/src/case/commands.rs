//! What may be asked of a case.

use serde::{Deserialize, Serialize};

use crate::settings::Field;
use crate::values::{
    CampaignId, CaseId, ClueId, ComplaintId, EvidenceRef, ItemCode, OutcomeIndicators, PersonId,
    Text, UnitId, Yuan,
};

/// Where a clue (问题线索) came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClueSource {
    /// A complaint from the public (群众举报), found substantiated.
    Complaint { complaint: ComplaintId },
    /// An alert from a monitoring system, e.g. the medical-insurance fund monitoring platform
    /// flagging abnormal treatment; `alert_ref` is that system's own id of the alert, so the
    /// clue can be traced back to it.
    DataAlert { system: Text, alert_ref: Text },
    /// Found by an inspection (巡查/督查).
    Inspection,
    /// Found by an audit (审计).
    Audit,
}

/// The two investigations of one case (一案双查).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum InvestigationTrack {
    /// The direct responsibility of the wrongdoer (直接责任).
    Direct,
    /// The supervisory responsibility of the supervising department that failed its duty
    /// (监管责任).
    Supervisory,
}

impl InvestigationTrack {
    pub const ALL: [InvestigationTrack; 2] =
        [InvestigationTrack::Direct, InvestigationTrack::Supervisory];

    pub fn as_str(self) -> &'static str {
        match self {
            InvestigationTrack::Direct => "direct",
            InvestigationTrack::Supervisory => "supervisory",
        }
    }

    /// The name users read (中文).
    pub fn label(self) -> &'static str {
        match self {
            InvestigationTrack::Direct => "直接责任调查",
            InvestigationTrack::Supervisory => "监管责任调查",
        }
    }
}

/// How an investigation disposes of those found responsible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// 党纪处分 — party discipline.
    PartyDiscipline,
    /// 政务处分 / 行政处分 — administrative sanction.
    AdministrativeSanction,
    /// 移送司法机关 — transfer to the judicial organs.
    JudicialTransfer,
    /// 组织处理 — organisational handling (admonishing talk, removal from post…).
    OrganisationalHandling,
    /// 批评教育 — criticism and education (DOMAIN.md names it among the dispositions).
    CriticismAndEducation,
    /// No one is held responsible.
    None,
}

/// The body of a case command; it travels as [`crate::Command<CaseCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CaseCommand {
    /// Registers a clue. `case` is the id of this stream, reserved now so that the clue and the
    /// case opened on it share one stream (the caller uses it as the aggregate id).
    RegisterClue {
        campaign: CampaignId,
        case: CaseId,
        clue: ClueId,
        source: ClueSource,
        field: Field,
        summary: Text,
    },
    /// Dismisses the registered clue with reasons (e.g. not substantiated on preliminary
    /// verification, 初核不实); a dismissed clue is never opened as a case.
    DismissClue { reasons: Text },
    /// Opens a case (立案) on the registered clue. `subject_unit` is where the wrongdoing
    /// happened; `supervising_unit` is the department whose supervision is investigated and
    /// who receives the repair items.
    OpenCase {
        subject_unit: UnitId,
        supervising_unit: UnitId,
    },
    /// Records the joint case team (专案组) of departments working the case, e.g. public
    /// security and health with the medical-insurance bureau: at least two distinct units. A
    /// later record replaces the team.
    RecordJointTeam { units: Vec<UnitId> },
    /// Starts one of the two investigations.
    StartInvestigation { track: InvestigationTrack },
    /// Concludes a started investigation with its findings — the persons named (may be none)
    /// and the amount involved (涉案金额, may be zero) — and its disposition.
    ConcludeInvestigation {
        track: InvestigationTrack,
        findings: Text,
        persons_named: Vec<PersonId>,
        amount_involved: Yuan,
        disposition: Disposition,
    },
    /// Spawns a system-repair item (制度修复) for the supervising department: `code` is the
    /// item code a policy will register on the issue list.
    SpawnRepairItem { code: ItemCode, title: Text },
    /// Records that a spawned repair item was closed (销号); issued by the policy that reacts
    /// to the item's closure.
    RecordRepairItemClosed { code: ItemCode },
    /// Records that a repair item recorded closed was reopened (a relapse found by 回头看);
    /// issued by the policy that reacts to the item's reopening. On a closed case this reopens
    /// the case: it closes again only once that item is closed again.
    RecordRepairItemReopened { code: ItemCode },
    /// Records that a repair item was withdrawn from the issue list (e.g. as a duplicate).
    RecordRepairItemWithdrawn { code: ItemCode, reason: Text },
    /// Records, with reasons, that the case needs no system repair (无需制度修复): the case
    /// may then close without a repair item. Refused while a repair item stands (open or
    /// closed); once recorded, no repair item is spawned.
    RecordNoRepairNeeded { reasons: Text },
    /// Closes the case (结案): both investigations concluded, every repair item closed or
    /// withdrawn, and system repair done — at least one repair item closed, or no repair
    /// needed on record.
    CloseCase,
    /// Publishes a closed case as a typical case (典型案例) for deterrence.
    PublishTypicalCase { title: Text, summary: Text },
    /// 成效 — records outcome indicators of the opened case with their evidence; they add to
    /// the case's totals.
    RecordOutcome {
        indicators: OutcomeIndicators,
        evidence: Vec<EvidenceRef>,
    },
    /// 更正 — takes back indicators recorded wrongly, with a reason; never below zero.
    CorrectOutcome {
        deduct: OutcomeIndicators,
        reason: Text,
    },
}

impl CaseCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            CaseCommand::RegisterClue { .. } => "register_clue",
            CaseCommand::DismissClue { .. } => "dismiss_clue",
            CaseCommand::OpenCase { .. } => "open_case",
            CaseCommand::RecordJointTeam { .. } => "record_joint_team",
            CaseCommand::StartInvestigation { .. } => "start_investigation",
            CaseCommand::ConcludeInvestigation { .. } => "conclude_investigation",
            CaseCommand::SpawnRepairItem { .. } => "spawn_repair_item",
            CaseCommand::RecordRepairItemClosed { .. } => "record_repair_item_closed",
            CaseCommand::RecordRepairItemReopened { .. } => "record_repair_item_reopened",
            CaseCommand::RecordRepairItemWithdrawn { .. } => "record_repair_item_withdrawn",
            CaseCommand::RecordNoRepairNeeded { .. } => "record_no_repair_needed",
            CaseCommand::CloseCase => "close_case",
            CaseCommand::PublishTypicalCase { .. } => "publish_typical_case",
            CaseCommand::RecordOutcome { .. } => "record_outcome",
            CaseCommand::CorrectOutcome { .. } => "correct_outcome",
        }
    }

    /// The name users read (中文).
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` (as [`CaseCommand::name`] names
    /// it, e.g. in a refused transition); a name it does not know is returned as it is.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "register_clue" => "登记线索",
            "dismiss_clue" => "了结线索",
            "open_case" => "立案",
            "record_joint_team" => "登记专案组",
            "start_investigation" => "启动调查",
            "conclude_investigation" => "办结调查",
            "spawn_repair_item" => "生成制度修复事项",
            "record_repair_item_closed" => "登记制度修复事项销号",
            "record_repair_item_reopened" => "登记制度修复事项重新整改",
            "record_repair_item_withdrawn" => "登记制度修复事项撤销",
            "record_no_repair_needed" => "登记无需制度修复",
            "close_case" => "结案",
            "publish_typical_case" => "发布典型案例",
            "record_outcome" => "登记成效指标",
            "correct_outcome" => "更正成效指标",
            other => other,
        }
    }
}
