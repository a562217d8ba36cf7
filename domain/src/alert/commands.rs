//! What may be asked of a data alert.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::values::{AlertId, AlertRef, CampaignId, CaseId, ClueId, ItemCode, Text, UnitId, Yuan};

/// An alert as the medical-insurance monitoring platform (医保智能监控) pushes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AlertPush {
    /// This stream's id: must be [`AlertId::of_reference`] of `reference`.
    pub alert: AlertId,
    /// The platform's own reference of the alert.
    pub reference: AlertRef,
    pub campaign: CampaignId,
    /// The institution or unit the alert is about (a hospital, a pharmacy…).
    pub subject: UnitId,
    /// What the platform saw (abnormal treatment, 异常诊疗), with no patient's personal data.
    pub summary: Text,
    /// The amount involved (涉及金额).
    pub amount_involved: Yuan,
    /// When the platform raised it, by its own clock; the triage window counts from receipt.
    pub raised_at: DateTime<Utc>,
}

/// How an alert is triaged (研判处置): exactly one of these, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Triage {
    /// Not a problem (e.g. a false positive of the model), with reasons.
    Dismissed { reasons: Vec<Text> },
    /// The same facts as another alert, which carries on (never this alert itself).
    Merged { into: AlertId },
    /// Escalated to a clue (问题线索) for a case: the clue id, and the case stream it is
    /// registered on (as for complaints, a policy registers it with these ids).
    EscalatedToClue { clue: ClueId, case: CaseId },
    /// Escalated to an item of the issue list (问题清单).
    EscalatedToItem { code: ItemCode },
}

impl Triage {
    pub fn as_str(&self) -> &'static str {
        match self {
            Triage::Dismissed { .. } => "dismissed",
            Triage::Merged { .. } => "merged",
            Triage::EscalatedToClue { .. } => "escalated_to_clue",
            Triage::EscalatedToItem { .. } => "escalated_to_item",
        }
    }
}

/// The body of an alert command; it travels as [`crate::Command<AlertCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AlertCommand {
    /// The platform pushes an alert (its integrator acts).
    Receive(AlertPush),
    /// The secretariat triages the alert.
    Triage(Triage),
    /// Issued by the scheduler when the triage window has passed.
    RecordTriageMissed,
}

impl AlertCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            AlertCommand::Receive(_) => "receive",
            AlertCommand::Triage(_) => "triage",
            AlertCommand::RecordTriageMissed => "record_triage_missed",
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
            "receive" => "接收预警",
            "triage" => "研判处置",
            "record_triage_missed" => "记录超期未研判",
            other => other,
        }
    }
}
