//! 容错纠错 on the ledger row: one ruling per episode (DOMAIN.md "Fault tolerance": a ruling
//! names its episode and never carries over to a later one).

use chrono::{DateTime, Utc};
use rectiflow_domain::item::{Episode, FaultCause, FaultDecision};
use serde::{Deserialize, Serialize};

/// The ruling on one episode of the item: a deadline it failed, or a relapse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EpisodeRuling {
    pub episode: Episode,
    pub cause: FaultCause,
    pub decision: FaultDecision,
    /// When it was recorded: a ruling counts from then on, never retroactively (DOMAIN.md,
    /// "Publications as facts").
    pub at: DateTime<Utc>,
}

/// Adds `ruling` to `rulings`; a later ruling on an episode supersedes an earlier one (the
/// event's contract — the aggregate refuses a second ruling on an episode anyway).
pub(super) fn record(rulings: &mut Vec<EpisodeRuling>, ruling: EpisodeRuling) {
    match rulings.iter_mut().find(|r| r.episode == ruling.episode) {
        Some(earlier) => *earlier = ruling,
        None => rulings.push(ruling),
    }
}
