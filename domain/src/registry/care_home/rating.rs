//! 星级评定 — a care home's total score and stars: the weighted mean of its three dimension
//! scores, by the campaign's weights, and the stars its bands give that total.

use crate::settings::CareHomeRating;
use crate::values::{Score, Stars};

use super::commands::DimensionScores;

/// The total (0–100) and the stars of `scores` under `rating`; `None` when the weights leave
/// nothing to weigh (settings validation refuses such weights, so only a corrupt setting can).
pub fn rate(scores: &DimensionScores, rating: &CareHomeRating) -> Option<(Score, Stars)> {
    let w = &rating.weights;
    let weight = w.facilities + w.services + w.staff;
    if !(weight.is_finite() && weight > 0.0) {
        return None;
    }
    let total = (scores.facilities.get() * w.facilities
        + scores.services.get() * w.services
        + scores.staff.get() * w.staff)
        / weight;
    let total = Score::parse(total.clamp(0.0, 100.0)).ok()?;
    let stars = Stars::parse(rating.bands.stars(total.get())).ok()?;
    Some((total, stars))
}
