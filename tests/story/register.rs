//! The first read model, kept by a consumer written once for both backends: the issue list as
//! a register and ledger (台账), which must agree with every item the story drove — its stored
//! facts with the aggregate's, and its read-time colour and days overdue with the aggregate's
//! colour and DOMAIN.md's count at instants around every deadline.

use chrono::{DateTime, Duration, Utc};
use rectiflow_domain::clock::Clock;
use rectiflow_domain::item::{FaultDecision, Item};
use rectiflow_engine::readmodel::sea_query::{Alias, Query};
use rectiflow_projections::item_register::{
    query_ledger, Cursor, ItemEntry, ItemRegister, LedgerError, LedgerQuery, LedgerQueryError,
    LedgerSort, SortKey, MAX_LIMIT,
};
use rectiflow_projections::RowProjection;
use rectiflow_tests::Store;

use crate::projecting::project_to_head;
use crate::world::World;

/// The register, built by the consumer from the whole log, shows each item as its aggregate
/// stands: state, unit, person, every deadline fact, 签收, progress, the pending request,
/// closure, rulings, outcome; its colour and days overdue, derived at read time, agree with the
/// aggregate at instants around each of the item's deadlines.
pub async fn the_item_register_agrees_with_every_item<S: Store>(w: &World<S>) {
    let store = w.store();
    project_to_head::<S, ItemRegister>(store).await;

    let rows = store
        .fetch(
            Query::select()
                .column(rectiflow_engine::readmodel::sea_query::Asterisk)
                .from(Alias::new(ItemRegister::TABLE.name))
                .to_owned(),
        )
        .await
        .expect("the register's rows");
    let entries: Vec<ItemEntry> = rows
        .into_iter()
        .map(|row| serde_json::from_value(serde_json::Value::Object(row)).expect("a register row"))
        .collect();
    let items = store
        .read_log(0, u32::MAX)
        .await
        .expect("the log")
        .into_iter()
        .filter(|e| e.event.stream.stream_type == "item")
        .map(|e| e.event.stream.stream_id)
        .collect::<std::collections::BTreeSet<_>>();
    assert!(!items.is_empty(), "the story drove items");
    assert_eq!(
        entries
            .iter()
            .map(|e| e.code.clone())
            .collect::<std::collections::BTreeSet<_>>(),
        items,
        "one row per item"
    );
    let now = w.clock.now();
    let (mut overdue_days_seen, mut exempt_seen) = (false, false);
    for entry in &entries {
        let (item, version) = w
            .exec
            .load::<Item>(&entry.code)
            .await
            .expect("load the item");
        assert!(version > 0);
        the_row_agrees_with_the_item(entry, &item);
        for at in instants(&item, now) {
            assert_eq!(
                entry.colour_at(at),
                item.colour(at),
                "{} colour at {at}",
                entry.code
            );
            let days = days_overdue(&item, at);
            assert_eq!(
                entry.days_overdue_at(at),
                days,
                "{} days overdue at {at}",
                entry.code
            );
            overdue_days_seen |= days > 0;
            exempt_seen |= entry.exempt_at(at) && entry.overdue_at(at);
        }
    }
    assert!(overdue_days_seen, "the story has an item days overdue");
    assert!(exempt_seen, "the story has an exempted overdue item");
    the_ledger_filters_and_pages_the_register(store, &entries, now).await;
}

/// The ledger's query on the register the story built: each filter (a unit, a state, overdue
/// or not at the story's present, and the three at once) returns exactly the rows that match,
/// and paging one row at a time walks every item once, in the order of a single page.
async fn the_ledger_filters_and_pages_the_register<S: Store>(
    store: &S,
    entries: &[ItemEntry],
    now: DateTime<Utc>,
) {
    let codes = |rows: &[ItemEntry]| rows.iter().map(|e| e.code.clone()).collect::<Vec<_>>();
    let expected = |keep: &dyn Fn(&ItemEntry) -> bool| {
        let mut codes = entries
            .iter()
            .filter(|e| keep(e))
            .map(|e| e.code.clone())
            .collect::<Vec<_>>();
        codes.sort();
        codes
    };
    let unit = entries
        .iter()
        .filter_map(|e| e.responsible_unit.clone())
        .max_by_key(|unit| {
            entries
                .iter()
                .filter(|e| e.responsible_unit.as_ref() == Some(unit))
                .count()
        })
        .expect("the story assigned items");
    let state = entries
        .iter()
        .find(|e| e.overdue_at(now))
        .map(|e| e.state)
        .expect("the story has an overdue item");
    let all = LedgerQuery {
        limit: MAX_LIMIT,
        ..LedgerQuery::new(now)
    };
    let cases: Vec<Case<'_>> = vec![
        (
            LedgerQuery {
                unit: Some(unit.clone()),
                ..all.clone()
            },
            Box::new(|e: &ItemEntry| e.responsible_unit.as_ref() == Some(&unit)),
        ),
        (
            LedgerQuery {
                state: Some(state),
                ..all.clone()
            },
            Box::new(move |e: &ItemEntry| e.state == state),
        ),
        (
            LedgerQuery {
                overdue: Some(true),
                ..all.clone()
            },
            Box::new(|e: &ItemEntry| e.overdue_at(now)),
        ),
        (
            LedgerQuery {
                overdue: Some(false),
                ..all.clone()
            },
            Box::new(|e: &ItemEntry| !e.overdue_at(now)),
        ),
        (
            LedgerQuery {
                unit: Some(unit.clone()),
                state: Some(state),
                overdue: Some(true),
                ..all.clone()
            },
            Box::new(|e: &ItemEntry| {
                e.responsible_unit.as_ref() == Some(&unit) && e.state == state && e.overdue_at(now)
            }),
        ),
    ];
    for (query, keep) in &cases {
        let page = query_ledger(store, query).await.expect("a ledger page");
        let want = expected(keep.as_ref());
        assert!(!want.is_empty(), "the story has items for {query:?}");
        assert_eq!(codes(&page.rows), want, "{query:?}");
        assert_eq!(page.next, None, "one page holds them all");
        // One row a page, with the read-time filter applied after reading: the same rows.
        let walked = walk(
            store,
            LedgerQuery {
                limit: 1,
                ..query.clone()
            },
        )
        .await;
        assert_eq!(codes(&walked), want, "paged one by one: {query:?}");
    }

    // Every sort, both directions: one row a page walks every item once, in the single
    // page's order, and that order is the sort's.
    for key in [
        SortKey::Code,
        SortKey::RegisteredAt,
        SortKey::Deadline,
        SortKey::Unit,
    ] {
        for descending in [false, true] {
            let sort = LedgerSort { key, descending };
            let one_page = query_ledger(
                store,
                &LedgerQuery {
                    sort,
                    ..all.clone()
                },
            )
            .await
            .expect("a ledger page")
            .rows;
            assert_eq!(one_page.len(), entries.len(), "{sort:?}");
            let walked = walk(
                store,
                LedgerQuery {
                    sort,
                    limit: 1,
                    ..all.clone()
                },
            )
            .await;
            assert_eq!(codes(&walked), codes(&one_page), "{sort:?}");
            for pair in one_page.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                let ordered = match key {
                    SortKey::Code => a.code.cmp(&b.code),
                    SortKey::RegisteredAt => a
                        .registered_at
                        .cmp(&b.registered_at)
                        .then(a.code.cmp(&b.code)),
                    SortKey::Deadline => {
                        nulls_last(a.deadline_passes_at, b.deadline_passes_at, descending)
                            .then(a.code.cmp(&b.code))
                    }
                    SortKey::Unit => nulls_last(
                        a.responsible_unit.as_ref(),
                        b.responsible_unit.as_ref(),
                        descending,
                    )
                    .then(a.code.cmp(&b.code)),
                };
                let ordered = if descending {
                    ordered.reverse()
                } else {
                    ordered
                };
                assert_eq!(
                    ordered,
                    std::cmp::Ordering::Less,
                    "{sort:?}: {} then {}",
                    a.code,
                    b.code
                );
            }
        }
    }

    // A cursor of another sort is refused.
    let first = query_ledger(
        store,
        &LedgerQuery {
            limit: 1,
            ..all.clone()
        },
    )
    .await
    .expect("a ledger page");
    let refused = query_ledger(
        store,
        &LedgerQuery {
            sort: LedgerSort {
                key: SortKey::Deadline,
                descending: false,
            },
            after: first.next,
            ..all
        },
    )
    .await;
    assert!(matches!(
        refused,
        Err(LedgerError::Query(LedgerQueryError::CursorSort))
    ));
}

/// A query and the rows it must return.
type Case<'a> = (LedgerQuery, Box<dyn Fn(&ItemEntry) -> bool + 'a>);

/// Compares two optional keys with `None` last whatever the direction (so reversed for a
/// descending sort, as the caller reverses the whole comparison).
fn nulls_last<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let last = if descending {
        Ordering::Less
    } else {
        Ordering::Greater
    };
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (None, None) => Ordering::Equal,
        (None, Some(_)) => last,
        (Some(_), None) => last.reverse(),
    }
}

/// Every page of `query`, following the cursors (through their tokens, as a client would).
async fn walk<S: Store>(store: &S, mut query: LedgerQuery) -> Vec<ItemEntry> {
    let mut rows = Vec::new();
    for _ in 0..10_000 {
        let page = query_ledger(store, &query).await.expect("a ledger page");
        assert!(page.rows.len() <= query.limit as usize);
        rows.extend(page.rows);
        match page.next {
            Some(next) => {
                query.after = Some(Cursor::parse(next.as_str()).expect("our own cursor"));
            }
            None => return rows,
        }
    }
    panic!("the pages never ended");
}

/// The row's stored facts, each as the aggregate has it.
fn the_row_agrees_with_the_item(entry: &ItemEntry, item: &Item) {
    let code = &entry.code;
    let registration = item.registration().expect("registered");
    assert_eq!(entry.state, item.state(), "{code}");
    assert_eq!(entry.campaign, registration.campaign.as_str(), "{code}");
    assert_eq!(entry.task_force, registration.task_force.as_str(), "{code}");
    assert_eq!(entry.registered_at, registration.registered_at, "{code}");
    assert_eq!(
        entry.yellow_after_send_backs,
        i64::from(registration.yellow_after_send_backs),
        "{code}"
    );
    let assignment = item.assignment();
    assert_eq!(
        entry.responsible_unit.as_deref(),
        item.responsible_unit().map(|u| u.as_str()),
        "{code}"
    );
    assert_eq!(
        entry.responsible_person.as_deref(),
        item.responsible_person().map(|p| p.as_str()),
        "{code}"
    );
    assert_eq!(
        entry.supervising_unit.as_deref(),
        assignment.map(|a| a.supervising_unit.as_str()),
        "{code}"
    );
    assert_eq!(
        entry.acknowledgement_due_at,
        assignment.map(|a| a.acknowledgement_due_at),
        "{code}"
    );
    assert_eq!(entry.original_deadline, item.original_deadline(), "{code}");
    assert_eq!(entry.deadline, item.deadline_in_force(), "{code}");
    assert_eq!(
        entry.deadline_number,
        i64::try_from(item.deadlines().len()).expect("a count"),
        "{code}"
    );
    let current = item.current_deadline();
    assert_eq!(
        entry.deadline_passes_at,
        current.map(|d| d.passes_at),
        "{code}"
    );
    assert_eq!(entry.warning_at, current.map(|d| d.warning_at), "{code}");
    assert_eq!(entry.overdue, item.is_overdue(), "{code}");
    assert_eq!(entry.acknowledged_at, item.acknowledged_at(), "{code}");
    assert_eq!(
        entry.acknowledgement_late,
        item.acknowledgement_overdue_recorded(),
        "{code}"
    );
    assert_eq!(
        (entry.last_progress_percent, entry.last_progress_at),
        (
            item.last_progress().map(|p| p.percent),
            item.last_progress().map(|p| p.at)
        ),
        "{code}"
    );
    assert_eq!(entry.clock_stopped_at(), item.clock_stopped_at(), "{code}");
    let closure = item
        .closure()
        .filter(|_| item.state() == rectiflow_domain::item::ItemState::Closed);
    assert_eq!(entry.closed_at, closure.map(|c| c.at), "{code}");
    assert_eq!(entry.closed_on_time, closure.map(|c| c.on_time), "{code}");
    assert_eq!(
        entry.closed_after_original_deadline,
        closure.map(|c| c.after_original_deadline),
        "{code}"
    );
    assert_eq!(entry.send_backs, i64::from(item.send_backs()), "{code}");
    assert_eq!(
        entry.extensions,
        i64::from(item.extensions_approved()),
        "{code}"
    );
    assert_eq!(entry.relapses, i64::from(item.relapses()), "{code}");
    assert_eq!(
        entry
            .rulings
            .iter()
            .map(|r| (r.episode, r.cause, r.decision, r.at))
            .collect::<Vec<_>>(),
        item.rulings()
            .iter()
            .map(|r| (r.episode, r.cause, r.decision, r.at))
            .collect::<Vec<_>>(),
        "{code}"
    );
    let outcome = item.outcome();
    assert_eq!(
        (
            entry.funds_recovered,
            entry.people_affected,
            entry.subsidies_returned
        ),
        (
            outcome.funds_recovered,
            i64::from(outcome.people_affected),
            outcome.subsidies_returned
        ),
        "{code}"
    );
    assert_eq!(
        entry.carried_over_from.as_deref(),
        item.carry_overs().last().map(|c| c.from.as_str()),
        "{code}"
    );
}

/// The story's present, and the instants around each of the item's deadlines and warning
/// windows: where the colour and the count of days change.
fn instants(item: &Item, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut instants = vec![now];
    for deadline in item.deadlines() {
        for edge in [deadline.warning_at, deadline.passes_at] {
            instants.extend([
                edge - Duration::seconds(1),
                edge,
                edge + Duration::seconds(1),
            ]);
        }
        instants.extend([1, 3, 40].map(|days| deadline.passes_at + Duration::days(days)));
    }
    instants
}

/// Days overdue at `at` as DOMAIN.md "Definitions" counts them, from the aggregate: the item
/// is open, its deadline in force passed before `at` (the clock stopped by a pending request
/// made before the deadline passed is judged at the request), and the episode was not exempted
/// by a ruling recorded by `at`; then the whole days since the deadline passed.
fn days_overdue(item: &Item, at: DateTime<Utc>) -> i64 {
    let Some(current) = item.current_deadline() else {
        return 0;
    };
    let judged = item
        .clock_stopped_at()
        .map_or(at, |stopped| stopped.min(at));
    let exempt = item
        .current_deadline_episode()
        .and_then(|episode| item.ruling_on(episode))
        .is_some_and(|r| r.decision == FaultDecision::Exempt && r.at <= at);
    if item.state().is_open() && current.passes_at < judged && !exempt {
        (at - current.passes_at).num_days()
    } else {
        0
    }
}
