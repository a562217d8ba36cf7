//! 容错纠错 on the ledger row: one ruling per episode (DOMAIN.md "Fault tolerance": a ruling
//! names its episode and never carries over to a later one).

use chrono::{DateTime, Utc};
use rectiflow_domain::item::{Episode, FaultCause, FaultDecision};
use serde::{Deserialize, Serialize};

/// The ruling on one episode of the item: a deadline it failed, or a relapse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// The rulings travel in one text column, as their JSON array: a table's columns are portable
/// scalars, the same on both backends.
pub(super) mod as_json_text {
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::EpisodeRuling;

    pub fn serialize<S: Serializer>(
        rulings: &[EpisodeRuling],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(rulings).map_err(S::Error::custom)?;
        serializer.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<EpisodeRuling>, D::Error> {
        let text = String::deserialize(deserializer)?;
        serde_json::from_str(&text).map_err(D::Error::custom)
    }
}
