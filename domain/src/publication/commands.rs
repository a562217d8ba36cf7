//! What may be asked of a publication stream: publish it, publish a correction of another, or
//! record a dispatch as skipped.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::values::{CampaignId, PublicationId, Text};

use super::figures::Figures;
use super::kind::{LogPoint, Period, PublicationKind, PublicationScope};

/// A publication as the schedule (or the secretariat, for a correction) asks for it. It names
/// no due instant: the aggregate computes it from the kind, the period (a dispatch: its nominal
/// occurrences), the campaign's rhythm and calendar ([`due_at`](super::due_at)), and records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Publish {
    /// This stream's id, as [`publication_id`](super::publication_id) builds it (or
    /// [`correction_id`](super::correction_id) for a correction).
    pub publication: PublicationId,
    pub kind: PublicationKind,
    pub campaign: CampaignId,
    pub scope: PublicationScope,
    pub period: Period,
    /// Dispatches only: the nominal occurrences it stands for, ascending — one as each week it
    /// covers ends, on the rhythm's dispatch weekday at its publication time; more than one
    /// when they were moved onto the same day. Empty for bulletins and assessments.
    pub nominal: Vec<DateTime<Utc>>,
    /// The log position its inputs were read at, and the chain digest there.
    pub inputs: LogPoint,
    pub figures: Figures,
}

/// A dispatch that fell due longer ago than the catch-up window: recorded, not published. Its
/// due instant is computed as a publication's is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Skip {
    pub publication: PublicationId,
    pub kind: PublicationKind,
    pub campaign: CampaignId,
    pub scope: PublicationScope,
    pub period: Period,
    /// The nominal occurrences it stands for, as in [`Publish::nominal`].
    pub nominal: Vec<DateTime<Utc>>,
}

/// The body of a publication command; it travels as [`crate::Command<PublicationCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PublicationCommand {
    /// Publishes the original publication of its kind, campaign, period and scope, once.
    Publish(Publish),
    /// Publishes a correction on its own stream (`…~correction-n`), naming the publication it
    /// corrects (`…~correction-(n-1)`, or the original for the first), which stays as it was.
    Correct {
        correction: Publish,
        corrects: PublicationId,
        reason: Text,
    },
    /// Records that a dispatch was skipped (周调度 only: bulletins and assessments are never
    /// skipped, they are published late).
    Skip(Skip),
}

impl PublicationCommand {
    /// The request's name, for refusals.
    pub fn name(&self) -> &'static str {
        match self {
            PublicationCommand::Publish(_) => "publish",
            PublicationCommand::Correct { .. } => "correct",
            PublicationCommand::Skip(_) => "skip",
        }
    }

    /// The name users read (中文).
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` by [`name`](Self::name);
    /// `name` itself if no request is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "publish" => "发布",
            "correct" => "发布更正",
            "skip" => "将本期记为跳过",
            other => other,
        }
    }

    /// The stream the body names (it creates it).
    pub fn publication(&self) -> &PublicationId {
        match self {
            PublicationCommand::Publish(publish) => &publish.publication,
            PublicationCommand::Correct { correction, .. } => &correction.publication,
            PublicationCommand::Skip(skip) => &skip.publication,
        }
    }
}
