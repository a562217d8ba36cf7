//! The values the ledger derives at read time — colour, overdue, days overdue — against
//! DOMAIN.md's rules and against the aggregate's own colour, at instants around every edge.

use chrono::{DateTime, Duration, Utc};
use rectiflow_domain::item::{Colour, Episode, FaultDecision, Item, ItemEvent, WithdrawalGround};
use rectiflow_domain::testing::fixtures::{date, local, person, replay, text};
use rectiflow_domain::values::Deadline;

use super::{
    acknowledged, assigned, extended, fold, overdue, registered, ruled, sent_back,
    sign_off_requested,
};
use crate::item_register::ItemEntry;

fn first() -> Deadline {
    Deadline::new(date(2026, 3, 31))
}

/// The fixture's deadline passes at 2026-04-01 00:00 local; its warning window opens on
/// 2026-03-26 00:00.
fn passes_at() -> DateTime<Utc> {
    local(2026, 4, 1, 0, 0)
}

fn in_progress() -> Vec<ItemEvent> {
    vec![
        registered(),
        assigned(first()),
        acknowledged(local(2026, 3, 3, 9, 0), false),
    ]
}

fn with(mut events: Vec<ItemEvent>, more: impl IntoIterator<Item = ItemEvent>) -> Vec<ItemEvent> {
    events.extend(more);
    events
}

fn row(events: &[ItemEvent]) -> ItemEntry {
    fold(events.to_vec()).expect("a row")
}

fn exempted_on(number: u32, at: DateTime<Utc>) -> ItemEvent {
    ruled(Episode::Deadline { number }, FaultDecision::Exempt, at)
}

fn closed() -> ItemEvent {
    ItemEvent::ItemClosed {
        deadline_in_force: first(),
        original_deadline: first(),
        on_time: true,
        after_original_deadline: false,
        sign_off_requested_at: local(2026, 3, 20, 9, 0),
        reinspection_due_at: local(2026, 6, 18, 9, 0),
        reinspection_days: 90,
        note: None,
        outcome: None,
        by: person("sec-1"),
        at: local(2026, 3, 21, 9, 0),
    }
}

/// Instants on and around every edge of the fixture's deadline and warning window.
fn instants() -> Vec<DateTime<Utc>> {
    let edges = [
        local(2026, 3, 2, 11, 0),
        local(2026, 3, 26, 0, 0),
        passes_at(),
        local(2026, 4, 2, 0, 0),
        local(2026, 5, 1, 0, 0),
        local(2026, 5, 3, 12, 0),
    ];
    edges
        .into_iter()
        .flat_map(|at| [at - Duration::seconds(1), at, at + Duration::seconds(1)])
        .collect()
}

#[test]
fn the_colour_is_the_aggregates_at_every_instant_of_every_history() {
    let histories = vec![
        vec![registered()],
        vec![registered(), assigned(first())],
        in_progress(),
        with(
            in_progress(),
            [
                sent_back(1, local(2026, 3, 10, 9, 0)),
                sent_back(2, local(2026, 3, 12, 9, 0)),
            ],
        ),
        with(
            in_progress(),
            [sign_off_requested(local(2026, 3, 30, 9, 0))],
        ),
        with(in_progress(), [sign_off_requested(local(2026, 4, 2, 9, 0))]),
        with(in_progress(), [overdue(first())]),
        with(
            in_progress(),
            [overdue(first()), exempted_on(1, local(2026, 4, 3, 9, 0))],
        ),
        with(
            in_progress(),
            [extended(first(), Deadline::new(date(2026, 4, 30)))],
        ),
        with(
            in_progress(),
            [sign_off_requested(local(2026, 3, 20, 9, 0)), closed()],
        ),
        with(
            in_progress(),
            [ItemEvent::ItemWithdrawn {
                ground: WithdrawalGround::Unfounded,
                reason: text("查无实据"),
                by: person("sec-1"),
                at: local(2026, 3, 9, 9, 0),
            }],
        ),
    ];
    for events in histories {
        let entry = row(&events);
        let item: Item = replay(events.clone());
        assert_eq!(entry.state, item.state());
        assert_eq!(entry.clock_stopped_at(), item.clock_stopped_at());
        for now in instants() {
            assert_eq!(
                entry.colour_at(now),
                item.colour(now),
                "at {now} after {:?}",
                events.last()
            );
        }
    }
}

#[test]
fn the_colour_turns_yellow_in_the_warning_window_and_red_when_the_deadline_passes() {
    let entry = row(&in_progress());
    assert_eq!(entry.colour_at(local(2026, 3, 10, 9, 0)), Colour::Green);
    assert_eq!(entry.colour_at(local(2026, 3, 26, 0, 0)), Colour::Yellow);
    assert_eq!(
        entry.colour_at(passes_at() - Duration::seconds(1)),
        Colour::Yellow
    );
    assert_eq!(entry.colour_at(passes_at()), Colour::Red);
    // Two send-backs (the threshold recorded at registration) make it yellow early.
    let entry = row(&with(
        in_progress(),
        [
            sent_back(1, local(2026, 3, 10, 9, 0)),
            sent_back(2, local(2026, 3, 12, 9, 0)),
        ],
    ));
    assert_eq!(entry.colour_at(local(2026, 3, 13, 9, 0)), Colour::Yellow);
}

#[test]
fn days_overdue_are_whole_days_from_the_instant_the_deadline_passed() {
    let entry = row(&in_progress());
    // At the very instant it passes, a cut-off does not count the item yet.
    assert!(!entry.overdue_at(passes_at()));
    assert_eq!(entry.days_overdue_at(passes_at()), 0);
    let just_after = passes_at() + Duration::seconds(1);
    assert!(entry.overdue_at(just_after));
    assert_eq!(entry.days_overdue_at(just_after), 0);
    assert_eq!(
        entry.days_overdue_at(passes_at() + Duration::days(1) - Duration::seconds(1)),
        0
    );
    assert_eq!(entry.days_overdue_at(local(2026, 4, 2, 0, 0)), 1);
    assert_eq!(entry.days_overdue_at(local(2026, 4, 3, 5, 0)), 2);
    // The recorded fact changes nothing: the days are counted from the stored instant.
    let recorded = row(&with(in_progress(), [overdue(first())]));
    assert_eq!(recorded.days_overdue_at(local(2026, 4, 3, 5, 0)), 2);
}

#[test]
fn a_request_before_the_deadline_stops_the_clock_and_a_late_one_does_not() {
    let in_time = local(2026, 3, 30, 9, 0);
    let entry = row(&with(in_progress(), [sign_off_requested(in_time)]));
    let later = local(2026, 4, 10, 9, 0);
    assert_eq!(entry.clock_stopped_at(), Some(in_time));
    assert!(!entry.overdue_at(later));
    assert_eq!(entry.days_overdue_at(later), 0);
    // The colour of the instant it stopped: inside the warning window.
    assert_eq!(entry.colour_at(later), Colour::Yellow);

    let late = row(&with(
        in_progress(),
        [
            overdue(first()),
            sign_off_requested(local(2026, 4, 2, 9, 0)),
        ],
    ));
    assert_eq!(late.clock_stopped_at(), None);
    assert!(late.overdue_at(later));
    assert_eq!(late.days_overdue_at(later), 9);
    assert_eq!(late.colour_at(later), Colour::Red);

    // Sent back: the clock runs again from the deadline.
    let sent_back = row(&with(
        in_progress(),
        [
            sign_off_requested(in_time),
            overdue(first()),
            sent_back(1, local(2026, 4, 5, 9, 0)),
        ],
    ));
    assert_eq!(sent_back.days_overdue_at(later), 9);
}

#[test]
fn an_exemption_zeroes_the_days_from_its_ruling_on_and_only_for_its_episode() {
    let ruled_at = local(2026, 4, 5, 9, 0);
    let exempted = row(&with(
        in_progress(),
        [overdue(first()), exempted_on(1, ruled_at)],
    ));
    // Never retroactively: before the ruling the days counted.
    assert_eq!(exempted.days_overdue_at(local(2026, 4, 4, 0, 0)), 3);
    assert!(!exempted.exempt_at(local(2026, 4, 4, 0, 0)));
    let after = local(2026, 4, 10, 9, 0);
    assert!(exempted.exempt_at(after));
    assert!(exempted.overdue_at(after), "still overdue, counted 0");
    assert_eq!(exempted.days_overdue_at(after), 0);
    assert_eq!(exempted.colour_at(after), Colour::Red);

    let mitigated = row(&with(
        in_progress(),
        [
            overdue(first()),
            ruled(
                Episode::Deadline { number: 1 },
                FaultDecision::Mitigate,
                ruled_at,
            ),
        ],
    ));
    assert_eq!(mitigated.days_overdue_at(after), 9);

    // An extension is a new episode: the exemption of the first deadline does not carry over.
    let extended = row(&with(
        in_progress(),
        [
            overdue(first()),
            exempted_on(1, ruled_at),
            extended(first(), Deadline::new(date(2026, 4, 30))),
        ],
    ));
    let may_3 = local(2026, 5, 3, 12, 0);
    assert!(!extended.exempt_at(may_3));
    assert_eq!(extended.days_overdue_at(may_3), 2);
}

#[test]
fn closed_and_withdrawn_items_are_neither_overdue_nor_coloured() {
    let entry = row(&with(
        in_progress(),
        [sign_off_requested(local(2026, 3, 20, 9, 0)), closed()],
    ));
    let later = local(2026, 4, 10, 9, 0);
    assert!(!entry.overdue_at(later));
    assert_eq!(entry.days_overdue_at(later), 0);
    assert_eq!(entry.colour_at(later), Colour::Green);
    let entry = row(&with(
        in_progress(),
        [
            overdue(first()),
            ItemEvent::ItemWithdrawn {
                ground: WithdrawalGround::Unfounded,
                reason: text("查无实据"),
                by: person("sec-1"),
                at: local(2026, 4, 2, 9, 0),
            },
        ],
    ));
    assert!(!entry.overdue_at(later));
    assert_eq!(entry.days_overdue_at(later), 0);
    assert_eq!(entry.colour_at(later), Colour::Green);
}
