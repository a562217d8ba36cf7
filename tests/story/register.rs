//! The first read model, kept by a consumer written once for both backends: the issue list as
//! a register, which must agree with every item the story drove.

use rectiflow_domain::item::Item;
use rectiflow_engine::consumer::{self, ConsumerOptions, Handler, HandlerError};
use rectiflow_engine::readmodel::sea_query::{Alias, Query};
use rectiflow_engine::readmodel::ReadModels;
use rectiflow_engine::{CancellationToken, LoggedEvent};
use rectiflow_projections::item_register::{ItemEntry, ItemRegister};
use rectiflow_projections::{Projector, RowProjection};
use rectiflow_tests::Store;
use tokio::sync::watch;

use crate::world::World;

/// The projector, reporting each batch it applied so the test waits on a signal, not a clock.
struct Reporting {
    inner: Projector<ItemRegister>,
    applied: watch::Sender<u64>,
}

impl Handler for Reporting {
    async fn prepare<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        self.inner.prepare(tx).await
    }

    async fn handle<T: ReadModels>(
        &mut self,
        tx: &mut T,
        batch: &[LoggedEvent],
    ) -> Result<(), HandlerError> {
        self.inner.handle(tx, batch).await?;
        if let Some(last) = batch.last() {
            self.applied.send_replace(last.position);
        }
        Ok(())
    }
}

/// The register, built by the consumer from the whole log, shows each item as its aggregate
/// stands: state, unit, deadline in force, overdue, send-backs, extensions.
pub async fn the_item_register_agrees_with_every_item<S: Store>(w: &World<S>) {
    let store = w.store();
    let head = store.head().await.expect("the head");
    let (applied, mut progress) = watch::channel(0);
    let shutdown = CancellationToken::new();
    let handler = Reporting {
        inner: Projector::new(),
        applied,
    };
    let runner = tokio::spawn(consumer::run(
        store.clone(),
        ConsumerOptions::new(ItemRegister::NAME),
        handler,
        shutdown.clone(),
    ));
    progress
        .wait_for(|position| *position >= head)
        .await
        .expect("the projector's progress");
    // The runner returns only between batches, so the last batch is committed after this.
    shutdown.cancel();
    runner.await.expect("the projector task");

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
    for entry in &entries {
        let (item, version) = w
            .exec
            .load::<Item>(&entry.code)
            .await
            .expect("load the item");
        assert!(version > 0);
        assert_eq!(entry.state, item.state(), "{}", entry.code);
        assert_eq!(
            entry.responsible_unit.as_deref(),
            item.responsible_unit().map(|u| u.as_str()),
            "{}",
            entry.code
        );
        assert_eq!(entry.deadline, item.deadline_in_force(), "{}", entry.code);
        assert_eq!(entry.overdue, item.is_overdue(), "{}", entry.code);
        assert_eq!(
            entry.send_backs,
            i64::from(item.send_backs()),
            "{}",
            entry.code
        );
        assert_eq!(
            entry.extensions,
            i64::from(item.extensions_approved()),
            "{}",
            entry.code
        );
    }
}
