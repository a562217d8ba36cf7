//! Value types shared by the aggregates. Each has a `parse` constructor, so an invalid value
//! cannot exist: a command that carries one has already been validated at the edge.
//!
//! By seam: identifiers (`ids`), codes and free text (`text`), bounded numbers and scores
//! (`numbers`), money (`money`), outcome indicators (`outcome`), evidence references
//! (`evidence`) and deadlines and local time (`time`).
//! Everything is re-exported here, so `crate::values::X` names every value type.

mod evidence;
mod ids;
mod money;
mod numbers;
mod outcome;
mod text;
mod time;

pub use evidence::{EvidenceRef, MediaType, Sha256Hex, Uri};
pub use ids::{
    AccountabilityId, AdmonishmentId, AlertId, AlertRef, CampaignId, CaseId, ClueId, ComplaintId,
    CountyId, PersonId, PublicationId, ScheduleId, SurveyId, TaskForceId, UnitId,
};
pub use money::Yuan;
pub use numbers::{Percent, Rating, Score, Stars};
pub use outcome::{OutcomeIndicators, OutcomeTotals};
pub use text::{ItemCode, Text};
pub use time::{local_date, local_start_of_day, Deadline};

/// Why a value could not be constructed. The message names the field's kind and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("{kind}不得为空")]
    Empty { kind: &'static str },
    #[error("{kind}过长：共 {len} 个字符，最多 {max} 个")]
    TooLong {
        kind: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{kind} {value:?} 不符合要求：{rule}")]
    Invalid {
        kind: &'static str,
        value: String,
        rule: &'static str,
    },
    #[error("{kind} {value} 超出允许范围（{min} 至 {max}）")]
    OutOfRange {
        kind: &'static str,
        value: String,
        min: String,
        max: String,
    },
}
