//! What may be asked of an item of the issue list.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::values::{
    CampaignId, Deadline, EvidenceRef, ItemCode, OutcomeIndicators, Percent, PersonId, TaskForceId,
    Text, UnitId,
};

/// The 容错 cause and decision are shared with accountability (问责) rulings; they live in
/// [`crate::fault`] and are re-exported here so item code keeps naming them as before.
pub use crate::fault::{FaultCause, FaultDecision};

/// The body of an item command; it travels in a [`crate::Command`] stamped by the executor,
/// whose `at` is "now" and whose `actor` is who acts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemCommand {
    /// Enters a problem into the issue list (问题清单). The code is the stream id.
    Register(RegisterItem),
    /// 交办 — gives the item to a responsible unit and person with a deadline (时间表) and
    /// measures (路线图).
    Assign(AssignItem),
    /// 改派 — gives a running item to another responsible unit and person, with a reason. The
    /// deadline in force stays; a pending sign-off request is cancelled; the new unit has a
    /// new 签收 window.
    Reassign {
        responsible_unit: UnitId,
        responsible_person: PersonId,
        reason: Text,
    },
    /// 签收 — the responsible unit takes the assigned (or reopened) item on.
    Acknowledge,
    /// The unit reports progress, optionally with evidence references.
    ReportProgress {
        text: Text,
        percent: Percent,
        #[serde(default)]
        evidence: Vec<EvidenceRef>,
    },
    /// 延期申请 — the unit asks, before the deadline in force, for a later deadline.
    RequestExtension {
        reason: Text,
        new_deadline: Deadline,
    },
    /// The secretariat approves the pending extension request.
    ApproveExtension {
        #[serde(default)]
        note: Option<Text>,
    },
    /// The secretariat denies the pending extension request.
    DenyExtension { reason: Text },
    /// 申请销号 — the unit asks for sign-off with the four elements (问题—措施—成效—佐证).
    /// The elements are optional here so that a refusal can name every missing one.
    RequestSignOff(SignOffRequest),
    /// 销号 — the secretariat verifies the request and closes the item.
    VerifySignOff {
        #[serde(default)]
        note: Option<Text>,
    },
    /// 退回补正 — the secretariat sends the request back with reasons.
    RejectSignOff { reasons: Vec<Text> },
    /// 回头看 — the outcome of re-inspecting a closed item.
    RecordReinspection(ReinspectionOutcome),
    /// 撤销 — takes an open item off the list as a duplicate or unfounded.
    Withdraw {
        ground: WithdrawalGround,
        reason: Text,
    },
    /// Scheduler: the acknowledgement window passed without 签收.
    RecordAcknowledgementOverdue,
    /// Scheduler: the item entered the warning window of the deadline in force.
    RecordDeadlineWarning,
    /// Scheduler: the deadline in force passed and the item is not closed (逾期).
    RecordOverdue,
    /// Scheduler: 回头看 fell due — the re-inspection the closure scheduled is now owed.
    RecordReinspectionDue,
    /// 容错纠错 — the secretariat rules on the cause of an overdue, relapsed or late-closed item.
    RuleFaultTolerance {
        episode: Episode,
        cause: FaultCause,
        decision: FaultDecision,
        reason: Text,
    },
    /// 批示 — a leader's instruction on the item, entered by whoever records it.
    RecordInstruction { text: Text, by: PersonId },
    /// 催办 — urges a unit involved in the item (the responsible or the supervising unit).
    Urge { unit: UnitId, text: Text },
    /// 结转 — carries an open item over to a later campaign, keeping its code, its history
    /// and the deadline in force. `task_force` is its task force in that campaign, by
    /// default the one with the same id.
    CarryOver {
        to: CampaignId,
        #[serde(default)]
        task_force: Option<TaskForceId>,
        reason: Text,
    },
    /// 成效 — records outcome indicators with their evidence; they add to the item's totals.
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

/// The registration of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RegisterItem {
    pub campaign: CampaignId,
    pub task_force: TaskForceId,
    /// Must be the stream id the executor uses.
    pub code: ItemCode,
    pub title: Text,
    pub description: Text,
    pub category: Text,
    pub source: ItemSource,
    /// The source's own reference (an alert id of the monitoring platform, a complaint id…).
    #[serde(default)]
    pub source_ref: Option<Text>,
    pub severity: Severity,
}

/// The assignment (交办) of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AssignItem {
    pub responsible_unit: UnitId,
    /// Must be a member of the responsible unit.
    pub responsible_person: PersonId,
    /// 监管单位 — the department supervising the item. Named once, here: it is the assignment
    /// that says who answers for the item and who watches over it.
    pub supervising_unit: UnitId,
    pub deadline: Deadline,
    pub measures: Text,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

/// A milestone of the road map (路线图): what should be done by which local date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Milestone {
    pub date: NaiveDate,
    pub description: Text,
}

/// A request for sign-off (申请销号) with the four elements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SignOffRequest {
    /// 问题 — the problem as found.
    #[serde(default)]
    pub problem: Option<Text>,
    /// 措施 — the measures taken.
    #[serde(default)]
    pub measures: Option<Text>,
    /// 成效 — the result achieved.
    #[serde(default)]
    pub result: Option<Text>,
    /// The result's outcome indicators, if it has figures: they add to the item's totals
    /// once this request is verified (a request sent back adds nothing).
    #[serde(default)]
    pub indicators: Option<OutcomeIndicators>,
    /// 佐证 — at least one evidence reference.
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

/// One of the four elements of a sign-off request (问题—措施—成效—佐证).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignOffElement {
    Problem,
    Measures,
    Result,
    Evidence,
}

impl SignOffElement {
    /// The name users read (中文): 问题, 措施, 成效 or 佐证.
    pub fn label(self) -> &'static str {
        match self {
            Self::Problem => "问题",
            Self::Measures => "措施",
            Self::Result => "成效",
            Self::Evidence => "佐证",
        }
    }
}

/// The outcome of a re-inspection (回头看).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReinspectionOutcome {
    /// The rectification held.
    Passed {
        #[serde(default)]
        findings: Option<Text>,
    },
    /// The problem came back: the item reopens with a new deadline for the relapse.
    Relapsed {
        findings: Text,
        new_deadline: Deadline,
    },
}

/// Where a problem came to light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemSource {
    /// 督查检查
    Inspection,
    /// 数据预警 — e.g. the medical-insurance monitoring platform.
    DataAlert,
    /// 群众举报/投诉
    Complaint,
    /// 案件查办 — system repair (制度修复) spawned by a case.
    Case,
    /// 审计
    Audit,
    /// 自查自纠
    SelfCheck,
}

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
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

/// Why an item is withdrawn (撤销).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalGround {
    /// The same problem is already on the list (optionally: as which item).
    Duplicate {
        #[serde(default)]
        of: Option<ItemCode>,
    },
    /// Checked and found not to be a problem.
    Unfounded,
}

/// The episode a 容错 ruling rules on: one deadline the item failed, or one relapse. A ruling
/// never carries over to a later episode — an extension, a reopening or a second relapse is a
/// new episode that needs its own ruling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Episode {
    /// The item's `number`-th deadline (1 = the original; each extension or reopening sets the
    /// next) passed unmet: an overdue fact was recorded for it, or the item was closed late
    /// against it.
    Deadline { number: u32 },
    /// The `number`-th relapse found by re-inspection (回头看), 1 = the first.
    Relapse { number: u32 },
}

/// The episode as users read it (中文), in refusals: 第 2 个整改时限, 第 1 次复发.
impl std::fmt::Display for Episode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Deadline { number } => write!(f, "第 {number} 个整改时限"),
            Self::Relapse { number } => write!(f, "第 {number} 次复发"),
        }
    }
}

/// The name of a request, for refusals that must say what was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemRequest {
    Register,
    Assign,
    Reassign,
    Acknowledge,
    ReportProgress,
    RequestExtension,
    ApproveExtension,
    DenyExtension,
    RequestSignOff,
    VerifySignOff,
    RejectSignOff,
    RecordReinspection,
    Withdraw,
    RecordAcknowledgementOverdue,
    RecordDeadlineWarning,
    RecordOverdue,
    RecordReinspectionDue,
    RuleFaultTolerance,
    RecordInstruction,
    Urge,
    CarryOver,
    RecordOutcome,
    CorrectOutcome,
}

impl ItemRequest {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Assign => "assign",
            Self::Reassign => "reassign",
            Self::Acknowledge => "acknowledge",
            Self::ReportProgress => "report_progress",
            Self::RequestExtension => "request_extension",
            Self::ApproveExtension => "approve_extension",
            Self::DenyExtension => "deny_extension",
            Self::RequestSignOff => "request_sign_off",
            Self::VerifySignOff => "verify_sign_off",
            Self::RejectSignOff => "reject_sign_off",
            Self::RecordReinspection => "record_reinspection",
            Self::Withdraw => "withdraw",
            Self::RecordAcknowledgementOverdue => "record_acknowledgement_overdue",
            Self::RecordDeadlineWarning => "record_deadline_warning",
            Self::RecordOverdue => "record_overdue",
            Self::RecordReinspectionDue => "record_reinspection_due",
            Self::RuleFaultTolerance => "rule_fault_tolerance",
            Self::RecordInstruction => "record_instruction",
            Self::Urge => "urge",
            Self::CarryOver => "carry_over",
            Self::RecordOutcome => "record_outcome",
            Self::CorrectOutcome => "correct_outcome",
        }
    }
}

impl ItemRequest {
    /// The name users read (中文), as a verb phrase: 交办, 签收, 申请销号…
    pub fn label(self) -> &'static str {
        match self {
            Self::Register => "登记问题",
            Self::Assign => "交办",
            Self::Reassign => "改派",
            Self::Acknowledge => "签收",
            Self::ReportProgress => "报送整改进展",
            Self::RequestExtension => "申请延期",
            Self::ApproveExtension => "批准延期",
            Self::DenyExtension => "驳回延期申请",
            Self::RequestSignOff => "申请销号",
            Self::VerifySignOff => "核验销号",
            Self::RejectSignOff => "退回补正",
            Self::RecordReinspection => "登记回头看结果",
            Self::Withdraw => "撤销",
            Self::RecordAcknowledgementOverdue => "记录超期未签收",
            Self::RecordDeadlineWarning => "记录临期预警",
            Self::RecordOverdue => "记录逾期",
            Self::RecordReinspectionDue => "记录回头看到期",
            Self::RuleFaultTolerance => "作出容错认定",
            Self::RecordInstruction => "登记批示",
            Self::Urge => "催办",
            Self::CarryOver => "结转",
            Self::RecordOutcome => "登记成效指标",
            Self::CorrectOutcome => "更正成效指标",
        }
    }
}

impl fmt::Display for ItemRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ItemCommand {
    /// Which request this command is.
    pub fn request(&self) -> ItemRequest {
        match self {
            Self::Register(_) => ItemRequest::Register,
            Self::Assign(_) => ItemRequest::Assign,
            Self::Reassign { .. } => ItemRequest::Reassign,
            Self::Acknowledge => ItemRequest::Acknowledge,
            Self::ReportProgress { .. } => ItemRequest::ReportProgress,
            Self::RequestExtension { .. } => ItemRequest::RequestExtension,
            Self::ApproveExtension { .. } => ItemRequest::ApproveExtension,
            Self::DenyExtension { .. } => ItemRequest::DenyExtension,
            Self::RequestSignOff(_) => ItemRequest::RequestSignOff,
            Self::VerifySignOff { .. } => ItemRequest::VerifySignOff,
            Self::RejectSignOff { .. } => ItemRequest::RejectSignOff,
            Self::RecordReinspection(_) => ItemRequest::RecordReinspection,
            Self::Withdraw { .. } => ItemRequest::Withdraw,
            Self::RecordAcknowledgementOverdue => ItemRequest::RecordAcknowledgementOverdue,
            Self::RecordDeadlineWarning => ItemRequest::RecordDeadlineWarning,
            Self::RecordOverdue => ItemRequest::RecordOverdue,
            Self::RecordReinspectionDue => ItemRequest::RecordReinspectionDue,
            Self::RuleFaultTolerance { .. } => ItemRequest::RuleFaultTolerance,
            Self::RecordInstruction { .. } => ItemRequest::RecordInstruction,
            Self::Urge { .. } => ItemRequest::Urge,
            Self::CarryOver { .. } => ItemRequest::CarryOver,
            Self::RecordOutcome { .. } => ItemRequest::RecordOutcome,
            Self::CorrectOutcome { .. } => ItemRequest::CorrectOutcome,
        }
    }
}
