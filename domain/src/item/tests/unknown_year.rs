//! China's real calendar, and years it has not published: an instant counted over a day of an
//! unknown year falls back to Monday–Friday, and the event says so (`calendar_unknown`), as do
//! the facts that rest on it.

use chrono::{DateTime, Utc};
use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::calendar::ChinaCalendar;
use crate::item::*;
use crate::settings::CampaignSettings;
use crate::values::Deadline;

fn china() -> TestFramework<Item> {
    TestFramework::with(services_with(ChinaCalendar, CampaignSettings::default()))
}

fn assign(due: Deadline) -> ItemCommand {
    ItemCommand::Assign(AssignItem {
        deadline: due,
        milestones: vec![],
        ..assign_body()
    })
}

/// The assignment [`assign`] records at `at` with the given instants.
fn assigned_at(
    at: DateTime<Utc>,
    due: Deadline,
    (acknowledgement_due_at, warning_at): (DateTime<Utc>, DateTime<Utc>),
    calendar_unknown: bool,
) -> ItemEvent {
    let b = assign_body();
    ItemEvent::ItemAssigned {
        responsible_unit: b.responsible_unit,
        responsible_person: b.responsible_person,
        supervising_unit: b.supervising_unit,
        deadline: due,
        measures: b.measures,
        milestones: vec![],
        acknowledgement_due_at,
        deadline_passes_at: due.passes_at(TZ),
        warning_at,
        calendar_unknown,
        settings: default_deadline_settings(),
        by: sec(),
        at,
    }
}

/// Tuesday 2027-12-28 10:00 local: 2027 has no published arrangement.
fn late_2027() -> DateTime<Utc> {
    local(2027, 12, 28, 10, 0)
}

/// Assigned at [`late_2027`], due Monday 2028-01-31.
fn assigned_late_2027() -> ItemEvent {
    assigned_at(
        late_2027(),
        deadline(2028, 1, 31),
        // 签收: Wednesday 29, Thursday 30 → 24:00 on the 30th. Warning: three working days
        // before Monday 01-31 are Friday 28, Thursday 27, Wednesday 26 — all Monday–Friday
        // guesses.
        (local(2027, 12, 31, 0, 0), local(2028, 1, 26, 0, 0)),
        true,
    )
}

#[test]
fn an_item_assigned_at_the_end_of_2027_records_that_the_calendar_was_guessed() {
    china()
        .given(vec![registered()])
        .when(cmd(late_2027(), sec(), assign(deadline(2028, 1, 31))))
        .then_expect_events(vec![assigned_late_2027()]);
}

#[test]
fn an_item_assigned_in_2026_counts_on_the_published_days_and_records_no_guess() {
    // Friday 2026-02-13: the next working day is Saturday 02-14 (调休), then nine days off for
    // the Spring Festival, then Tuesday 02-24. The warning days before Tuesday 03-31 are
    // Monday 30, Friday 27, Thursday 26.
    let at = local(2026, 2, 13, 10, 0);
    china()
        .given(vec![registered()])
        .when(cmd(at, sec(), assign(deadline(2026, 3, 31))))
        .then_expect_events(vec![assigned_at(
            at,
            deadline(2026, 3, 31),
            (local(2026, 2, 25, 0, 0), local(2026, 3, 26, 0, 0)),
            false,
        )]);
}

#[test]
fn a_window_that_runs_into_an_unknown_year_is_flagged_though_it_starts_in_a_known_one() {
    // Wednesday 2026-12-30 + 2 working days: Thursday 31, then Friday 2027-01-01 — surely 元旦,
    // but unpublished, so counted as a working day and flagged.
    let at = local(2026, 12, 30, 10, 0);
    let events = china()
        .given(vec![registered()])
        .when(cmd(at, sec(), assign(deadline(2026, 12, 31))))
        .inspect_result()
        .expect("assignment accepted");
    assert!(matches!(
        &events[..],
        [ItemEvent::ItemAssigned { acknowledgement_due_at, calendar_unknown: true, .. }]
            if *acknowledgement_due_at == local(2027, 1, 2, 0, 0)
    ));
}

#[test]
fn the_facts_resting_on_a_guessed_instant_say_so() {
    let history = vec![registered(), assigned_late_2027()];
    let at = local(2027, 12, 31, 0, 1);
    china()
        .given(history.clone())
        .when(cmd(
            at,
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_events(vec![ItemEvent::AcknowledgementOverdueRecorded {
            effective_at: local(2027, 12, 31, 0, 0),
            calendar_unknown: true,
            by: scheduler(),
            at,
        }]);
    let at = local(2028, 1, 26, 9, 0);
    china()
        .given(history)
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_events(vec![ItemEvent::DeadlineWarningRecorded {
            deadline: deadline(2028, 1, 31),
            effective_at: local(2028, 1, 26, 0, 0),
            deadline_passes_at: local(2028, 2, 1, 0, 0),
            calendar_unknown: true,
            by: scheduler(),
            at,
        }]);
}

#[test]
fn an_extension_or_a_reopening_into_an_unknown_year_is_flagged() {
    let mut history = in_progress();
    history.push(ItemEvent::ExtensionRequested {
        reason: text("涉案人员外出，需延期核查"),
        current_deadline: deadline(2026, 3, 31),
        requested_deadline: deadline(2027, 1, 15),
        max_extensions: 2,
        by: zhang(),
        at: local(2026, 3, 20, 9, 0),
    });
    let events = china()
        .given(history)
        .when(cmd(
            local(2026, 3, 21, 9, 0),
            sec(),
            ItemCommand::ApproveExtension { note: None },
        ))
        .inspect_result()
        .expect("extension approved");
    assert!(matches!(
        &events[..],
        [ItemEvent::ExtensionApproved { calendar_unknown: true, warning_at, .. }]
            if *warning_at == local(2027, 1, 12, 0, 0)
    ));

    let relapse = |new_deadline| {
        ItemCommand::RecordReinspection(ReinspectionOutcome::Relapsed {
            findings: text("回头看发现问题反弹"),
            new_deadline,
        })
    };
    let reopened_with = |new_deadline| {
        china()
            .given(closed())
            .when(cmd(local(2026, 6, 25, 10, 0), sec(), relapse(new_deadline)))
            .inspect_result()
            .expect("reopened")
    };
    assert!(matches!(
        &reopened_with(deadline(2027, 2, 26))[..],
        [ItemEvent::ItemReopened {
            calendar_unknown: true,
            ..
        }]
    ));
    assert!(matches!(
        &reopened_with(deadline(2026, 7, 31))[..],
        [ItemEvent::ItemReopened {
            calendar_unknown: false,
            ..
        }]
    ));
}
