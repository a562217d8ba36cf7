//! Black-box tests of the HTTP API: the service started on a random port on each store —
//! PostgreSQL, and SQLite, the embedded default `serve --demo` runs on — a county and a
//! campaign set up through the API, each role's token, and every response seen validated
//! against the OpenAPI document the service serves.
#![allow(clippy::unwrap_used)]

mod county;
mod support;

mod boards;
mod complaints;
mod conditional;
mod dashboard;
mod document;
mod events;
mod figures;
mod ledger;
mod lifecycle;
mod malformed;
mod nats;
mod past;
mod public;
mod publications;
mod recorded;
mod rehearsal;
mod scopes;
mod siblings;
mod todo;
mod webhooks;

use rectiflow_tests::Db;

/// Each test once per backend, named after it (`postgres::…`, `sqlite::…`).
macro_rules! on_both_stores {
    ($($module:ident::$test:ident),* $(,)?) => {
        mod postgres {
            use super::*;
            $(#[tokio::test]
            async fn $test() {
                $module::$test(Db::Postgres).await;
            })*
        }
        mod sqlite {
            use super::*;
            $(#[tokio::test]
            async fn $test() {
                $module::$test(Db::Sqlite).await;
            })*
        }
    };
}

on_both_stores!(
    dashboard::the_dashboard_shows_what_the_api_says,
    dashboard::a_bulletin_prints_as_many_pages_as_it_says,
    dashboard::signing_in_and_out_holds_a_session_to_its_rules,
    dashboard::a_secretariat_sees_its_own_task_forces_only,
    dashboard::the_registers_pages_list_what_the_boards_list,
    nats::every_event_reaches_nats_once_after_deduplication,
    webhooks::deliveries_are_signed_ordered_retried_and_dead_lettered,
    webhooks::a_subscription_pauses_at_a_failure_resumes_and_replays,
    webhooks::a_restart_mid_delivery_resumes_without_loss,
    webhooks::urls_filters_and_owners_are_held_to_the_rules,
    events::a_stream_resumes_after_a_dropped_connection_while_sixteen_writers_commit,
    events::every_event_sent_is_valid_sealed_and_within_the_readers_scope,
    events::bad_filters_and_positions_are_refused_with_the_field_at_fault,
    events::shutdown_ends_a_stream_cleanly,
    lifecycle::an_item_goes_from_registration_to_sign_off,
    complaints::a_complainant_is_revealed_only_to_the_secretariat_and_on_record,
    scopes::each_role_is_refused_outside_its_scope,
    scopes::a_token_whose_role_was_revoked_acts_no_longer,
    conditional::changes_need_the_version_they_were_decided_on,
    conditional::a_keyed_post_is_carried_out_once,
    malformed::malformed_requests_get_the_right_4xx_and_write_nothing,
    ledger::the_ledger_pages_by_key_within_the_readers_scope_and_downloads,
    boards::the_registers_list_within_the_readers_scope_a_page_at_a_time,
    past::the_registers_read_as_they_stood_at_an_instant,
    figures::the_figures_and_ranking_so_far_match_the_ledger,
    document::every_documented_operation_is_served_and_the_page_renders,
    publications::a_bulletin_figure_drills_down_to_the_items_the_ledger_finds,
    todo::each_person_sees_what_they_have_to_do,
    recorded::reads_of_a_case_file_are_on_record,
    public::the_public_reads_bulletins_and_typical_cases_without_a_token,
    public::an_address_is_held_to_its_rate_before_any_token_is_read,
    rehearsal::a_rehearsal_walks_the_campaign_through_simulated_time,
    rehearsal::a_store_is_served_live_or_as_a_rehearsal_never_both,
);
