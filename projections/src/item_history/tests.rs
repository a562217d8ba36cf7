//! How an item stood at a cut-off as of a position: facts after P or effective at or after the
//! cut-off do not exist for it; a fact recorded late but effective before the cut-off counts
//! once its position is within P.

use chrono::{DateTime, Duration, Utc};
use rectiflow_domain::item::{Episode, FaultCause, FaultDecision, ItemState};
use rectiflow_domain::testing::fixtures::local;

use super::{Fact, FactKind, Happening, ItemAsOf};

pub(crate) fn fact(position: u64, at: DateTime<Utc>, kind: FactKind) -> Fact {
    Fact { position, at, kind }
}

pub(crate) fn registered(campaign: &str, task_force: &str) -> FactKind {
    FactKind::Registered {
        campaign: campaign.into(),
        task_force: task_force.into(),
        category: "欺诈骗保".into(),
    }
}

pub(crate) fn assigned(unit: &str, passes_at: DateTime<Utc>) -> FactKind {
    FactKind::Assigned {
        unit: unit.into(),
        person: format!("{unit}-head"),
        passes_at,
    }
}

fn history() -> Vec<Fact> {
    vec![
        fact(
            1,
            local(2026, 3, 2, 9, 0),
            registered("qunfu-2026", "yibao"),
        ),
        fact(
            2,
            local(2026, 3, 2, 10, 0),
            assigned("county-hospital", local(2026, 3, 11, 0, 0)),
        ),
        fact(3, local(2026, 3, 20, 9, 0), FactKind::SignOffRequested),
        fact(4, local(2026, 3, 21, 9, 0), FactKind::SentBack),
        fact(
            5,
            local(2026, 3, 22, 9, 0),
            FactKind::Ruled {
                episode: Episode::Deadline { number: 1 },
                cause: FaultCause::ForceMajeure,
                decision: FaultDecision::Mitigate,
            },
        ),
        fact(6, local(2026, 4, 2, 9, 0), FactKind::SignOffRequested),
        fact(
            7,
            local(2026, 4, 3, 9, 0),
            FactKind::Closed { on_time: false },
        ),
        // Recorded at position 9, long after, but effective when the 签收 window closed.
        fact(9, local(2026, 3, 5, 0, 0), FactKind::AcknowledgementLate),
    ]
}

#[test]
fn facts_after_the_cut_off_or_past_p_do_not_exist() {
    let facts = history();
    let march = local(2026, 4, 1, 0, 0);
    let item = ItemAsOf::at("YB-2026-0001", &facts, 8, march).expect("registered by then");
    assert_eq!(
        item.state,
        ItemState::InProgress,
        "sent back, not yet closed"
    );
    assert!(item.closure.is_none());
    assert!(
        item.clock().overdue_at(march),
        "its deadline passed on 11 March"
    );
    assert_eq!(
        item.clock().decision_at(march),
        Some(FaultDecision::Mitigate)
    );
    assert_eq!(item.ruling_position_at(march), Some(5));
    assert_eq!(item.clock().days_overdue_at(march), 21);
    // The late 签收 is at position 9: beyond P = 8 it is not known yet; within P = 9 it is.
    let late = |item: &ItemAsOf| {
        item.happened
            .iter()
            .filter(|h| h.what == Happening::LateAcknowledgement)
            .count()
    };
    assert_eq!(late(&item), 0);
    let later = ItemAsOf::at("YB-2026-0001", &facts, 9, march).expect("registered");
    assert_eq!(late(&later), 1);
    // Before the ruling was recorded, the episode counted in full.
    let before_ruling = local(2026, 3, 22, 9, 0);
    let item = ItemAsOf::at("YB-2026-0001", &facts, 9, before_ruling).expect("registered");
    assert_eq!(item.clock().decision_at(before_ruling), None);
    // Not registered yet.
    assert!(ItemAsOf::at("YB-2026-0001", &facts, 9, local(2026, 3, 2, 9, 0)).is_none());
    assert!(ItemAsOf::at("YB-2026-0001", &facts, 0, march).is_none());
}

#[test]
fn a_late_closure_counts_on_time_only_once_its_episode_is_exempted() {
    let mut facts = history();
    let after = local(2026, 5, 1, 0, 0);
    let item = ItemAsOf::at("YB-2026-0001", &facts, 9, after).expect("registered");
    assert_eq!(item.state, ItemState::Closed);
    assert_eq!(
        item.closed_on_time_at(after),
        Some(false),
        "mitigated is not exempt"
    );
    facts[5].kind = FactKind::Ruled {
        episode: Episode::Deadline { number: 1 },
        cause: FaultCause::ForceMajeure,
        decision: FaultDecision::Exempt,
    };
    let item = ItemAsOf::at("YB-2026-0001", &facts, 9, after).expect("registered");
    assert_eq!(item.closed_on_time_at(after), Some(true));
    assert_eq!(
        item.closed_on_time_at(local(2026, 3, 22, 9, 0) - Duration::seconds(1)),
        Some(false),
        "not before the ruling was recorded"
    );
}
