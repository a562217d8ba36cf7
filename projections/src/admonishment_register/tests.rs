//! The admonishment register's fold, without a database: events in, rows out, hand-computed;
//! and the window instant as the aggregate computes it, after every event.

use rectiflow_domain::admonishment::{
    Admonishment, AdmonishmentEvent, AdmonishmentRule, AdmonishmentStatus, Basis, Finding,
    PublicationRef,
};
use rectiflow_domain::publication::{OverdueCount, PublicationKind, PublicationScope};
use rectiflow_domain::settings::AdmonishmentRules;
use rectiflow_domain::testing::fixtures::{campaign, code, local, person, replay, text, unit};
use rectiflow_domain::values::{AdmonishmentId, PublicationId, Uri};
use rectiflow_engine::{LoggedEvent, RecordedEvent, StreamRef};

use super::{AdmonishmentEntry, AdmonishmentRegister, BasisKind};
use crate::projector::RowProjection;

const APRIL: &str = "bulletin~qunfu-2026~2026-04~county";
const POLICY_ID: &str = "bulletin~qunfu-2026~2026-04~county~county-hospital";
const MARCH: &str = "bulletin~qunfu-2026~2026-03~county";
const MARCH_CORRECTED: &str = "bulletin~qunfu-2026~2026-03~county~correction-1";
const MANUAL_ID: &str = "adm-2026-0001";

fn logged(id: &str, position: u64) -> LoggedEvent {
    LoggedEvent {
        position,
        hash: String::new(),
        event: RecordedEvent {
            stream: StreamRef::new("admonishment", id),
            stream_version: position,
            event_id: Default::default(),
            event_type: String::new(),
            schema_version: "1".into(),
            payload: serde_json::Value::Null,
            metadata: serde_json::Value::Null,
            recorded_at: local(2026, 5, 6, 9, 5),
        },
    }
}

fn county_bulletin(id: &str, month: u32) -> PublicationRef {
    PublicationRef {
        publication: PublicationId::parse(id).expect("a publication"),
        kind: PublicationKind::Bulletin,
        scope: PublicationScope::County,
        cut_off: local(2026, month + 1, 1, 0, 0),
    }
}

/// The policy at the April bulletin: three overdue items, no exemption.
fn policy_triggered() -> AdmonishmentEvent {
    AdmonishmentEvent::Triggered {
        admonishment: AdmonishmentId::parse(POLICY_ID).expect("an id"),
        campaign: campaign(),
        unit: unit("county-hospital"),
        basis: Basis::Policy {
            publication: county_bulletin(APRIL, 4),
            findings: vec![Finding::OverdueItems {
                overdue: OverdueCount::new(3, 0, 0, 0.5),
                mitigation_factor: 0.5,
            }],
            rules_in_force: AdmonishmentRules::default(),
            grades_in_force: None,
        },
        items: vec![code("YB-2026-0004"), code("YB-2026-0005")],
        reasons: vec![text("4 月通报逾期事项 3 项")],
        by: person("policy:admonishment"),
        at: local(2026, 5, 6, 9, 5),
    }
}

/// The secretariat by hand, naming the March bulletin.
fn manual_triggered() -> AdmonishmentEvent {
    AdmonishmentEvent::Triggered {
        admonishment: AdmonishmentId::parse(MANUAL_ID).expect("an id"),
        campaign: campaign(),
        unit: unit("county-hospital"),
        basis: Basis::Manual {
            publication: Some(county_bulletin(MARCH, 3)),
        },
        items: vec![code("YB-2026-0002")],
        reasons: vec![text("整改进度滞后")],
        by: person("sec-li"),
        at: local(2026, 4, 2, 10, 0),
    }
}

fn scheduled(day: u32, place: &str, conductors: &[&str]) -> AdmonishmentEvent {
    AdmonishmentEvent::Scheduled {
        when: local(2026, 5, day, 15, 0),
        place: text(place),
        conducted_by: conductors.iter().map(|p| person(p)).collect(),
        by: person("sec-li"),
        at: local(2026, 5, 7, 9, 0),
    }
}

fn held() -> AdmonishmentEvent {
    AdmonishmentEvent::Held {
        attendees: vec![person("hosp-liu"), person("sec-li")],
        minutes: Uri::parse("oss://minutes/2026/adm.pdf").expect("a uri"),
        scheduled_for: local(2026, 5, 12, 15, 0),
        by: person("sec-li"),
        at: local(2026, 5, 12, 16, 30),
    }
}

fn followed_up() -> AdmonishmentEvent {
    AdmonishmentEvent::FollowedUp {
        outcome: text("逾期事项已全部签收并制定整改计划"),
        by: person("sec-zhao"),
        at: local(2026, 6, 1, 10, 0),
    }
}

fn withdrawn() -> AdmonishmentEvent {
    AdmonishmentEvent::Withdrawn {
        reasons: vec![text("3 月通报已更正")],
        correction: Some(PublicationId::parse(MARCH_CORRECTED).expect("a publication")),
        by: person("sec-zhao"),
        at: local(2026, 4, 5, 9, 0),
    }
}

fn fold(id: &str, events: &[AdmonishmentEvent]) -> Option<AdmonishmentEntry> {
    events
        .iter()
        .cloned()
        .enumerate()
        .fold(None, |row, (i, event)| {
            AdmonishmentRegister::fold(row, id, event, &logged(id, i as u64 + 1))
        })
}

#[test]
fn the_policys_admonishment_is_scheduled_rescheduled_held_and_followed_up() {
    let events = [
        policy_triggered(),
        scheduled(11, "专班办公室会议室", &["sec-li"]),
        scheduled(12, "县医保局三楼会议室", &["sec-li", "sec-zhao"]),
        held(),
        followed_up(),
    ];
    let expected = AdmonishmentEntry {
        admonishment: POLICY_ID.into(),
        campaign: "qunfu-2026".into(),
        unit: "county-hospital".into(),
        basis: BasisKind::Policy,
        publication: Some(APRIL.into()),
        publication_kind: Some(PublicationKind::Bulletin),
        publication_scope: Some("county".into()),
        cut_off: Some(local(2026, 5, 1, 0, 0)),
        rules: vec![AdmonishmentRule::OverdueItems],
        // The policy's rests on the bulletin's cut-off, not on its own instant.
        window_instant: Some(local(2026, 5, 1, 0, 0)),
        items: vec!["YB-2026-0004".into(), "YB-2026-0005".into()],
        reasons: vec!["4 月通报逾期事项 3 项".into()],
        triggered_by: "policy:admonishment".into(),
        triggered_at: local(2026, 5, 6, 9, 5),
        state: AdmonishmentStatus::FollowedUp,
        // The reschedule replaced the first date, place and conductors.
        scheduled_for: Some(local(2026, 5, 12, 15, 0)),
        place: Some("县医保局三楼会议室".into()),
        conducted_by: vec!["sec-li".into(), "sec-zhao".into()],
        scheduled_at: Some(local(2026, 5, 7, 9, 0)),
        held_at: Some(local(2026, 5, 12, 16, 30)),
        attendees: vec!["hosp-liu".into(), "sec-li".into()],
        minutes: Some("oss://minutes/2026/adm.pdf".into()),
        follow_up: Some("逾期事项已全部签收并制定整改计划".into()),
        followed_up_at: Some(local(2026, 6, 1, 10, 0)),
        withdrawn_at: None,
        withdrawn_by: None,
        withdrawal_reasons: vec![],
        correction: None,
        position: 5,
    };
    assert_eq!(fold(POLICY_ID, &events), Some(expected));
    // Each step is a state of its own.
    let states: Vec<_> = (1..=events.len())
        .map(|n| fold(POLICY_ID, &events[..n]).expect("a row").state)
        .collect();
    assert_eq!(
        states,
        [
            AdmonishmentStatus::Triggered,
            AdmonishmentStatus::Scheduled,
            AdmonishmentStatus::Scheduled,
            AdmonishmentStatus::Held,
            AdmonishmentStatus::FollowedUp,
        ]
    );
}

#[test]
fn a_manual_admonishment_rests_on_its_own_instant_and_withdrawn_counts_for_nothing() {
    let triggered = fold(MANUAL_ID, &[manual_triggered()]).expect("a row");
    assert_eq!(triggered.basis, BasisKind::Manual);
    assert_eq!(triggered.rules, vec![]);
    // It names the March bulletin, yet the window is measured from its own trigger.
    assert_eq!(triggered.publication.as_deref(), Some(MARCH));
    assert_eq!(triggered.cut_off, Some(local(2026, 4, 1, 0, 0)));
    assert_eq!(triggered.window_instant, Some(local(2026, 4, 2, 10, 0)));

    let gone = fold(MANUAL_ID, &[manual_triggered(), withdrawn()]).expect("a row");
    assert_eq!(gone.state, AdmonishmentStatus::Withdrawn);
    assert_eq!(gone.window_instant, None);
    assert_eq!(gone.withdrawn_at, Some(local(2026, 4, 5, 9, 0)));
    assert_eq!(gone.withdrawn_by.as_deref(), Some("sec-zhao"));
    assert_eq!(gone.withdrawal_reasons, vec!["3 月通报已更正".to_owned()]);
    assert_eq!(gone.correction.as_deref(), Some(MARCH_CORRECTED));
    assert_eq!(gone.position, 2);

    let bare = AdmonishmentEvent::Triggered {
        admonishment: AdmonishmentId::parse("adm-2026-0009").expect("an id"),
        campaign: campaign(),
        unit: unit("kangle-care-home"),
        basis: Basis::Manual { publication: None },
        items: vec![],
        reasons: vec![text("服务质量低下")],
        by: person("sec-sun"),
        at: local(2026, 6, 3, 9, 0),
    };
    let bare = fold("adm-2026-0009", &[bare]).expect("a row");
    assert_eq!(
        (bare.publication, bare.publication_kind, bare.cut_off),
        (None, None, None)
    );
    assert_eq!(bare.window_instant, Some(local(2026, 6, 3, 9, 0)));
}

/// The register's window instant is the aggregate's, after every prefix of every stream.
#[test]
fn the_window_instant_is_the_aggregates() {
    let streams: [(&str, Vec<AdmonishmentEvent>); 3] = [
        (
            POLICY_ID,
            vec![
                policy_triggered(),
                scheduled(12, "会议室", &["sec-li"]),
                held(),
                followed_up(),
            ],
        ),
        (MANUAL_ID, vec![manual_triggered(), withdrawn()]),
        (
            MANUAL_ID,
            vec![
                manual_triggered(),
                scheduled(12, "会议室", &["sec-li"]),
                withdrawn(),
            ],
        ),
    ];
    for (id, events) in streams {
        for n in 1..=events.len() {
            let row = fold(id, &events[..n]).expect("a row");
            let aggregate: Admonishment = replay(events[..n].iter().cloned());
            assert_eq!(
                row.window_instant,
                aggregate.window_instant(),
                "{id} after {n}"
            );
            assert_eq!(row.state, aggregate.status, "{id} after {n}");
        }
    }
}

#[test]
fn a_row_survives_its_trip_through_the_table_as_json() {
    for (id, events) in [
        (
            POLICY_ID,
            vec![
                policy_triggered(),
                scheduled(12, "会议室", &["sec-li"]),
                held(),
                followed_up(),
            ],
        ),
        (MANUAL_ID, vec![manual_triggered(), withdrawn()]),
    ] {
        let entry = fold(id, &events).expect("a row");
        let json = serde_json::to_value(&entry).expect("serialises");
        let fields = json.as_object().expect("an object").clone();
        AdmonishmentRegister::TABLE
            .upsert(&fields)
            .expect("every field fits its column");
        let back: AdmonishmentEntry = serde_json::from_value(json).expect("reads back");
        assert_eq!(back, entry);
    }
}

#[test]
fn events_of_an_admonishment_never_triggered_make_no_row() {
    assert_eq!(fold(POLICY_ID, &[held(), followed_up()]), None);
}
