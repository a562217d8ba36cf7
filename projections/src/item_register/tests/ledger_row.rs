//! The ledger's facts on the row: who answers, every deadline, 签收, progress, the pending
//! request, closure, rulings per episode and outcome totals.

use rectiflow_domain::item::{
    DeadlineSettings, Episode, FaultDecision, ItemEvent, ItemState, WithdrawalGround,
};
use rectiflow_domain::testing::fixtures::{date, local, person, text, unit};
use rectiflow_domain::values::{Deadline, OutcomeIndicators, OutcomeTotals, Percent, Yuan};

use super::{
    acknowledged, acknowledgement_overdue, assigned, extended, fold, registered, ruled, sent_back,
    sign_off_requested, yuan,
};
use crate::item_register::{EpisodeRuling, ItemEntry, ItemRegister};
use crate::projector::RowProjection;

fn first() -> Deadline {
    Deadline::new(date(2026, 3, 31))
}

fn closed(outcome: Option<OutcomeIndicators>) -> ItemEvent {
    ItemEvent::ItemClosed {
        deadline_in_force: first(),
        original_deadline: first(),
        on_time: true,
        after_original_deadline: false,
        sign_off_requested_at: local(2026, 3, 20, 9, 0),
        reinspection_due_at: local(2026, 6, 18, 9, 0),
        reinspection_days: 90,
        note: None,
        outcome,
        by: person("sec-1"),
        at: local(2026, 3, 21, 9, 0),
    }
}

fn reopened() -> ItemEvent {
    ItemEvent::ItemReopened {
        findings: text("又有挂床"),
        new_deadline: Deadline::new(date(2026, 7, 31)),
        acknowledgement_due_at: local(2026, 6, 23, 0, 0),
        deadline_passes_at: local(2026, 8, 1, 0, 0),
        warning_at: local(2026, 7, 29, 0, 0),
        calendar_unknown: false,
        relapses: 1,
        settings: DeadlineSettings {
            acknowledgement_working_days: 2,
            warning_working_days: 3,
        },
        by: person("sec-1"),
        at: local(2026, 6, 19, 9, 0),
    }
}

fn indicators(funds: &str, people: u32, subsidies: &str) -> OutcomeIndicators {
    OutcomeIndicators::new(yuan(funds), people, yuan(subsidies)).expect("indicators")
}

#[test]
fn an_assigned_item_shows_who_answers_and_its_deadline_facts() {
    let entry = fold(vec![registered(), assigned(first())]).expect("a row");
    assert_eq!(entry.category, "欺诈骗保");
    assert_eq!(entry.registered_at, local(2026, 3, 2, 9, 0));
    assert_eq!(entry.yellow_after_send_backs, 2);
    assert_eq!(entry.responsible_person.as_deref(), Some("dr-wang"));
    assert_eq!(entry.supervising_unit.as_deref(), Some("health-bureau"));
    assert_eq!(
        (
            entry.original_deadline,
            entry.deadline,
            entry.deadline_number
        ),
        (Some(first()), Some(first()), 1)
    );
    assert_eq!(entry.warning_at, Some(local(2026, 3, 26, 0, 0)));
    assert_eq!(entry.acknowledgement_due_at, Some(local(2026, 3, 5, 0, 0)));
    assert_eq!(
        (entry.acknowledged_at, entry.acknowledgement_late),
        (None, false)
    );
    assert!(entry.rulings.is_empty());
    assert_eq!(
        (entry.funds_recovered, entry.people_affected),
        (Yuan::ZERO, 0)
    );
}

fn extension_requested(to: Deadline) -> ItemEvent {
    ItemEvent::ExtensionRequested {
        reason: text("外省病历调阅需时"),
        current_deadline: first(),
        requested_deadline: to,
        max_extensions: 2,
        by: person("dr-wang"),
        at: local(2026, 3, 20, 9, 0),
    }
}

#[test]
fn an_extension_request_is_pending_until_decided() {
    let second = Deadline::new(date(2026, 4, 30));
    let asked = vec![registered(), assigned(first()), extension_requested(second)];
    let entry = fold(asked.clone()).expect("a row");
    assert_eq!(
        (entry.extension_requested_at, entry.extension_requested_to),
        (Some(local(2026, 3, 20, 9, 0)), Some(second))
    );
    let denied = ItemEvent::ExtensionDenied {
        requested_deadline: second,
        reason: text("理由不充分"),
        by: person("sec-li"),
        at: local(2026, 3, 21, 9, 0),
    };
    for decision in [denied, extended(first(), second)] {
        let mut events = asked.clone();
        events.push(decision);
        let entry = fold(events).expect("a row");
        assert_eq!(
            (entry.extension_requested_at, entry.extension_requested_to),
            (None, None)
        );
    }
}

#[test]
fn an_extension_keeps_the_original_deadline_and_starts_the_next_episode() {
    let second = Deadline::new(date(2026, 4, 30));
    let entry = fold(vec![
        registered(),
        assigned(first()),
        extended(first(), second),
    ])
    .expect("a row");
    assert_eq!(entry.original_deadline, Some(first()));
    assert_eq!((entry.deadline, entry.deadline_number), (Some(second), 2));
    assert_eq!(entry.warning_at, Some(local(2026, 4, 27, 0, 0)));
}

#[test]
fn a_late_acknowledgement_is_shown_until_a_reassignment_opens_a_new_window() {
    let acknowledged_at = local(2026, 3, 6, 9, 0);
    let events = vec![
        registered(),
        assigned(first()),
        acknowledgement_overdue(),
        acknowledged(acknowledged_at, true),
    ];
    let entry = fold(events.clone()).expect("a row");
    assert_eq!(entry.state, ItemState::InProgress);
    assert_eq!(
        (entry.acknowledged_at, entry.acknowledgement_late),
        (Some(acknowledged_at), true)
    );
    let reassigned = ItemEvent::ItemReassigned {
        from_unit: unit("county-hospital"),
        from_person: person("dr-wang"),
        responsible_unit: unit("town-clinic"),
        responsible_person: person("dr-li"),
        reason: text("职责调整"),
        acknowledgement_due_at: local(2026, 3, 12, 0, 0),
        acknowledgement_working_days: 2,
        calendar_unknown: false,
        sign_off_cancelled: false,
        by: person("sec-1"),
        at: local(2026, 3, 10, 9, 0),
    };
    let entry = fold([events, vec![reassigned]].concat()).expect("a row");
    assert_eq!(entry.state, ItemState::Assigned);
    assert_eq!(entry.responsible_person.as_deref(), Some("dr-li"));
    assert_eq!(entry.acknowledgement_due_at, Some(local(2026, 3, 12, 0, 0)));
    assert_eq!(
        (entry.acknowledged_at, entry.acknowledgement_late),
        (None, false)
    );
    assert_eq!(entry.deadline, Some(first()), "改派 keeps the deadline");
}

#[test]
fn progress_and_a_pending_request_are_shown_until_it_is_sent_back() {
    let progress = ItemEvent::ProgressReported {
        text: text("已核查一半"),
        percent: Percent::parse(50).expect("a percent"),
        evidence: Vec::new(),
        by: person("dr-wang"),
        at: local(2026, 3, 10, 9, 0),
    };
    let requested_at = local(2026, 3, 20, 9, 0);
    let events = vec![
        registered(),
        assigned(first()),
        acknowledged(local(2026, 3, 3, 9, 0), false),
        progress,
        sign_off_requested(requested_at),
    ];
    let entry = fold(events.clone()).expect("a row");
    assert_eq!(entry.last_progress_percent.map(Percent::get), Some(50));
    assert_eq!(entry.last_progress_at, Some(local(2026, 3, 10, 9, 0)));
    assert_eq!(entry.sign_off_requested_at, Some(requested_at));
    let entry =
        fold([events, vec![sent_back(1, local(2026, 3, 22, 9, 0))]].concat()).expect("a row");
    assert_eq!((entry.state, entry.send_backs), (ItemState::InProgress, 1));
    assert_eq!(entry.sign_off_requested_at, None);
    assert_eq!(entry.last_progress_percent.map(Percent::get), Some(50));
}

#[test]
fn a_closure_adds_its_outcome_and_a_relapse_reopens_the_next_episode() {
    let events = vec![
        registered(),
        assigned(first()),
        acknowledged(local(2026, 3, 3, 9, 0), false),
        ItemEvent::OutcomeRecorded {
            indicators: indicators("100.10", 3, "0"),
            evidence: Vec::new(),
            totals: OutcomeTotals {
                funds_recovered: yuan("100.10"),
                people_affected: 3,
                subsidies_returned: Yuan::ZERO,
            },
            by: person("dr-wang"),
            at: local(2026, 3, 15, 9, 0),
        },
        sign_off_requested(local(2026, 3, 20, 9, 0)),
        closed(Some(indicators("0.20", 0, "5"))),
    ];
    let entry = fold(events.clone()).expect("a row");
    assert_eq!(entry.state, ItemState::Closed);
    assert_eq!(entry.sign_off_requested_at, None);
    assert_eq!(entry.closed_at, Some(local(2026, 3, 21, 9, 0)));
    assert_eq!(
        (entry.closed_on_time, entry.closed_after_original_deadline),
        (Some(true), Some(false))
    );
    assert_eq!(entry.reinspection_due_at, Some(local(2026, 6, 18, 9, 0)));
    assert_eq!(
        (
            entry.funds_recovered,
            entry.people_affected,
            entry.subsidies_returned
        ),
        (yuan("100.30"), 3, yuan("5.00"))
    );
    let json = serde_json::to_value(&entry).expect("serialises");
    assert_eq!(json["funds_recovered"], "100.30", "a decimal string");

    let entry = fold([events, vec![reopened()]].concat()).expect("a row");
    assert_eq!((entry.state, entry.relapses), (ItemState::Reopened, 1));
    assert_eq!((entry.closed_at, entry.closed_on_time), (None, None));
    assert_eq!(entry.original_deadline, Some(first()));
    assert_eq!(
        (entry.deadline, entry.deadline_number),
        (Some(Deadline::new(date(2026, 7, 31))), 2)
    );
    assert_eq!(entry.acknowledgement_due_at, Some(local(2026, 6, 23, 0, 0)));
    assert_eq!(entry.acknowledged_at, None);
    assert_eq!(entry.people_affected, 3, "the outcome stays");
}

#[test]
fn rulings_are_kept_per_episode() {
    let late = ruled(
        Episode::Deadline { number: 1 },
        FaultDecision::Exempt,
        local(2026, 4, 3, 9, 0),
    );
    let relapse = ruled(
        Episode::Relapse { number: 1 },
        FaultDecision::Mitigate,
        local(2026, 4, 4, 9, 0),
    );
    let entry = fold(vec![registered(), assigned(first()), late, relapse]).expect("a row");
    assert_eq!(
        entry
            .rulings
            .iter()
            .map(|r| (r.episode, r.decision))
            .collect::<Vec<_>>(),
        vec![
            (Episode::Deadline { number: 1 }, FaultDecision::Exempt),
            (Episode::Relapse { number: 1 }, FaultDecision::Mitigate),
        ]
    );
    // A later ruling on an episode supersedes the earlier one.
    let mut entry = entry;
    let superseding = EpisodeRuling {
        decision: FaultDecision::None,
        ..entry.rulings[0]
    };
    super::super::rulings::record(&mut entry.rulings, superseding);
    assert_eq!(entry.rulings.len(), 2);
    assert_eq!(entry.rulings[0].decision, FaultDecision::None);
}

#[test]
fn a_withdrawn_or_carried_over_item_says_when_and_whence() {
    let withdrawn = ItemEvent::ItemWithdrawn {
        ground: WithdrawalGround::Unfounded,
        reason: text("查无实据"),
        by: person("sec-1"),
        at: local(2026, 3, 9, 9, 0),
    };
    let entry = fold(vec![registered(), assigned(first()), withdrawn]).expect("a row");
    assert_eq!(entry.state, ItemState::Withdrawn);
    assert_eq!(entry.withdrawn_at, Some(local(2026, 3, 9, 9, 0)));
    let carried = ItemEvent::ItemCarriedOver {
        from: rectiflow_domain::testing::fixtures::campaign(),
        to: "qunfu-2027".parse().expect("valid campaign"),
        task_force: "yb-2027".parse().expect("valid task force"),
        reason: text("年度收官"),
        by: person("sec-1"),
        at: local(2026, 3, 20, 9, 0),
    };
    let entry = fold(vec![registered(), assigned(first()), carried]).expect("a row");
    assert_eq!(entry.carried_over_from.as_deref(), Some("qunfu-2026"));
}

/// Every field of a full row fits its column and reads back the same, rulings (a JSON text
/// column) and amounts (decimal strings) included.
#[test]
fn a_full_ledger_row_survives_its_trip_through_the_table() {
    let entry: ItemEntry = fold(vec![
        registered(),
        assigned(first()),
        acknowledgement_overdue(),
        acknowledged(local(2026, 3, 6, 9, 0), true),
        super::overdue(first()),
        ruled(
            Episode::Deadline { number: 1 },
            FaultDecision::Mitigate,
            local(2026, 4, 3, 9, 0),
        ),
        sign_off_requested(local(2026, 4, 5, 9, 0)),
        closed(Some(indicators("360000.5", 12, "0"))),
    ])
    .expect("a row");
    let json = serde_json::to_value(&entry).expect("serialises");
    let fields = json.as_object().expect("an object").clone();
    assert!(fields["rulings"].is_string(), "{}", fields["rulings"]);
    assert_eq!(
        fields.len(),
        ItemRegister::TABLE.columns.len(),
        "one column per field"
    );
    for column in ItemRegister::TABLE.columns {
        assert!(fields.contains_key(column.name), "{}", column.name);
    }
    ItemRegister::TABLE
        .upsert(&fields)
        .expect("every field fits its column");
    let back: ItemEntry = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, entry);
}
