//! The settings a publication's figures are checked against, recorded in the publication
//! (DOMAIN.md: the event records the setting values it used). The figures themselves are the
//! projections'; the checks in [`check_figures`](super::check_figures) read these values and no
//! others, so a publication shows the rules it was held to even after the settings change.

use serde::{Deserialize, Serialize};

use crate::settings::{CampaignSettings, GradeThresholds};

use super::kind::PublicationKind;

/// The admonishment and grading settings behind a publication's `bottom`, `named` and grades.
/// The mitigation factor, by which its weighted overdue counts are checked, is recorded beside
/// it as `mitigation_factor` (it was recorded first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FigureRules {
    /// `bottom` is the first this many units of the ranking.
    pub bottom_of_ranking: u32,
    /// Every unit ranked with at least this many weighted overdue items is `named` (点名).
    pub overdue_items_threshold: u32,
    /// The grade thresholds each score's grade was checked against: assessments only (no
    /// other kind carries scores), `None` for dispatches and bulletins.
    pub grades: Option<GradeThresholds>,
}

impl FigureRules {
    /// The values of `settings` a publication of `kind` is checked against.
    pub fn of(kind: PublicationKind, settings: &CampaignSettings) -> Self {
        Self {
            bottom_of_ranking: settings.admonishment.bottom_of_ranking,
            overdue_items_threshold: settings.admonishment.overdue_items_threshold,
            grades: (kind == PublicationKind::Assessment).then(|| settings.grades.clone()),
        }
    }
}
