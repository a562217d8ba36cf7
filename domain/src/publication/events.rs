//! What happened to a publication stream: it was published, or (a dispatch) skipped.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::PublicView;
use crate::settings::Rhythm;
use crate::values::{CampaignId, PersonId, PublicationId, Text};

use super::figures::Figures;
use super::kind::{LogPoint, Period, PublicationKind, PublicationScope};
use super::rules::FigureRules;

/// The publication a correction corrects, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Correction {
    pub corrects: PublicationId,
    pub reason: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum PublicationEvent {
    /// 发布: the publication as a fact. Never changed afterwards; a correction is another
    /// `Published` on another stream, with `correction` set.
    Published {
        publication: PublicationId,
        kind: PublicationKind,
        campaign: CampaignId,
        scope: PublicationScope,
        period: Period,
        /// When it fell due, as the aggregate computed it ([`due_at`](super::due_at)): for a
        /// correction, its original's.
        due_at: DateTime<Utc>,
        /// Computing `due_at` looked at a guessed day (a year without a published
        /// arrangement): it may move once the arrangement is published. Absent in events
        /// recorded before it existed (read as false).
        #[serde(default)]
        calendar_unknown: bool,
        /// The rhythm in force, by which `due_at` was computed and the nominal dispatches
        /// checked. Absent in events recorded before it existed (read as the default rhythm,
        /// 09:00 and Monday, which the schedule then used).
        #[serde(default)]
        rhythm: Rhythm,
        /// Dispatches: the nominal occurrences merged into this one (empty otherwise).
        nominal: Vec<DateTime<Utc>>,
        /// Published on a later local day than it fell due (after downtime). Always false for
        /// a correction, which never falls due.
        late: bool,
        inputs: LogPoint,
        /// The mitigation factor (减轻) in force, by which the weighted overdue counts were
        /// checked.
        mitigation_factor: f64,
        /// The [`FigureRules`] in force — bottom N, the admonishment threshold and, for an
        /// assessment, the grade thresholds — by which `bottom`, `named` and the grades were
        /// checked.
        rules: FigureRules,
        /// Boxed: the figures outweigh every other field of every event.
        figures: Box<Figures>,
        correction: Option<Correction>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// A dispatch older than the catch-up window, recorded so its absence is a fact.
    Skipped {
        publication: PublicationId,
        kind: PublicationKind,
        campaign: CampaignId,
        scope: PublicationScope,
        period: Period,
        /// As in `Published`.
        due_at: DateTime<Utc>,
        #[serde(default)]
        calendar_unknown: bool,
        /// The rhythm in force, whose catch-up window it was older than.
        #[serde(default)]
        rhythm: Rhythm,
        nominal: Vec<DateTime<Utc>>,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(PublicationEvent {
    Published => "rectiflow.publication.published",
    Skipped => "rectiflow.publication.skipped",
});

crate::event::attributed!(PublicationEvent { Published, Skipped });

/// Publications are public by nature: nothing in them is sealed (they name units, never
/// complainants).
impl PublicView for PublicationEvent {}
