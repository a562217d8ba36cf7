//! The ledger query without a database: validation, the cursor's round trip and its checks,
//! and the SQL both backends render.

use rectiflow_domain::item::{Colour, ItemState};
use rectiflow_domain::testing::fixtures::local;
use rectiflow_engine::readmodel::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};

use super::super::query::Position;
use super::super::{Cursor, LedgerQuery, LedgerQueryError, LedgerSort, SortKey};

fn query() -> LedgerQuery {
    LedgerQuery::new(local(2026, 4, 10, 9, 0))
}

#[test]
fn a_plain_query_is_valid() {
    assert_eq!(query().validate(), Ok(()));
}

#[test]
fn the_limit_is_one_to_five_hundred() {
    for (limit, ok) in [(0, false), (1, true), (500, true), (501, false)] {
        let q = LedgerQuery { limit, ..query() };
        assert_eq!(q.validate().is_ok(), ok, "limit {limit}");
    }
    assert_eq!(
        LedgerQuery {
            limit: 0,
            ..query()
        }
        .validate(),
        Err(LedgerQueryError::Limit(0))
    );
}

#[test]
fn empty_or_overlong_filters_are_refused() {
    let q = LedgerQuery {
        unit: Some("  ".into()),
        ..query()
    };
    assert_eq!(q.validate(), Err(LedgerQueryError::EmptyFilter("unit")));
    let q = LedgerQuery {
        category: Some("x".repeat(201)),
        ..query()
    };
    assert_eq!(
        q.validate(),
        Err(LedgerQueryError::FilterTooLong("category"))
    );
    let q = LedgerQuery {
        state: Some(ItemState::NotRegistered),
        ..query()
    };
    assert_eq!(q.validate(), Err(LedgerQueryError::State));
}

fn cursor(sort: LedgerSort, key: Option<&str>, code: &str) -> Cursor {
    Cursor::for_test(sort, key, code)
}

#[test]
fn a_cursor_round_trips_through_its_token() {
    let sorts = [
        (LedgerSort::default(), None),
        (
            LedgerSort {
                key: SortKey::Deadline,
                descending: true,
            },
            Some("2026-04-01T00:00:00Z"),
        ),
        (
            LedgerSort {
                key: SortKey::Deadline,
                descending: false,
            },
            None,
        ),
        (
            LedgerSort {
                key: SortKey::Unit,
                descending: false,
            },
            Some("县医院, \"新院区\""),
        ),
    ];
    for (sort, key) in sorts {
        let original = cursor(sort, key, "YB-2026-0007");
        let token = original.to_string();
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
        let parsed = Cursor::parse(&token).expect("a valid cursor");
        assert_eq!(parsed, original);
        assert_eq!(parsed.as_str(), token);
    }
}

#[test]
fn malformed_cursors_are_refused_never_a_panic() {
    let bad = [
        String::new(),
        "zz".into(),
        "abc".into(),
        hex("not json"),
        hex("{}"),
        hex(r#"{"s":{"key":"code","descending":false},"k":null,"c":""}"#),
        // A key of the wrong kind for its sort.
        hex(r#"{"s":{"key":"registered_at","descending":false},"k":{"text":"x"},"c":"A"}"#),
        hex(r#"{"s":{"key":"registered_at","descending":false},"k":null,"c":"A"}"#),
        hex(r#"{"s":{"key":"code","descending":false},"k":{"text":"x"},"c":"A"}"#),
        hex(r#"{"s":{"key":"deadline","descending":false},"k":{"at":"yesterday"},"c":"A"}"#),
        "0".repeat(4096),
    ];
    for token in bad {
        assert!(
            matches!(Cursor::parse(&token), Err(LedgerQueryError::Cursor(_))),
            "{token:?}"
        );
    }
    let good = hex(r#"{"s":{"key":"unit","descending":true},"k":{"text":"x"},"c":"A"}"#);
    assert!(Cursor::parse(&good).is_ok());
}

#[test]
fn a_cursor_of_another_sort_is_refused() {
    let q = LedgerQuery {
        sort: LedgerSort {
            key: SortKey::RegisteredAt,
            descending: false,
        },
        after: Some(cursor(LedgerSort::default(), None, "YB-2026-0001")),
        ..query()
    };
    assert_eq!(q.validate(), Err(LedgerQueryError::CursorSort));
}

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_select_filters_stored_columns_and_pages_by_key_then_code() {
    let q = LedgerQuery {
        unit: Some("county-hospital".into()),
        state: Some(ItemState::InProgress),
        overdue: Some(true),
        colour: Some(Colour::Red),
        sort: LedgerSort {
            key: SortKey::Deadline,
            descending: false,
        },
        ..query()
    };
    let after = Position::for_test(q.sort, Some("2026-04-01T00:00:00Z"), "YB-2026-0003");
    let select = q.select(Some(&after), 11);
    for sql in [
        select.to_string(PostgresQueryBuilder),
        select.to_string(SqliteQueryBuilder),
    ] {
        for part in [
            "\"responsible_unit\" = 'county-hospital'",
            "\"state\" = 'in_progress'",
            "\"deadline_passes_at\" IS NULL",
            "\"code\" > 'YB-2026-0003'",
            "ORDER BY \"deadline_passes_at\" IS NULL ASC, \"deadline_passes_at\" ASC, \"code\" ASC",
            "LIMIT 11",
        ] {
            assert!(sql.contains(part), "{part} in {sql}");
        }
        assert!(!sql.contains("OFFSET"), "{sql}");
    }
}
