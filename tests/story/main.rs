//! One campaign story, told through the executor against both stores with a manual clock, in
//! chapters:
//!
//! 0. the county's organisation, its heads and its roles are set up (`organisation`);
//! 1. the campaign is set up with its task forces (`campaign`);
//! 2. items are registered, extended, sent back, signed off, gone overdue and exempted
//!    (`items`);
//! 3. complaints are answered in time and late, and a complainant's identity is erased
//!    (`complaints`);
//! 4. a case runs both investigations and waits for its repair item (`cases`);
//! 5. the schedule publishes the March bulletin at the log's head with the chain digest there;
//!    a person cannot publish it, it is published once, and a secretariat corrects it
//!    (`publications`);
//! 6. the county hospital, admonished by hand after March and by the policy at the April
//!    bulletin, sees its head proposed for accountability, which discipline inspection decides
//!    (`accountability`);
//! 7. a data alert of the medical-insurance platform is escalated to a clue on a case
//!    (`alerts`);
//! 8. a care home fails its rectification, loses its licence and is blacklisted
//!    (`care_home`);
//! 9. two secretariats register at once and get the next two item codes of the server's
//!    (`codes`);
//! 10. the global log ends up dense, chained, within its metadata contract and free of the
//!     complainant (`log`), and the item register agrees with every item (`register`);
//! 11. the March and April bulletins, recomputed from the item and complaint histories at
//!     their P, at the head and as of when they were published, equal the published ones,
//!     each figure traced to its items and positions; the May bulletin is published from the
//!     live read models (`figures`).
//! 12. the boards — complaints (one more left unanswered), cases, data alerts (one more left
//!     untriaged) and accountability — show the rows computed by hand, and the complaints
//!     board never the complainant (`boards`);
//! 13. the second admonishment's talk is scheduled; the admonishment register shows both
//!     admonishments, and each person's to-do list (待办) — secretariats, the hospital's head
//!     and responsible person, the complaint's handler, discipline inspection, the care home's
//!     head — equals the list computed by hand at the story's present (`todo`);
//! 14. the policies admonish the county hospital at the May bulletin and propose its head,
//!     once each, also when other processes replay them from position 0 (`policies`);
//! 15. the second quarter is assessed late from the live read models, each unit's deductions
//!     read from the registers, and each failed unit admonished once (`assessment`);
//! 16. the repair-items policy registers and assigns a case's repair items and notes their
//!     fate on the case, and the escalations policy opens the clues and items substantiated
//!     complaints and escalated alerts name — each once, replayed from 0 or run by three
//!     instances at once (`policies_cases`, `policies_escalations`);
//! 17. what `serve` runs — every projection and every policy, their ports read from the store —
//!     registers the item a complaint substantiated after all that names (`serving`);
//! 18. the preview of December's rhythm reads the campaign and the county's calendar: a day
//!     off the county declares on a Monday moves that dispatch (`schedule_preview`);
//! 19. the administrator creates the monthly-bulletin schedule, and three processes firing one
//!     occurrence at once fire it once (`schedules`).
//!
//! Beside the chapters, on a campaign set up on 2025-12-01 with nothing else happening: the
//! scheduler walks 2026 and publishes every dispatch, bulletin and assessment on time
//! (`rhythm`); two schedulers at once fire each occurrence once, and after downtime what was
//! missed fires late or, a dispatch past its window, is skipped (`rhythm_downtime`); the item
//! watch lists what falls due (`due_work`); the virtual-time driver walks deadlines and the
//! rhythm to the instant (`driver`).
//!
//! Each chapter is a test on each backend (`sqlite::<chapter>`, `postgres::<chapter>`), set up
//! by telling the chapters before it on a fresh store. A failure names the chapter it happened
//! in, also when that chapter was only the set-up of a later one.
#![allow(clippy::unwrap_used)]

mod accountability;
mod alerts;
mod assessment;
mod boards;
mod campaign;
mod care_home;
mod cases;
mod codes;
mod complaints;
mod demo;
mod driver;
mod due_work;
mod figures;
mod items;
mod log;
mod organisation;
mod policies;
mod policies_cases;
mod policies_escalations;
mod policy_runs;
mod projecting;
mod publications;
mod register;
mod rhythm;
mod rhythm_downtime;
mod schedule_preview;
mod schedules;
mod serving;
mod todo;
mod world;

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::task::Poll;

use rectiflow_tests::Store;
use world::World;

/// Runs one chapter of a telling that goes up to `last`; if it panics, fails again naming the
/// chapter, the backend, and (when it was only set-up) the chapter the test is about.
async fn chapter<S: Store>(
    w: &World<S>,
    name: &str,
    last: &str,
    chapter: impl Future<Output = ()>,
) {
    let mut chapter = std::pin::pin!(chapter);
    let told = std::future::poll_fn(|cx| {
        match catch_unwind(AssertUnwindSafe(|| chapter.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(())) => Poll::Ready(Ok(())),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    })
    .await;
    if let Err(panic) = told {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        let setting_up = if name == last {
            String::new()
        } else {
            format!(" (setting up `{last}`)")
        };
        panic!(
            "chapter `{name}` failed on {}{setting_up}: {message}",
            w.backend
        );
    }
}

/// The chapters, in the order the story tells them: generates `tell_through` and one test per
/// chapter on each backend.
macro_rules! chapters {
    ($($module:ident::$chapter:ident),+ $(,)?) => {
        /// Tells the story on `w` from the start up to and including the chapter `last`.
        async fn tell_through<S: Store>(w: &World<S>, last: &str) {
            $(
                chapter(w, stringify!($chapter), last, $module::$chapter(w)).await;
                if stringify!($chapter) == last {
                    return;
                }
            )+
            unreachable!("no chapter is called {last}");
        }

        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $chapter() {
                    let w = crate::World::sqlite().await;
                    crate::tell_through(&w, stringify!($chapter)).await;
                }
            )+
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $chapter() {
                    let Some(w) = crate::World::postgres().await else {
                        return;
                    };
                    crate::tell_through(&w, stringify!($chapter)).await;
                }
            )+
        }
    };
}

chapters! {
    organisation::the_county_is_organised_and_roles_are_read_as_they_stand,
    campaign::a_campaign_is_set_up_with_its_task_forces,
    items::a_command_sent_to_another_stream_is_refused,
    items::an_item_closes_on_time_after_an_extension_and_a_send_back,
    items::an_overdue_item_is_exempted_as_force_majeure,
    complaints::complaints_are_answered_in_time_and_late,
    complaints::a_sealed_identity_opens_until_it_is_erased,
    cases::a_case_closes_only_once_its_repair_item_has_closed,
    publications::the_march_bulletin_is_published_once_and_corrected,
    accountability::a_second_admonishment_proposes_accountability_of_the_unit_head,
    alerts::a_data_alert_is_escalated_to_a_clue,
    care_home::a_care_home_loses_its_licence_and_is_blacklisted,
    codes::item_codes_are_allocated_by_the_server,
    log::the_log_is_dense_chained_and_never_names_the_complainant,
    register::the_item_register_agrees_with_every_item,
    figures::bulletins_recomputed_from_the_read_models_equal_the_published_ones,
    figures::the_may_bulletin_is_published_from_the_live_read_models,
    boards::the_complaints_board_shows_deadlines_and_never_the_complainant,
    boards::the_case_board_shows_both_investigations_and_the_repair_item,
    boards::the_alert_board_shows_each_triage_and_the_missed_one,
    boards::the_accountability_register_shows_each_case_and_its_decision,
    todo::each_person_sees_their_to_do_list,
    policies::the_policies_admonish_and_propose_once_each,
    assessment::the_second_quarter_is_assessed_from_the_read_models,
    policies_cases::the_repair_items_policy_acts_once_on_each_fact,
    policies_escalations::the_escalations_policy_opens_each_named_clue_and_item_once,
    serving::serve_runs_every_policy_on_what_happens_next,
    schedule_preview::the_preview_reads_the_campaign_and_the_county_calendar,
    schedules::three_processes_fire_one_occurrence_once,
}
