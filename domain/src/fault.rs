//! 容错纠错 (fault tolerance): the causes and decisions every 容错 ruling uses, whichever
//! aggregate records it — the secretariat's ruling on an item's overdue deadline or relapse, or
//! discipline inspection's ruling as part of an accountability (问责) decision.
//!
//! They live apart from both aggregates because the rule that binds them is one rule
//! (DOMAIN.md "Fault tolerance"): tell subjective wrongdoing (主观过错) apart from objective
//! error, and never excuse the former. A ruling always names its own episode, which each
//! aggregate defines (an item's deadline or relapse; an accountability case).

use serde::{Deserialize, Serialize};

/// 容错纠错 — the cause of a failure a ruling looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FaultCause {
    /// 不可抗力 — weather, logistics…
    ForceMajeure,
    /// 管理失误
    ManagementError,
    /// 改革创新经验不足 — inexperience in reform and innovation (the seed's own ground for
    /// exempting or reducing a cadre's liability).
    InexperienceInReform,
    /// 主观过错 — personal gain, bribery, fraud: never exempted or mitigated.
    SubjectiveWrongdoing,
}

impl FaultCause {
    /// Whether a ruling may exempt or mitigate on this cause (DOMAIN.md "Fault tolerance":
    /// subjective wrongdoing never can).
    pub fn excusable(self) -> bool {
        self != Self::SubjectiveWrongdoing
    }

    /// Whether `decision` may be taken on this cause: anything on an excusable cause, only
    /// [`FaultDecision::None`] on subjective wrongdoing.
    pub fn permits(self, decision: FaultDecision) -> bool {
        self.excusable() || !decision.excuses()
    }
}

/// 容错纠错 — what the ruling decides about counting the failure against the unit (or, for a
/// person's accountability, about holding them liable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FaultDecision {
    /// 免责 — does not count against the unit; the person is not held liable.
    Exempt,
    /// 减轻 — counts with the campaign's mitigation factor; the person's liability is reduced.
    Mitigate,
    /// Counts in full.
    None,
}

impl FaultDecision {
    /// Whether the decision excuses anything (exempts or mitigates).
    pub fn excuses(self) -> bool {
        self != Self::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjective_wrongdoing_permits_only_no_excuse() {
        use FaultDecision::{Exempt, Mitigate, None};
        for decision in [Exempt, Mitigate] {
            assert!(!FaultCause::SubjectiveWrongdoing.permits(decision));
            assert!(FaultCause::ForceMajeure.permits(decision));
        }
        assert!(FaultCause::SubjectiveWrongdoing.permits(None));
    }

    /// The wire names are the ones item events have carried since they were first published.
    #[test]
    fn wire_names_are_unchanged_by_the_move() {
        assert_eq!(
            serde_json::to_value(FaultCause::InexperienceInReform).ok(),
            Some(serde_json::json!("inexperience_in_reform"))
        );
        assert_eq!(
            serde_json::to_value(FaultDecision::Mitigate).ok(),
            Some(serde_json::json!("mitigate"))
        );
    }
}
