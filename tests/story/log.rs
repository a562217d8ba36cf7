//! The last chapter: what the whole story left in the global log.

use rectiflow_domain::event::is_qualified;
use rectiflow_engine::Metadata;
use rectiflow_tests::{chain_hash, hash_from_bytes, Store, StreamRef, GENESIS};

use crate::world::{World, COMPLAINANT, MEAL_COMPLAINT, PHONE};
use crate::{
    accountability, alerts, assessment, boards, care_home, figures, policies, publications,
};

/// Every event of every stream reaches the log, chained from the genesis hash, and the
/// complainant's name, phone and own words appear nowhere in it. Every event keeps the public contract:
/// a qualified type (`rectiflow.<aggregate>.<event>`) of schema version 1, and — for the
/// streams of a campaign's work — the campaign and the units it involves in its metadata.
pub async fn the_log_is_dense_chained_and_never_names_the_complainant<S: Store>(w: &World<S>) {
    let store = w.store();
    let head = store.head().await.expect("the head");
    let mut waited = store.watch_head();
    let total = count_events(store).await;
    while store.head().await.expect("the head") < total {
        waited.changed().await.expect("the head watch");
    }
    assert!(head <= total);
    let log = store.read_log(0, u32::MAX).await.expect("the log");
    assert_eq!(log.len() as u64, total);
    let mut previous = GENESIS;
    for event in &log {
        assert_eq!(
            hex::encode(chain_hash(&previous, event.position, &event.event)),
            event.hash
        );
        previous = hash_from_bytes(&hex::decode(&event.hash).expect("hex")).expect("32 bytes");
        let recorded = &event.event;
        assert!(
            is_qualified(&recorded.event_type)
                && recorded
                    .event_type
                    .starts_with(&format!("rectiflow.{}.", recorded.stream.stream_type)),
            "event type {:?} at {}",
            recorded.event_type,
            event.position
        );
        assert_eq!(recorded.schema_version, "1", "at {}", event.position);
        let metadata: Metadata = serde_json::from_value(recorded.metadata.clone())
            .expect("metadata as the executor writes it");
        // The organisation and the county's calendar outlive campaigns: they name none.
        let county_wide =
            ["organisation", "county_calendar"].contains(&recorded.stream.stream_type.as_str());
        assert_eq!(
            metadata.campaign.as_deref(),
            (!county_wide).then_some("qunfu-2026"),
            "the campaign of {} at {}",
            recorded.stream,
            event.position
        );
        // Units are known from assignment (items), receipt (complaints), opening (cases),
        // the trigger (admonishments: the unit admonished), the proposal (accountability: the
        // unit charged) and receipt (alerts: the institution alerted on). A publication is
        // county-wide or a task force's and a care home is its own stream: neither names units
        // in its metadata.
        let before_units = [
            "rectiflow.item.registered",
            "rectiflow.case.clue_registered",
        ];
        let with_units = [
            "item",
            "complaint",
            "case",
            "admonishment",
            "accountability",
            "alert",
        ];
        if with_units.contains(&recorded.stream.stream_type.as_str())
            && !before_units.contains(&recorded.event_type.as_str())
        {
            assert!(
                !metadata.units.is_empty(),
                "the units of {} at {}",
                recorded.stream,
                event.position
            );
        }
        let json = serde_json::to_string(&event.event).expect("an event as JSON");
        assert!(
            !json.contains(COMPLAINANT) && !json.contains(PHONE) && !json.contains(MEAL_COMPLAINT),
            "identity leaked at {}",
            event.position
        );
    }
}

/// How many events the story's streams hold (the log must end up holding exactly these; a
/// publication reads the log once the head has reached them).
pub(crate) async fn count_events<S: Store>(store: &S) -> u64 {
    let mut total = 0;
    for (kind, ids) in [
        ("organisation", vec!["organisation"]),
        ("county_calendar", vec!["zhuxi"]),
        ("campaign", vec!["qunfu-2026"]),
        (
            "item",
            vec![
                "YB-2026-0001",
                "YB-2026-0002",
                "YB-2026-0003",
                "YB-2026-0004",
                "YB-2026-0005",
                "YB-2026-0006",
                "YL-2026-0001",
                "YB-2026-0007",
                "YB-2026-0008",
            ],
        ),
        (
            "complaint",
            vec!["cmp-2026-0001", "cmp-2026-0002", boards::UNANSWERED],
        ),
        ("case", vec!["case-2026-001", "case-2026-002"]),
        (
            "publication",
            vec![
                publications::MARCH,
                publications::MARCH_CORRECTED,
                publications::APRIL,
                figures::MAY,
                assessment::Q2,
            ],
        ),
        (
            "admonishment",
            vec![
                accountability::FIRST,
                accountability::SECOND,
                policies::MAY,
                assessment::HOSPITAL_FAILED,
                assessment::CARE_HOME_FAILED,
            ],
        ),
        (
            "accountability",
            vec![
                accountability::CASE,
                accountability::RESPONSIBLE_CASE,
                policies::HEAD_CASE,
            ],
        ),
        ("alert", vec![alerts::ALERT, boards::UNTRIAGED]),
        ("care_home", vec![care_home::HOME]),
    ] {
        for id in ids {
            total += store
                .load_events(&StreamRef::new(kind, id), 0)
                .await
                .expect("the stream's events")
                .len() as u64;
        }
    }
    total
}
