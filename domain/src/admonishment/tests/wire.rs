//! The wire format: events round-trip, codes are stable and namespaced.

use super::fixtures::*;
use crate::admonishment::*;
use crate::assessment::Grade;
use crate::publication::PublicationKind;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};

#[test]
fn events_round_trip() {
    let withdrawn = AdmonishmentEvent::Withdrawn {
        reasons: vec![text("通报已更正")],
        correction: Some(pid("bulletin~qunfu-2026~2026-03~county~correction-1")),
        by: person("sec-yibao"),
        at: at(NOW),
    };
    for event in [triggered(), scheduled(), held(), followed_up(), withdrawn] {
        assert_round_trips(&event);
    }
    let json = serde_json::to_value(triggered()).expect("json");
    let basis = &json["Triggered"]["basis"];
    assert_eq!(basis["by"], "policy");
    assert_eq!(basis["publication"]["publication"], BULLETIN);
    assert_eq!(basis["findings"][0]["rule"], "overdue_items");
    assert_eq!(basis["findings"][0]["overdue"]["weighted"], 3.5);
    assert_eq!(basis["rules_in_force"]["overdue_items_threshold"], 3);
}

#[test]
fn error_codes_are_distinct_and_namespaced() {
    let errors = [
        AdmonishmentError::UnknownCampaign {
            campaign: campaign(),
        },
        invalid("held", "schedule"),
        AdmonishmentError::MissingReasons,
        AdmonishmentError::WrongStream {
            named: id("a"),
            expected: String::new(),
        },
        AdmonishmentError::MissingFindings,
        AdmonishmentError::RuleTwice {
            rule: AdmonishmentRule::OverdueItems,
        },
        AdmonishmentError::PublicationMismatch {
            publication: pid(BULLETIN),
        },
        AdmonishmentError::RuleNotAtPublication {
            rule: AdmonishmentRule::OverdueItems,
            kind: PublicationKind::Dispatch,
            needs: "x",
        },
        AdmonishmentError::RuleDisabled {
            rule: AdmonishmentRule::FailedAssessment,
        },
        AdmonishmentError::BelowThreshold {
            overdue: 1.0,
            threshold: 3,
        },
        AdmonishmentError::InconsistentOverdue,
        AdmonishmentError::MissingItems {
            items: 0,
            overdue: 1,
        },
        AdmonishmentError::RankingEvidence { needs: "x" },
        AdmonishmentError::NotFailed { grade: Grade::Pass },
        AdmonishmentError::ScheduledInPast { when: at(NOW) },
        AdmonishmentError::MissingConductors,
        AdmonishmentError::NotYetHeld {
            scheduled_for: at(NOW),
        },
        AdmonishmentError::MissingAttendees,
        AdmonishmentError::NotACorrection {
            correction: pid(BULLETIN),
            rests_on: None,
        },
    ];
    assert_codes_distinct_and_namespaced(&errors, "admonishment.");
}

#[test]
fn refusals_read_in_chinese() {
    for status in AdmonishmentStatus::ALL {
        assert!(!status.label().is_ascii(), "{}", status.as_str());
    }
    assert_eq!(
        invalid("held", "schedule").to_string(),
        "约谈提醒处于“已约谈”状态，不能安排约谈"
    );
    assert_eq!(
        AdmonishmentError::RuleNotAtPublication {
            rule: AdmonishmentRule::FailedAssessment,
            kind: PublicationKind::Bulletin,
            needs: "季考核",
        }
        .to_string(),
        "规则“季度考核不合格”仅依据季考核评估，不能依据本次月通报"
    );
    assert_eq!(
        AdmonishmentError::NotFailed { grade: Grade::Pass }.to_string(),
        "考核等次为“合格”或得分不属不合格，不构成考核不合格"
    );
    assert_eq!(
        AdmonishmentError::NotACorrection {
            correction: pid(BULLETIN),
            rests_on: None,
        }
        .to_string(),
        format!("{BULLETIN} 不是本约谈提醒所依据通报（考核）的更正；所依据的为：无")
    );
}
