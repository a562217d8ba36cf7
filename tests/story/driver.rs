//! Not a chapter: the virtual-time driver. The county organised and the campaign set up on
//! 2025-12-01, three of the county hospital's items assigned the next morning with a 12-30
//! deadline — one acknowledged in time — then the driver walks the clock to 2026-01-10, stopping wherever something falls
//! due, with every projection, policy, the scheduler and the deadline watcher stepped by hand.
//! Every deadline fact is recorded at the very instant it fell due, the December dispatches,
//! bulletin and the fourth quarter's assessment are published at theirs, and nothing twice; the
//! policies admonish the hospital on the December bulletin (three overdue items) and on the
//! quarter's assessment in the same walk.

use chrono::{DateTime, Utc};
use rectiflow::config::Config;
use rectiflow::driver::Driver;
use rectiflow_domain::item::{Item, ItemCommand, ItemEvent};
use rectiflow_domain::publication::PublicationKind;
use rectiflow_tests::{shanghai, Store, StreamRef};

use crate::policy_runs::{decoded, events_of};
use crate::rhythm::on_both_stores;
use crate::world::World;

const LATE: &str = "YB-2026-0001";
const ON_TIME: &str = "YB-2026-0002";
const THIRD: &str = "YB-2026-0003";

/// `(event type, at)` of `item`'s events recorded by the schedule.
async fn scheduled<S: Store>(w: &World<S>, item: &str) -> Vec<(String, DateTime<Utc>)> {
    let stream = StreamRef::new("item", item);
    let types: Vec<String> = events_of(w.store(), &stream)
        .await
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    let events: Vec<ItemEvent> = decoded(w.store(), &stream).await;
    types
        .into_iter()
        .zip(events)
        .filter_map(|(kind, event)| match event {
            ItemEvent::AcknowledgementOverdueRecorded { by, at, .. }
            | ItemEvent::DeadlineWarningRecorded { by, at, .. }
            | ItemEvent::ItemBecameOverdue { by, at, .. } => {
                assert_eq!(by.as_str(), "schedule:deadlines", "{kind}");
                Some((kind, at))
            }
            _ => None,
        })
        .collect()
}

async fn the_driver_walks_deadlines_and_the_rhythm_to_the_instant<S: Store>(w: &World<S>) {
    w.at(shanghai(2025, 12, 1, 10, 0));
    crate::organisation::the_county_is_organised_and_roles_are_read_as_they_stand(w).await;
    crate::campaign::a_campaign_is_set_up_with_its_task_forces(w).await;
    w.at(shanghai(2025, 12, 2, 10, 0));
    // Three items of the county hospital, all due on 12-30: overdue at the December
    // bulletin's cut-off, which the admonishment policy acts on (threshold 3).
    crate::due_work::assign_items(
        w,
        &[
            (LATE, "2025-12-30"),
            (ON_TIME, "2025-12-30"),
            (THIRD, "2025-12-30"),
        ],
    )
    .await;
    w.at(shanghai(2025, 12, 3, 9, 0));
    w.ok::<Item, _>("dr-wang", ON_TIME, ItemCommand::Acknowledge)
        .await;

    let config = Config {
        county: "zhuxi".into(),
        ..Config::default()
    };
    let driver =
        Driver::new(w.store().clone(), &config, shanghai(2025, 12, 3, 12, 0)).expect("a driver");
    let walked = driver
        .advance_to(shanghai(2026, 1, 10, 0, 0))
        .await
        .expect("the walk");
    assert_eq!(driver.now(), shanghai(2026, 1, 10, 0, 0));

    // Each fact at the very instant its assignment stored: 签收 two working days on, the
    // warning window three working days before the deadline, 逾期 at 24:00 on 12-30.
    let assigned: Vec<ItemEvent> = decoded(w.store(), &StreamRef::new("item", LATE)).await;
    let Some((ack, warning, overdue)) = assigned.iter().find_map(|event| match event {
        ItemEvent::ItemAssigned {
            acknowledgement_due_at,
            warning_at,
            deadline_passes_at,
            ..
        } => Some((*acknowledgement_due_at, *warning_at, *deadline_passes_at)),
        _ => None,
    }) else {
        panic!("an assignment");
    };
    assert_eq!(overdue, shanghai(2025, 12, 31, 0, 0));
    assert_eq!(
        scheduled(w, LATE).await,
        [
            (
                "rectiflow.item.acknowledgement_overdue_recorded".to_owned(),
                ack
            ),
            (
                "rectiflow.item.deadline_warning_recorded".to_owned(),
                warning
            ),
            ("rectiflow.item.became_overdue".to_owned(), overdue),
        ]
    );
    assert_eq!(
        scheduled(w, ON_TIME).await,
        [
            (
                "rectiflow.item.deadline_warning_recorded".to_owned(),
                warning
            ),
            ("rectiflow.item.became_overdue".to_owned(), overdue),
        ]
    );
    // The rhythm: December's dispatches per task force, the December bulletin (county and per
    // task force) and the fourth quarter's assessment, each on time at its instant.
    let (published, skipped) = crate::rhythm::publications(w).await;
    assert!(skipped.is_empty(), "{skipped:?}");
    for made in &published {
        assert!(!made.late && made.local == made.due_at, "on time: {made:?}");
    }
    let count = |kind| published.iter().filter(|m| m.kind == kind).count();
    // Mondays 12-08, 12-15, 12-22, 12-29 and 01-05, three task forces each.
    assert_eq!(count(PublicationKind::Dispatch), 5 * 3, "{published:?}");
    assert_eq!(count(PublicationKind::Bulletin), 4);
    assert_eq!(count(PublicationKind::Assessment), 1);
    assert!(
        walked.instants >= 8,
        "stopped at each fire time and deadline"
    );
    // The policies admonished the hospital on the county bulletin (three overdue items) and
    // on the fourth quarter's assessment (graded fail) — each publication after the first
    // still found its models at the head, admonishment included.
    let admonishments = w
        .store()
        .stream_ids("admonishment", "", 10)
        .await
        .expect("admonishments");
    assert_eq!(
        admonishments,
        [
            "assessment~qunfu-2026~2025-Q4~county~county-hospital",
            "bulletin~qunfu-2026~2025-12~county~county-hospital",
        ]
    );
    for id in &admonishments {
        let events = events_of(w.store(), &StreamRef::new("admonishment", id)).await;
        assert_eq!(
            events[0].event_type, "rectiflow.admonishment.triggered",
            "{id}"
        );
    }
}

/// 回头看 owed: an item signed off on 2025-12-11 at 09:00 is owed its re-inspection 90 days
/// later — the driver stops at that very instant and the watcher records it, once.
async fn a_closed_item_is_owed_its_reinspection_at_the_instant<S: Store>(w: &World<S>) {
    w.at(shanghai(2025, 12, 1, 10, 0));
    crate::organisation::the_county_is_organised_and_roles_are_read_as_they_stand(w).await;
    crate::campaign::a_campaign_is_set_up_with_its_task_forces(w).await;
    w.at(shanghai(2025, 12, 2, 10, 0));
    crate::due_work::assign_items(w, &[(LATE, "2025-12-30")]).await;
    w.at(shanghai(2025, 12, 3, 9, 0));
    w.ok::<Item, _>("dr-wang", LATE, ItemCommand::Acknowledge)
        .await;
    w.at(shanghai(2025, 12, 10, 9, 0));
    w.ok::<Item, _>("dr-wang", LATE, crate::world::sign_off("整改照片"))
        .await;
    let closed_at = shanghai(2025, 12, 11, 9, 0);
    w.at(closed_at);
    w.ok::<Item, _>("sec-li", LATE, ItemCommand::VerifySignOff { note: None })
        .await;

    let config = Config {
        county: "zhuxi".into(),
        ..Config::default()
    };
    let driver =
        Driver::new(w.store().clone(), &config, shanghai(2025, 12, 11, 12, 0)).expect("a driver");
    driver
        .advance_to(shanghai(2026, 3, 12, 0, 0))
        .await
        .expect("the walk");
    let due = closed_at + chrono::Duration::days(90);
    let owed: Vec<ItemEvent> = decoded::<S, ItemEvent>(w.store(), &StreamRef::new("item", LATE))
        .await
        .into_iter()
        .filter(|e| matches!(e, ItemEvent::ReinspectionDueRecorded { .. }))
        .collect();
    assert_eq!(
        owed,
        [ItemEvent::ReinspectionDueRecorded {
            effective_at: due,
            by: rectiflow_tests::person("schedule:deadlines"),
            at: due,
        }]
    );
}

on_both_stores!(
    the_driver_walks_deadlines_and_the_rhythm_to_the_instant,
    a_closed_item_is_owed_its_reinspection_at_the_instant
);
