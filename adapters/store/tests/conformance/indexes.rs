//! A read model's indexes survive its rebuilds: the shadow table is indexed under names of its
//! own while it is built, and once swapped in its indexes carry the live names again — so the
//! next rebuild's shadow can take its own names, and the live table is never left without
//! them. The same code on both backends; each backend's catalog is read to check.

use rectiflow_engine::consumer::{rebuild, RebuildOutcome};
use rectiflow_engine::readmodel::sea_query::{Alias, Expr, Order, Query};
use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_engine::LoggedEvent;
use rectiflow_projections::{Projector, RowProjection, TableSpec};

use super::versions::{start, stop, wait_for_position, write, RowV1, TallyV1};
use super::*;

/// The tally, with an index on its count.
struct Indexed;

impl RowProjection for Indexed {
    const NAME: &'static str = "tally-indexed";
    const STREAM_TYPE: &'static str = "counter";
    const TABLE: TableSpec = TableSpec {
        name: "tally_indexed",
        ..TallyV1::TABLE
    };
    const INDEXES: &'static [&'static str] = &["events"];
    type Event = serde_json::Value;
    type Row = RowV1;

    fn fold(
        row: Option<RowV1>,
        stream_id: &str,
        event: serde_json::Value,
        logged: &LoggedEvent,
    ) -> Option<RowV1> {
        TallyV1::fold(row, stream_id, event, logged)
    }
}

/// The names of the indexes on `table` that a projection made (`…__by_…`), from the
/// backend's catalog.
async fn indexes<S: Harness>(store: &S, table: &str) -> Vec<String> {
    let query = match store.backend() {
        "postgres" => Query::select()
            .expr_as(Expr::col(Alias::new("indexname")), Alias::new("name"))
            .from(Alias::new("pg_indexes"))
            .and_where(Expr::col(Alias::new("tablename")).eq(table))
            .order_by(Alias::new("indexname"), Order::Asc)
            .to_owned(),
        _ => Query::select()
            .column(Alias::new("name"))
            .from(Alias::new("sqlite_master"))
            .and_where(Expr::col(Alias::new("type")).eq("index"))
            .and_where(Expr::col(Alias::new("tbl_name")).eq(table))
            .order_by(Alias::new("name"), Order::Asc)
            .to_owned(),
    };
    ReadModelStore::fetch(store, query)
        .await
        .expect("the catalog")
        .into_iter()
        .filter_map(|row| row.get("name").and_then(|n| n.as_str()).map(str::to_owned))
        .filter(|name| name.contains("__by_"))
        .collect()
}

async fn rebuilt<S: Harness>(store: &S) {
    let outcome = rebuild(
        store,
        &ConsumerOptions::new(Indexed::NAME),
        &mut Projector::<Indexed>::new(),
        &CancellationToken::new(),
        &mut (),
    )
    .await
    .expect("a rebuild");
    assert!(matches!(outcome, RebuildOutcome::Swapped(_)), "{outcome:?}");
}

pub(crate) async fn a_rebuilt_table_is_indexed_under_the_live_names<S: Harness>(store: S) {
    write(&store, "s", 10).await;
    support::wait_for_head(&store, 10).await;
    let (shutdown, task) = start::<S, Indexed>(&store);
    wait_for_position(
        &store,
        Indexed::NAME,
        rectiflow_engine::consumer::ConsumerPosition {
            checkpoint: 10,
            version: 1,
        },
    )
    .await;
    stop(shutdown, task).await;
    let live = vec!["tally_indexed__by_events".to_owned()];
    assert_eq!(indexes(&store, "tally_indexed").await, live, "built live");
    for round in 1..=2 {
        rebuilt(&store).await;
        assert_eq!(
            indexes(&store, "tally_indexed").await,
            live,
            "after rebuild {round}"
        );
        assert!(indexes(&store, "tally_indexed__rebuild").await.is_empty());
    }
}
