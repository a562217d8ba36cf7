//! Fixtures shared by the tests of every aggregate (and by other crates' tests): value makers
//! (`text("…")`, `unit("…")`, `code("YB-2026-0001")`…), each of which parses a literal and panics,
//! naming what it expected, if the literal is not valid — a fixture, not input; instants (`at`,
//! `local`); [`replay`] to fold a history; [`assert_round_trips`] and
//! [`assert_codes_distinct_and_namespaced`] for events and errors on the wire.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use cqrs_es::{Aggregate, DomainEvent};

use crate::failure::DomainError;
use crate::values::{
    CampaignId, EvidenceRef, ItemCode, MediaType, PersonId, Score, Sha256Hex, Text, UnitId, Uri,
};

/// The time zone of the campaigns in tests (and the default of the settings).
pub const TZ: Tz = chrono_tz::Asia::Shanghai;

/// The campaign the tests run in, `qunfu-2026`.
pub fn campaign() -> CampaignId {
    CampaignId::parse("qunfu-2026").expect("valid campaign id")
}

pub fn text(s: &str) -> Text {
    Text::parse(s).expect("valid text")
}

pub fn person(s: &str) -> PersonId {
    PersonId::parse(s).expect("valid person id")
}

pub fn unit(s: &str) -> UnitId {
    UnitId::parse(s).expect("valid unit id")
}

/// An item code of the issue list, e.g. `code("YB-2026-0001")`.
pub fn code(s: &str) -> ItemCode {
    ItemCode::parse(s).expect("valid item code")
}

pub fn score(v: f64) -> Score {
    Score::parse(v).expect("valid score")
}

/// A reference to a piece of evidence (2 KiB, a fixed digest), e.g.
/// `evidence_ref("整改照片.jpg", "image/jpeg", "https://files.example/yb/1.jpg")`.
pub fn evidence_ref(name: &str, media_type: &str, uri: &str) -> EvidenceRef {
    EvidenceRef {
        name: text(name),
        media_type: MediaType::parse(media_type).expect("valid media type"),
        size: 2048,
        sha256: Sha256Hex::parse("ab".repeat(32)).expect("valid digest"),
        uri: Uri::parse(uri).expect("valid uri"),
    }
}

/// The officer who acts in the tests of the complaint, survey and supplier aggregates.
pub fn officer() -> PersonId {
    person("officer-1")
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// An instant written in RFC 3339, e.g. `at("2026-03-10T02:00:00Z")`.
pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("valid RFC 3339 instant")
}

/// An instant by the wall clock in [`TZ`] (Asia/Shanghai), e.g. `local(2026, 3, 2, 9, 0)`.
pub fn local(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    TZ.with_ymd_and_hms(y, m, d, h, mi, 0)
        .single()
        .expect("a valid local time")
        .with_timezone(&Utc)
}

/// The aggregate folded from `events`, oldest first: what loading its stream would give.
pub fn replay<A: Aggregate>(events: impl IntoIterator<Item = A::Event>) -> A {
    let mut aggregate = A::default();
    for event in events {
        aggregate.apply(event);
    }
    aggregate
}

/// What the store and integrators rely on for an event: it comes back equal from JSON, the
/// JSON is tagged with its variant (`{"ItemRegistered":…}`), its type is qualified
/// (`rectiflow.item.registered`) and its schema version is 1.
pub fn assert_round_trips<E: DomainEvent>(event: &E) {
    let json = serde_json::to_string(event).expect("the event serialises");
    let back: E = serde_json::from_str(&json).expect("the event deserialises");
    assert_eq!(&back, event);
    assert!(
        json.starts_with("{\""),
        "{json} is not tagged with its variant"
    );
    assert!(
        crate::event::is_qualified(&event.event_type()),
        "{} is not a qualified event type",
        event.event_type()
    );
    assert_eq!(event.event_version(), crate::event::FIRST_SCHEMA_VERSION);
}

/// What integrators rely on for an aggregate's errors, read through [`DomainError`]: each has
/// its own code, namespaced by the aggregate (`prefix`, e.g. `"case."`).
pub fn assert_codes_distinct_and_namespaced<E: DomainError>(errors: &[E], prefix: &str) {
    let codes: std::collections::BTreeSet<_> = errors.iter().map(DomainError::code).collect();
    assert_eq!(
        codes.len(),
        errors.len(),
        "codes are not distinct: {codes:?}"
    );
    for code in codes {
        assert!(code.starts_with(prefix), "{code} is not under {prefix}");
    }
}
