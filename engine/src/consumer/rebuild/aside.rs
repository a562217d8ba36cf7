//! One consumer's part in a rebuild: its shadow opened (resumed, or started afresh), fed the
//! log's batches, and swapped in. Type-erased behind [`Member`], so consumers of different
//! handler types share one pass over the log.

use std::borrow::BorrowMut;
use std::marker::PhantomData;

use futures::future::BoxFuture;
use sea_query::{Alias, Table};

use super::super::runner::prepare;
use super::super::{ConsumerOptions, ConsumerPosition, ConsumerStore, Handler};
use super::shadow_name;
use crate::error::StoreError;
use crate::model::LoggedEvent;
use crate::readmodel::ReadModels;

/// What a rebuild does with each consumer, whatever its handler's type.
pub(super) trait Member<S: ConsumerStore>: Send {
    /// The live consumer's name.
    fn name(&self) -> &str;

    /// The handler's code version ([`Handler::VERSION`]).
    fn version(&self) -> u32;

    /// Checks that no newer code owns the consumer or its shadow, then opens the shadow: an
    /// interrupted rebuild by this code is resumed, anything else is dropped and started afresh
    /// at 0. Returns the shadow's checkpoint.
    fn open<'a>(&'a mut self, store: &'a S) -> BoxFuture<'a, Result<u64, StoreError>>;

    /// Folds `batch` (the events after the shadow's checkpoint `from`) into the shadow and moves
    /// the shadow's checkpoint to its last position, inside `tx`.
    fn apply<'a>(
        &'a mut self,
        store: &'a S,
        tx: &'a mut S::Tx,
        from: u64,
        batch: &'a [LoggedEvent],
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Inside `tx`: drops the live tables, renames the shadow's to their names, lets the live
    /// handler prepare them (its indexes under the live names) and hands the shadow's checkpoint
    /// `built` to the live consumer.
    fn swap<'a>(
        &'a mut self,
        store: &'a S,
        tx: &'a mut S::Tx,
        built: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// A consumer rebuilt aside: its live handler (owned, or borrowed from a runner) and, once
/// opened, its shadow.
pub(super) struct Aside<H, L> {
    options: ConsumerOptions,
    shadow_options: ConsumerOptions,
    live: L,
    shadow: Option<H>,
    handler: PhantomData<fn() -> H>,
}

impl<H: Handler, L: BorrowMut<H> + Send> Aside<H, L> {
    pub(super) fn new(options: ConsumerOptions, live: L) -> Self {
        let shadow_options = ConsumerOptions {
            name: shadow_name(&options.name),
            ..options.clone()
        };
        Self {
            options,
            shadow_options,
            live,
            shadow: None,
            handler: PhantomData,
        }
    }

    fn newer(consumer: &str, stored: u32) -> StoreError {
        StoreError::NewerCodeOwnsConsumer {
            consumer: consumer.to_owned(),
            stored,
            code: H::VERSION,
        }
    }

    fn opened(&mut self) -> Result<&mut H, StoreError> {
        self.shadow.as_mut().ok_or_else(|| {
            StoreError::Misuse(format!(
                "the shadow of {} is used before it was opened",
                self.options.name
            ))
        })
    }

    async fn open_shadow<S: ConsumerStore>(&mut self, store: &S) -> Result<u64, StoreError> {
        let name = self.options.name.clone();
        if let Some(live) = store.consumer_position(&name).await? {
            if live.version > H::VERSION {
                return Err(Self::newer(&name, live.version));
            }
        }
        let live = self.live.borrow_mut();
        let mut shadow = live.shadow().ok_or_else(|| {
            StoreError::Misuse(format!(
                "consumer {name} keeps no tables to rebuild aside (a policy is reset instead)"
            ))
        })?;
        let (live_tables, shadow_tables) = (live.tables(), shadow.tables());
        if live_tables.len() != shadow_tables.len() {
            return Err(StoreError::Misuse(format!(
                "consumer {name}: live tables {live_tables:?} and shadow tables \
                 {shadow_tables:?} do not pair up"
            )));
        }
        let aside = &self.shadow_options.name;
        let checkpoint = match store.consumer_position(aside).await? {
            Some(stored) if stored.version > H::VERSION => {
                return Err(Self::newer(aside, stored.version))
            }
            // An interrupted rebuild by this code: resume it.
            Some(stored) if stored.version == H::VERSION => {
                prepare(store, &self.shadow_options, &mut shadow).await?;
                stored.checkpoint
            }
            // None, or left by older code: whatever shadow tables exist are dropped and made
            // afresh with the checkpoint at 0, in one transaction.
            _ => {
                let mut tx = store.begin().await?;
                shadow
                    .reset(&mut tx)
                    .await
                    .map_err(|e| StoreError::Handler {
                        consumer: aside.clone(),
                        from: 0,
                        to: 0,
                        reason: format!("starting its shadow tables afresh: {e}"),
                    })?;
                store.reset_checkpoint(&mut tx, aside, H::VERSION).await?;
                store.commit_batch(tx).await?;
                0
            }
        };
        self.shadow = Some(shadow);
        Ok(checkpoint)
    }

    async fn apply_batch<S: ConsumerStore>(
        &mut self,
        store: &S,
        tx: &mut S::Tx,
        from: u64,
        batch: &[LoggedEvent],
    ) -> Result<(), StoreError> {
        let Some(last) = batch.last().map(|e| e.position) else {
            return Ok(());
        };
        let aside = self.shadow_options.name.clone();
        self.opened()?
            .handle(tx, batch)
            .await
            .map_err(|e| StoreError::Handler {
                consumer: aside.clone(),
                from: from + 1,
                to: last,
                reason: e.to_string(),
            })?;
        store
            .save_checkpoint(tx, &aside, from, last, H::VERSION)
            .await
    }

    async fn swap_in<S: ConsumerStore>(
        &mut self,
        store: &S,
        tx: &mut S::Tx,
        built: u64,
    ) -> Result<(), StoreError> {
        let shadow_tables = self.opened()?.tables();
        let live = self.live.borrow_mut();
        for (live, aside) in live.tables().iter().zip(&shadow_tables) {
            tx.execute(
                Table::drop()
                    .table(Alias::new(live))
                    .if_exists()
                    .to_owned()
                    .into(),
            )
            .await?;
            tx.execute(
                Table::rename()
                    .table(Alias::new(aside), Alias::new(live))
                    .to_owned()
                    .into(),
            )
            .await?;
        }
        let name = &self.options.name;
        live.prepare(tx)
            .await
            .map_err(|e| StoreError::ReadModel(format!("preparing {name} after the swap: {e}")))?;
        let built = ConsumerPosition {
            checkpoint: built,
            version: H::VERSION,
        };
        store
            .promote_checkpoint(tx, name, &self.shadow_options.name, built)
            .await
    }
}

impl<S, H, L> Member<S> for Aside<H, L>
where
    S: ConsumerStore,
    H: Handler,
    L: BorrowMut<H> + Send,
{
    fn name(&self) -> &str {
        &self.options.name
    }

    fn version(&self) -> u32 {
        H::VERSION
    }

    fn open<'a>(&'a mut self, store: &'a S) -> BoxFuture<'a, Result<u64, StoreError>> {
        Box::pin(self.open_shadow(store))
    }

    fn apply<'a>(
        &'a mut self,
        store: &'a S,
        tx: &'a mut S::Tx,
        from: u64,
        batch: &'a [LoggedEvent],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.apply_batch(store, tx, from, batch))
    }

    fn swap<'a>(
        &'a mut self,
        store: &'a S,
        tx: &'a mut S::Tx,
        built: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.swap_in(store, tx, built))
    }
}
