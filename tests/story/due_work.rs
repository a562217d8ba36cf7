//! Not a chapter: the item watch — what the deadline watchers read — on the campaign set up as
//! in [`crate::rhythm`], kept by `serve`'s projections. Three items are assigned and one of them
//! withdrawn: the watch lists exactly the open two as due once their 签收 window has passed,
//! earliest first, a page at a time, with the instants their assignments stored.

use rectiflow_domain::item::{Item, ItemCommand, ItemSource, WithdrawalGround};
use rectiflow_projections::due_work::{items_due, ItemWatch, WatchedFact};
use rectiflow_projections::RowProjection;
use rectiflow_tests::{shanghai, Store, StreamRef};

use crate::policy_runs::{checkpoints_reach, latest_position};
use crate::rhythm::{on_both_stores, Walk};
use crate::world::{assign, register, text, World};

const CODES: [&str; 3] = ["YB-2026-0001", "YB-2026-0002", "YB-2026-0003"];

async fn the_item_watch_lists_what_falls_due<S: Store>(w: &World<S>) {
    let walk = Walk::begin(w).await;
    w.at(shanghai(2026, 3, 2, 10, 0));
    for (code, deadline) in CODES.iter().zip(["2026-03-31", "2026-04-30", "2026-03-20"]) {
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

on_both_stores!(the_item_watch_lists_what_falls_due);
