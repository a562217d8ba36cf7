//! The item watch's fold, without a database: each fact armed by the event that sets its
//! instant, disarmed by the fact itself or the item's end, the earliest in `next_due_at`.

use chrono::{DateTime, Utc};
use rectiflow_domain::item::ItemEvent;
use rectiflow_domain::testing::fixtures::{campaign, date, local, person, text};
use rectiflow_domain::values::{CampaignId, Deadline, TaskForceId};

use super::{ItemWatch, ItemWatchRow, WatchedFact};
use crate::projector::RowProjection;
use crate::testing::{item_assigned, item_extended, item_registered as registered};

fn assigned() -> ItemEvent {
    item_assigned(Deadline::new(date(2026, 3, 31)))
}

fn extended() -> ItemEvent {
    item_extended(
        Deadline::new(date(2026, 3, 31)),
        Deadline::new(date(2026, 4, 30)),
    )
}

const ITEM: &str = "YB-2026-0001";

/// The row after `events`, folded in order as positions 1, 2, …
fn folded(events: Vec<ItemEvent>) -> Option<ItemWatchRow> {
    events
        .into_iter()
        .enumerate()
        .fold(None, |row, (i, event)| {
            let logged = crate::testing::logged("item", ITEM, i as u64 + 1);
            ItemWatch::fold(row, ITEM, event, &logged)
        })
}

fn armed(row: &ItemWatchRow) -> [Option<DateTime<Utc>>; 4] {
    [
        row.acknowledgement_due_at,
        row.warning_at,
        row.overdue_at,
        row.next_due_at,
    ]
}

#[test]
fn an_assignment_arms_the_three_facts_and_the_earliest_is_next() {
    let row = folded(vec![registered()]).expect("a row");
    assert_eq!(armed(&row), [None; 4], "nothing to watch before assignment");
    let row = folded(vec![registered(), assigned()]).expect("a row");
    assert_eq!(
        armed(&row),
        [
            Some(local(2026, 3, 5, 0, 0)),
            Some(local(2026, 3, 26, 0, 0)),
            Some(local(2026, 4, 1, 0, 0)),
            Some(local(2026, 3, 5, 0, 0)),
        ]
    );
    assert_eq!(row.position, 2);
    assert_eq!(row.due_by(local(2026, 3, 4, 23, 59)), vec![]);
    assert_eq!(
        row.due_by(local(2026, 4, 1, 0, 0)),
        vec![
            WatchedFact::AcknowledgementOverdue,
            WatchedFact::DeadlineWarning,
            WatchedFact::Overdue
        ],
        "a watcher back after downtime records them in the item's order"
    );
}

#[test]
fn each_fact_disarms_itself_and_overdue_closes_the_warning_window() {
    let acknowledged = ItemEvent::ItemAcknowledged {
        late: false,
        by: person("dr-wang"),
        at: local(2026, 3, 3, 9, 0),
    };
    let row = folded(vec![registered(), assigned(), acknowledged]).expect("a row");
    assert_eq!(row.acknowledgement_due_at, None);
    assert_eq!(row.next_due_at, Some(local(2026, 3, 26, 0, 0)));
    let warned = ItemEvent::DeadlineWarningRecorded {
        deadline: Deadline::new(date(2026, 3, 31)),
        effective_at: local(2026, 3, 26, 0, 0),
        deadline_passes_at: local(2026, 4, 1, 0, 0),
        calendar_unknown: false,
        by: person("schedule:watch"),
        at: local(2026, 3, 26, 0, 1),
    };
    let overdue = ItemEvent::ItemBecameOverdue {
        deadline: Deadline::new(date(2026, 3, 31)),
        effective_at: local(2026, 4, 1, 0, 0),
        by: person("schedule:watch"),
        at: local(2026, 4, 1, 0, 1),
    };
    let row = folded(vec![registered(), assigned(), warned]).expect("a row");
    assert_eq!(
        (row.warning_at, row.overdue_at),
        (None, Some(local(2026, 4, 1, 0, 0)))
    );
    let row = folded(vec![registered(), assigned(), overdue]).expect("a row");
    assert_eq!(
        (row.warning_at, row.overdue_at),
        (None, None),
        "past the deadline the warning is moot"
    );
    assert_eq!(
        row.next_due_at,
        Some(local(2026, 3, 5, 0, 0)),
        "签收 still awaited"
    );
}

#[test]
fn an_extension_rearms_the_warning_and_the_overdue_of_the_new_deadline() {
    let row = folded(vec![registered(), assigned(), extended()]).expect("a row");
    assert_eq!(row.warning_at, Some(local(2026, 4, 27, 0, 0)));
    assert_eq!(row.overdue_at, Some(local(2026, 5, 1, 0, 0)));
    assert_eq!(
        row.acknowledgement_due_at,
        Some(local(2026, 3, 5, 0, 0)),
        "an extension does not touch 签收"
    );
}

#[test]
fn a_warning_never_opens_before_its_deadline_was_set() {
    // Extended on 04-28, after the new deadline's warning instant (04-27): it opens then.
    let mut late = extended();
    if let ItemEvent::ExtensionApproved { at, .. } = &mut late {
        *at = local(2026, 4, 28, 11, 0);
    }
    let row = folded(vec![registered(), assigned(), late]).expect("a row");
    assert_eq!(row.warning_at, Some(local(2026, 4, 28, 11, 0)));
}

#[test]
fn a_closed_or_withdrawn_item_is_watched_no_more_and_a_carried_over_one_moves_campaign() {
    let withdrawn = ItemEvent::ItemWithdrawn {
        ground: rectiflow_domain::item::WithdrawalGround::Unfounded,
        reason: text("核查不属实"),
        by: person("sec-1"),
        at: local(2026, 3, 3, 9, 0),
    };
    let row = folded(vec![registered(), assigned(), withdrawn]).expect("a row");
    assert_eq!(armed(&row), [None; 4]);
    let carried = ItemEvent::ItemCarriedOver {
        from: campaign(),
        to: CampaignId::parse("qunfu-2027").expect("an id"),
        task_force: TaskForceId::parse("yb").expect("valid task force"),
        reason: text("跨年结转"),
        by: person("sec-1"),
        at: local(2026, 12, 31, 9, 0),
    };
    let row = folded(vec![registered(), assigned(), carried]).expect("a row");
    assert_eq!(row.campaign, "qunfu-2027");
    assert_eq!(
        row.overdue_at,
        Some(local(2026, 4, 1, 0, 0)),
        "its deadline stays"
    );
}

#[test]
fn nothing_is_watched_for_a_stream_that_never_registered() {
    assert_eq!(folded(vec![assigned()]), None);
}

#[test]
fn a_closure_arms_the_reinspection_and_the_fact_or_the_reinspection_disarms_it() {
    let due = local(2026, 6, 23, 10, 0);
    let closed = ItemEvent::ItemClosed {
        deadline_in_force: Deadline::new(date(2026, 3, 31)),
        original_deadline: Deadline::new(date(2026, 3, 31)),
        on_time: true,
        after_original_deadline: false,
        sign_off_requested_at: local(2026, 3, 20, 9, 0),
        reinspection_due_at: due,
        reinspection_days: 90,
        note: None,
        outcome: None,
        by: person("sec-li"),
        at: local(2026, 3, 25, 10, 0),
    };
    let row = folded(vec![registered(), assigned(), closed.clone()]).expect("a row");
    assert_eq!(armed(&row), [None, None, None, Some(due)]);
    assert_eq!(row.reinspection_due_at, Some(due));
    assert_eq!(row.due_by(due), [WatchedFact::ReinspectionDue]);
    assert!(row.due_by(due - chrono::Duration::seconds(1)).is_empty());
    let recorded = ItemEvent::ReinspectionDueRecorded {
        effective_at: due,
        by: person("schedule:deadlines"),
        at: due,
    };
    let passed = ItemEvent::ReinspectionPassed {
        findings: None,
        by: person("sec-li"),
        at: local(2026, 6, 1, 10, 0),
    };
    for ending in [recorded, passed] {
        let row = folded(vec![registered(), assigned(), closed.clone(), ending]).expect("a row");
        assert_eq!(row.reinspection_due_at, None);
        assert_eq!(row.next_due_at, None);
    }
}
