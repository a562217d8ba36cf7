//! Not chapters: the item watch and the deadline watcher reading it, on the campaign set up as
//! in [`crate::rhythm`], kept by `serve`'s projections. Three items are assigned and one of them
//! withdrawn: the watch lists exactly the open two as due once their 签收 window has passed,
//! earliest first, a page at a time. The watcher records each item's facts once, on the right
//! days, and a stopped clock's refusal once; a complaint left unanswered and an alert left
//! untriaged get their missed response and missed triage once.

use rectiflow_domain::alert::{alert_id, Alert, AlertCommand, AlertEvent, AlertPush};
use rectiflow_domain::complaint::{Channel, Complaint, ComplaintCommand, ComplaintEvent};
use rectiflow_domain::item::{Item, ItemCommand, ItemSource, WithdrawalGround};
use rectiflow_domain::settings::Field;
use rectiflow_domain::values::{AlertRef, ComplaintId, Yuan};
use rectiflow_projections::due_work::{
    items_due, AlertWatch, ComplaintWatch, ItemWatch, WatchedFact,
};
use rectiflow_projections::RowProjection;
use rectiflow_tests::{shanghai, unit, Store, StreamRef};

use rectiflow_scheduler::watching::DueFact;

use crate::policy_runs::{checkpoints_reach, events_of, latest_position};
use crate::rhythm::{on_both_stores, ports, Walk};
use crate::world::{assign, campaign_id, register, sign_off, text, World};

const CODES: [&str; 3] = ["YB-2026-0001", "YB-2026-0002", "YB-2026-0003"];

/// Registers each item and assigns it to the county hospital's Dr Wang with its deadline, at
/// the world's clock, as the medical-insurance secretariat.
pub(crate) async fn assign_items<S: Store>(w: &World<S>, items: &[(&str, &str)]) {
    for (code, deadline) in items {
        w.ok::<Item, _>(
            "sec-li",
            code,
            register(code, "虚假住院", ItemSource::Inspection),
        )
        .await;
        w.ok::<Item, _>(
            "sec-li",
            code,
            assign("county-hospital", "dr-wang", deadline),
        )
        .await;
    }
}

async fn the_item_watch_lists_what_falls_due<S: Store>(w: &World<S>) {
    let walk = Walk::begin(w).await;
    w.at(shanghai(2026, 3, 2, 10, 0));
    assign_items(
        w,
        &[
            (CODES[0], "2026-03-31"),
            (CODES[1], "2026-04-30"),
            (CODES[2], "2026-03-20"),
        ],
    )
    .await;
    w.ok::<Item, _>(
        "sec-li",
        CODES[2],
        ItemCommand::Withdraw {
            ground: WithdrawalGround::Unfounded,
            reason: text("核查不属实"),
        },
    )
    .await;
    let streams: Vec<StreamRef> = CODES.iter().map(|c| StreamRef::new("item", *c)).collect();
    let head = latest_position(w.store(), &streams).await;
    assert!(
        checkpoints_reach(w.store(), &[ItemWatch::NAME], head).await,
        "the item watch caught up"
    );

    let store = w.store();
    let due = |now| async move { items_due(store, now, None, 10).await.expect("a query") };
    assert!(
        due(shanghai(2026, 3, 4, 23, 59)).await.is_empty(),
        "nothing due yet"
    );
    // 签收 within two working days: due at 24:00 on Wednesday 03-04.
    let rows = due(shanghai(2026, 3, 5, 0, 0)).await;
    let listed: Vec<&str> = rows.iter().map(|r| r.item.as_str()).collect();
    assert_eq!(
        listed,
        [CODES[0], CODES[1]],
        "the withdrawn one is not watched"
    );
    for row in &rows {
        assert_eq!(row.campaign, "qunfu-2026");
        assert_eq!(row.next_due_at, Some(shanghai(2026, 3, 5, 0, 0)));
        assert_eq!(
            row.due_by(shanghai(2026, 3, 5, 0, 0)),
            vec![WatchedFact::AcknowledgementOverdue]
        );
    }
    assert_eq!(rows[0].overdue_at, Some(shanghai(2026, 4, 1, 0, 0)));
    assert_eq!(rows[1].overdue_at, Some(shanghai(2026, 5, 1, 0, 0)));
    // A page at a time: the same rows, in the same order.
    let first = items_due(store, shanghai(2026, 3, 5, 0, 0), None, 1)
        .await
        .expect("a page");
    let after = first[0].next_due_at.map(|at| (at, first[0].item.as_str()));
    let second = items_due(store, shanghai(2026, 3, 5, 0, 0), after, 1)
        .await
        .expect("a page");
    assert_eq!([first, second].concat(), rows);
    walk.end().await;
}

/// How many of `item`'s events are of `event_type` (`rectiflow.item.<…>`).
async fn count_of<S: Store>(w: &World<S>, item: &str, event_type: &str) -> usize {
    events_of(w.store(), &StreamRef::new("item", item))
        .await
        .iter()
        .filter(|e| e.event_type == event_type)
        .count()
}

/// Waits until the item watch has applied every event of the three items.
async fn watch_caught_up<S: Store>(w: &World<S>) {
    let streams: Vec<StreamRef> = CODES.iter().map(|c| StreamRef::new("item", *c)).collect();
    let head = latest_position(w.store(), &streams).await;
    assert!(
        checkpoints_reach(w.store(), &[ItemWatch::NAME], head).await,
        "the item watch caught up"
    );
}

/// The deadline watcher `serve` runs records each item's facts when they fall due, once —
/// also when it looks again before the watch has seen what it recorded — and an item whose
/// clock a sign-off request stopped is refused its warning and 逾期 once each, not at every
/// look.
async fn the_deadline_watcher_records_each_fact_once<S: Store>(w: &World<S>) {
    let walk = Walk::begin(w).await;
    let (a, b, c) = (CODES[0], CODES[1], CODES[2]);
    w.at(shanghai(2026, 3, 2, 10, 0));
    assign_items(
        w,
        &[(a, "2026-03-31"), (b, "2026-03-31"), (c, "2026-04-30")],
    )
    .await;
    w.at(shanghai(2026, 3, 3, 9, 0));
    w.ok::<Item, _>("dr-wang", c, ItemCommand::Acknowledge)
        .await;
    watch_caught_up(w).await;
    let watcher = rectiflow::schedule::watching::watcher(&ports(w));
    let stop = walk.stop.clone();

    // 签收 was due by 24:00 on 03-04: a and b are late, c acknowledged in time.
    w.at(shanghai(2026, 3, 5, 0, 0));
    let watched = watcher.look(&stop).await.expect("a look");
    let mut recorded: Vec<&str> = watched.recorded.iter().map(|(i, _)| i.as_str()).collect();
    recorded.sort_unstable();
    assert_eq!(recorded, [a, b]);
    // Looking again at once, before the watch has seen the facts: nothing twice.
    let again = watcher.look(&stop).await.expect("a look");
    assert!(
        again.recorded.is_empty() && again.refused.is_empty(),
        "nothing sent twice: {again:?}"
    );
    const ACK: &str = "rectiflow.item.acknowledgement_overdue_recorded";
    for item in [a, b] {
        assert_eq!(count_of(w, item, ACK).await, 1, "{item}");
    }
    assert_eq!(count_of(w, c, ACK).await, 0);

    // b acknowledges late and asks for its sign-off on 03-20: its clock stops.
    w.at(shanghai(2026, 3, 6, 9, 0));
    w.ok::<Item, _>("dr-wang", b, ItemCommand::Acknowledge)
        .await;
    w.at(shanghai(2026, 3, 20, 9, 0));
    w.ok::<Item, _>("dr-wang", b, sign_off("refund-receipt"))
        .await;
    watch_caught_up(w).await;
    // The warning window of the 03-31 deadline opened at 00:00 on 03-26 (three working days).
    w.at(shanghai(2026, 3, 26, 0, 0));
    let watched = watcher.look(&stop).await.expect("a look");
    assert_eq!(watched.recorded, [(a.to_owned(), DueFact::DeadlineWarning)]);
    let refused: Vec<(&str, &str)> = watched
        .refused
        .iter()
        .map(|(item, _, code)| (item.as_str(), code.as_str()))
        .collect();
    assert_eq!(refused, [(b, "item.clock_stopped")]);
    watch_caught_up(w).await;
    // 逾期 at 24:00 on 03-31: a records it; b's stopped clock is refused once, then left be.
    w.at(shanghai(2026, 4, 1, 0, 0));
    let watched = watcher.look(&stop).await.expect("a look");
    assert_eq!(watched.recorded, [(a.to_owned(), DueFact::Overdue)]);
    assert_eq!(watched.refused.len(), 1, "{watched:?}");
    let again = watcher.look(&stop).await.expect("a look");
    assert!(
        again.recorded.is_empty() && again.refused.is_empty(),
        "{again:?}"
    );
    assert_eq!(count_of(w, a, "rectiflow.item.became_overdue").await, 1);
    assert_eq!(count_of(w, b, "rectiflow.item.became_overdue").await, 0);
    assert_eq!(count_of(w, c, "rectiflow.item.became_overdue").await, 0);
    walk.end().await;
}

/// A complaint left unanswered and a data alert left untriaged: the watcher records the
/// missed response and the missed triage once each, at the instants their receipts stored.
async fn a_missed_response_and_a_missed_triage_are_recorded_once<S: Store>(w: &World<S>) {
    let walk = Walk::begin(w).await;
    let complaint = "cmp-2026-0002";
    let received = w
        .at(shanghai(2026, 3, 6, 10, 0))
        .ok::<Complaint, _>(
            "intake",
            complaint,
            ComplaintCommand::Receive {
                complaint: ComplaintId::parse(complaint).expect("a complaint id"),
                campaign: campaign_id(),
                channel: Channel::Hotline,
                field: Field::ElderlyCare,
                summary: text("反映养老机构虚报入住人数"),
                content: text("养老院虚报入住人数"),
                attachments: vec![],
                receiving_unit: unit("civil-affairs"),
                complainant: None,
            },
        )
        .await;
    let ComplaintEvent::Received { response_due, .. } = received.events[0].event else {
        panic!("a receipt");
    };
    let reference = AlertRef::parse("YBJK-2026-000777").expect("a reference");
    let alert = alert_id(&reference);
    let pushed = w
        .at(shanghai(2026, 5, 11, 10, 0))
        .ok::<Alert, _>(
            "ybjk-platform",
            alert.as_str(),
            AlertCommand::Receive(AlertPush {
                alert: alert.clone(),
                reference,
                campaign: campaign_id(),
                subject: unit("county-hospital"),
                summary: text("同一参保人30天内重复住院5次"),
                amount_involved: Yuan::parse("38650.50").expect("an amount"),
                raised_at: shanghai(2026, 5, 11, 9, 30),
            }),
        )
        .await;
    let AlertEvent::Received { triage_due, .. } = pushed.events[0].event else {
        panic!("a receipt");
    };
    let streams = [
        StreamRef::new("complaint", complaint),
        StreamRef::new("alert", alert.as_str()),
    ];
    let head = latest_position(w.store(), &streams).await;
    assert!(
        checkpoints_reach(w.store(), &[ComplaintWatch::NAME, AlertWatch::NAME], head).await,
        "the watches caught up"
    );
    let watcher = rectiflow::schedule::watching::watcher(&ports(w));
    let stop = walk.stop.clone();
    let minute = chrono::Duration::minutes(1);

    // Each missed at its stored instant, not a minute before.
    for (due, stream, fact) in [
        (response_due, complaint.to_owned(), DueFact::ResponseMissed),
        (triage_due, alert.to_string(), DueFact::TriageMissed),
    ] {
        w.at(due - minute);
        let early = watcher.look(&stop).await.expect("a look");
        assert!(early.recorded.is_empty(), "{early:?}");
        w.at(due);
        let watched = watcher.look(&stop).await.expect("a look");
        assert_eq!(watched.recorded, [(stream, fact)]);
    }
    let again = watcher.look(&stop).await.expect("a look");
    assert!(
        again.recorded.is_empty() && again.refused.is_empty(),
        "{again:?}"
    );
    let count = |stream: StreamRef, event_type: &'static str| async move {
        events_of(w.store(), &stream)
            .await
            .iter()
            .filter(|e| e.event_type == event_type)
            .count()
    };
    assert_eq!(
        count(streams[0].clone(), "rectiflow.complaint.response_missed").await,
        1
    );
    assert_eq!(
        count(streams[1].clone(), "rectiflow.alert.triage_missed").await,
        1
    );
    walk.end().await;
}

on_both_stores!(
    the_item_watch_lists_what_falls_due,
    the_deadline_watcher_records_each_fact_once,
    a_missed_response_and_a_missed_triage_are_recorded_once,
);
