//! What may be asked of a case.

use serde::{Deserialize, Serialize};

use crate::settings::Field;
use crate::values::{CampaignId, CaseId, ClueId, ComplaintId, ItemCode, Text, UnitId};

/// Where a clue (问题线索) came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
}

/// How an investigation disposes of those found responsible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// No one is held responsible.
    None,
}

/// The body of a case command; it travels as [`crate::Command<CaseCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Opens a case (立案) on the registered clue. `subject_unit` is where the wrongdoing
    /// happened; `supervising_unit` is the department whose supervision is investigated and
    /// who receives the repair items.
    OpenCase {
        subject_unit: UnitId,
        supervising_unit: UnitId,
    },
    /// Starts one of the two investigations.
    StartInvestigation { track: InvestigationTrack },
    /// Concludes a started investigation with its findings and disposition.
    ConcludeInvestigation {
        track: InvestigationTrack,
        findings: Text,
        disposition: Disposition,
    },
    /// Spawns a system-repair item (制度修复) for the supervising department: `code` is the
    /// item code a policy will register on the issue list.
    SpawnRepairItem { code: ItemCode, title: Text },
    /// Records that a spawned repair item was closed (销号); issued by the policy that reacts
    /// to the item's closure.
    RecordRepairItemClosed { code: ItemCode },
    /// Records that a repair item recorded closed was reopened (a relapse found by 回头看);
    /// issued by the policy that reacts to the item's reopening.
    RecordRepairItemReopened { code: ItemCode },
    /// Records that a repair item was withdrawn from the issue list (e.g. as a duplicate).
    RecordRepairItemWithdrawn { code: ItemCode, reason: Text },
    /// Closes the case (结案).
    CloseCase,
    /// Publishes a closed case as a typical case (典型案例) for deterrence.
    PublishTypicalCase { title: Text, summary: Text },
}

impl CaseCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            CaseCommand::RegisterClue { .. } => "register_clue",
            CaseCommand::OpenCase { .. } => "open_case",
            CaseCommand::StartInvestigation { .. } => "start_investigation",
            CaseCommand::ConcludeInvestigation { .. } => "conclude_investigation",
            CaseCommand::SpawnRepairItem { .. } => "spawn_repair_item",
            CaseCommand::RecordRepairItemClosed { .. } => "record_repair_item_closed",
            CaseCommand::RecordRepairItemReopened { .. } => "record_repair_item_reopened",
            CaseCommand::RecordRepairItemWithdrawn { .. } => "record_repair_item_withdrawn",
            CaseCommand::CloseCase => "close_case",
            CaseCommand::PublishTypicalCase { .. } => "publish_typical_case",
        }
    }
}
