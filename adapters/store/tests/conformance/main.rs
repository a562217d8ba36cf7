//! One conformance suite, run against both backends: every test below is instantiated once for
//! PostgreSQL (a fresh database each) and once for SQLite (a fresh file each).

#[path = "../support/mod.rs"]
mod support;

mod batches;
mod consumers;
mod decoding;
mod event_ids;
mod idempotency;
mod indexes;
mod nul;
mod policies;
mod privacy;
mod rebuilds;
mod refusals;
mod retries;
mod scrub;
mod snapshots;
mod streams;
mod tokens;
mod upserts;
mod versions;
mod writes;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use cqrs_es::persist::{EventUpcaster, SemanticVersionEventUpcaster};
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::values::PersonId;
use rectiflow_engine::consumer::{self, ConsumerOptions};
use rectiflow_engine::model::{Commit, NewEvent};
use rectiflow_engine::{
    CancellationToken, CommandContext, EventStore, ExecuteError, Executor, IdempotencyKey,
    StoreError, StreamRef,
};
use rectiflow_store::chain::{chain_hash, hash_from_bytes, GENESIS};
use support::counter::{Counter, CounterCommand, CounterV2, Refused};
use support::{seen_ids, Harness, Seen};
use uuid::Uuid;

fn clock() -> ManualClock {
    ManualClock::starting_at(
        Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0)
            .single()
            .expect("valid"),
    )
}

fn executor<S: EventStore>(store: &S) -> Executor<S> {
    Executor::new(store.clone(), Arc::new(clock()))
}

fn ctx(actor: &str) -> CommandContext {
    CommandContext::new(PersonId::parse(actor).expect("valid actor"))
}

fn hex32(hash: &str) -> [u8; 32] {
    hash_from_bytes(&hex::decode(hash).expect("hex")).expect("32 bytes")
}

/// Checks the log from position 1: dense positions and an unbroken hash chain.
async fn assert_log_sound<S: EventStore>(store: &S, expected_len: u64) {
    let log = store.read_log(0, 1_000_000).await.expect("read log");
    assert_eq!(log.len() as u64, expected_len, "log length");
    let mut previous = GENESIS;
    for (i, logged) in log.iter().enumerate() {
        assert_eq!(logged.position, i as u64 + 1, "positions are dense");
        let hash = chain_hash(&previous, logged.position, &logged.event);
        assert_eq!(
            hex::encode(hash),
            logged.hash,
            "chain hash at {}",
            logged.position
        );
        previous = hex32(&logged.hash);
    }
}

trait ClockExt {
    fn now_for_tests(&self) -> chrono::DateTime<Utc>;
}
impl ClockExt for ManualClock {
    fn now_for_tests(&self) -> chrono::DateTime<Utc> {
        rectiflow_domain::clock::Clock::now(self)
    }
}

use batches::{
    a_batch_is_written_whole_in_the_order_decided, a_batch_with_one_moved_stream_writes_nothing,
};
use consumers::{a_consumer_is_caught_up_by_hand, consumer_checkpoints, ordering_stress};
use decoding::{corrupt_counts, corrupt_rows, upcasting};
use event_ids::repeated_event_ids;
use idempotency::idempotency;
use indexes::a_rebuilt_table_is_indexed_under_the_live_names;
use nul::nul_characters_are_refused;
use policies::a_policy_executes_commands_once;
use privacy::{
    erasure_forgets_keyed_commands, keyed_fingerprints, sealing_is_idempotent_per_complaint,
};
use rebuilds::{
    a_newer_node_rebuilds_aside_while_the_old_model_stays_readable,
    a_rebuild_is_built_aside_and_swapped_in, consumers_rebuilt_together_share_one_pass,
};
use refusals::refusals_are_remembered_failures_are_not;
use retries::a_lost_race_is_retried_only_without_an_expected_version;
use snapshots::{snapshots, snapshots_of_another_fold_are_ignored};
use streams::streams_are_listed_by_type_a_page_at_a_time;
use tokens::tokens_are_found_by_their_secret_until_revoked;
use upserts::many_rows_are_upserted_in_one_statement;
use versions::{
    a_checkpoint_moves_only_under_its_version,
    a_newer_consumer_rebuilds_and_an_older_one_stands_down,
};
use writes::{append_and_read, conflicts, many_writers_all_commit};

both_backends!(
    append_and_read,
    conflicts,
    a_lost_race_is_retried_only_without_an_expected_version,
    many_writers_all_commit,
    idempotency,
    keyed_fingerprints,
    refusals_are_remembered_failures_are_not,
    erasure_forgets_keyed_commands,
    sealing_is_idempotent_per_complaint,
    snapshots,
    snapshots_of_another_fold_are_ignored,
    upcasting,
    corrupt_rows,
    corrupt_counts,
    consumer_checkpoints,
    a_policy_executes_commands_once,
    ordering_stress,
    nul_characters_are_refused,
    repeated_event_ids,
    a_newer_consumer_rebuilds_and_an_older_one_stands_down,
    a_checkpoint_moves_only_under_its_version,
    a_rebuild_is_built_aside_and_swapped_in,
    a_newer_node_rebuilds_aside_while_the_old_model_stays_readable,
    a_rebuilt_table_is_indexed_under_the_live_names,
    consumers_rebuilt_together_share_one_pass,
    many_rows_are_upserted_in_one_statement,
    streams_are_listed_by_type_a_page_at_a_time,
    a_consumer_is_caught_up_by_hand,
    a_batch_is_written_whole_in_the_order_decided,
    a_batch_with_one_moved_stream_writes_nothing,
    tokens_are_found_by_their_secret_until_revoked,
);
