//! What may be asked of a complaint.

use serde::{Deserialize, Serialize};

use crate::identity::ComplainantIdentity;
use crate::settings::Field;
use crate::values::{
    CampaignId, CaseId, ClueId, ComplaintId, EvidenceRef, ItemCode, PersonId, Rating, Text, UnitId,
};

/// How the complaint reached the campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The online complaint platform.
    OnlinePlatform,
    /// A reception day (接访日) held by leading officials.
    ReceptionDay,
    /// The complaint hotline.
    Hotline,
    /// The parents' school-meal mini-program (photos and videos arrive as evidence references).
    SchoolMealApp,
}

/// What a substantiated complaint leads to: a clue for a case, or an item of the issue list.
/// The ids are chosen now; a policy registers the clue or the item with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FollowUp {
    /// A clue, registered on the case stream `case` (the stream a clue and the case opened on
    /// it share, see [`crate::case`]).
    Clue {
        clue: ClueId,
        case: CaseId,
    },
    Item {
        code: ItemCode,
    },
}

/// The outcome of handling a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Resolution {
    /// 属实 — the complaint is true; it becomes a clue or an item.
    Substantiated { finding: Text, follow_up: FollowUp },
    /// 不属实 — not substantiated, with the reason told to the complainant.
    Unsubstantiated { reason: Text },
}

/// The body of a complaint command; it travels as [`crate::Command<ComplaintCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ComplaintCommand {
    /// Receives a complaint. `complaint` is this stream's id (the vault keys the identity by
    /// it). `receiving_unit` becomes the first receiver (首接负责制). `complainant` is `None`
    /// for an anonymous complaint; when given it is sealed and never recorded in clear.
    Receive {
        complaint: ComplaintId,
        campaign: CampaignId,
        channel: Channel,
        field: Field,
        /// The receiver's redacted summary (no names, no contact, nothing that identifies the
        /// complainant): what stays readable after sealing, and after erasure.
        summary: Text,
        /// The complainant's own words: sealed with the identity.
        content: Text,
        /// Photos, videos, documents: sealed with the identity.
        attachments: Vec<EvidenceRef>,
        receiving_unit: UnitId,
        complainant: Option<ComplainantIdentity>,
    },
    /// 指定承办人 — names the handling unit's designated handler: the one person of that unit
    /// who answers, resolves and may read the sealed text. Designated by the unit's head or
    /// the field's secretariat; a transfer to another unit ends the designation.
    DesignateHandler { person: PersonId },
    /// The handling unit responds to the complainant (答复).
    Respond { response: Text },
    /// Issued by the scheduler when the response deadline passes.
    RecordResponseMissed,
    /// Transfers the handling to another unit (转办); the first receiver stays accountable.
    Transfer { to: UnitId, reason: Text },
    /// Records the outcome of the handling.
    Resolve { resolution: Resolution },
    /// The complainant's satisfaction with the outcome, 1–5.
    RecordFeedback { rating: Rating },
    /// Closes the complaint (办结).
    Close,
    /// Erases the complainant's identity for good (crypto-shredding).
    EraseIdentity,
    /// 查阅 — asks to read the sealed part (identity, own words, attachments), for `purpose`.
    /// The domain records the reveal and decrypts nothing: the adapter opens the vault only
    /// once the [`Revealed`](super::ComplaintEvent::Revealed) event has committed.
    Reveal { purpose: Text },
}

impl ComplaintCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            ComplaintCommand::Receive { .. } => "receive",
            ComplaintCommand::Respond { .. } => "respond",
            ComplaintCommand::RecordResponseMissed => "record_response_missed",
            ComplaintCommand::Transfer { .. } => "transfer",
            ComplaintCommand::Resolve { .. } => "resolve",
            ComplaintCommand::RecordFeedback { .. } => "record_feedback",
            ComplaintCommand::Close => "close",
            ComplaintCommand::EraseIdentity => "erase_identity",
            ComplaintCommand::Reveal { .. } => "reveal",
            ComplaintCommand::DesignateHandler { .. } => "designate_handler",
        }
    }

    /// The name users read, 中文.
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` by [`name`](Self::name);
    /// `name` itself if no request is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "receive" => "受理",
            "respond" => "答复",
            "record_response_missed" => "记录超期未答复",
            "transfer" => "转办",
            "resolve" => "登记办理结果",
            "record_feedback" => "记录群众评价",
            "close" => "办结",
            "erase_identity" => "销毁投诉人身份信息",
            "reveal" => "查阅封存信息",
            "designate_handler" => "指定承办人",
            other => other,
        }
    }
}
