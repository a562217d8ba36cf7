//! Each event records the setting values its decision used (DOMAIN.md: "Settings are read as in
//! force at the instant of each decision, and the event records the values it used"). Every
//! test decides under settings other than the defaults the history was recorded with, so an
//! event that copied an earlier event's values, or recorded none, fails.

use chrono::Duration;

use super::fixtures::*;
use crate::item::*;
use crate::settings::CampaignSettings;

fn settings(change: impl FnOnce(&mut CampaignSettings)) -> CampaignSettings {
    let mut settings = CampaignSettings::default();
    change(&mut settings);
    settings
}

/// Given an assignment under the defaults (签收 in 2 working days), when the campaign changes
/// to 5 and the item is reassigned, then the reassignment counts and records 5 while the
/// assignment keeps its 2.
#[test]
fn a_reassignment_records_the_acknowledgement_window_in_force_not_the_assignments() {
    let at = local(2026, 3, 10, 9, 0);
    let given = in_progress();
    assert!(matches!(
        &given[1],
        ItemEvent::ItemAssigned { settings, .. } if *settings == default_deadline_settings()
    ));
    framework_with(settings(|s| s.acknowledgement_working_days = 5))
        .given(given)
        .when(cmd(
            at,
            sec(),
            ItemCommand::Reassign {
                responsible_unit: other_unit(),
                responsible_person: wu(),
                reason: text("改派"),
            },
        ))
        .then_expect_events(vec![ItemEvent::ItemReassigned {
            from_unit: responsible_unit(),
            from_person: zhang(),
            responsible_unit: other_unit(),
            responsible_person: wu(),
            reason: text("改派"),
            // Tuesday 03-10 + 5 working days = Tuesday 03-17, due 24:00.
            acknowledgement_due_at: local(2026, 3, 18, 0, 0),
            acknowledgement_working_days: 5,
            calendar_unknown: false,
            sign_off_cancelled: false,
            by: sec(),
            at,
        }]);
}

/// Given a registered item, when it is assigned under 签收 in 4 working days and a warning 1
/// working day ahead, then the assignment records both and its instants follow from them.
#[test]
fn an_assignment_records_its_deadline_settings() {
    let assigned = match assigned() {
        ItemEvent::ItemAssigned {
            responsible_unit,
            responsible_person,
            supervising_unit,
            deadline,
            measures,
            milestones,
            deadline_passes_at,
            by,
            at,
            ..
        } => ItemEvent::ItemAssigned {
            responsible_unit,
            responsible_person,
            supervising_unit,
            deadline,
            measures,
            milestones,
            // Monday 03-02 + 4 working days = Friday 03-06, due 24:00.
            acknowledgement_due_at: local(2026, 3, 7, 0, 0),
            deadline_passes_at,
            // One working day before Tuesday 03-31: Monday 03-30.
            warning_at: local(2026, 3, 30, 0, 0),
            calendar_unknown: false,
            settings: DeadlineSettings {
                acknowledgement_working_days: 4,
                warning_working_days: 1,
            },
            by,
            at,
        },
        other => panic!("expected an assignment, got {other:?}"),
    };
    framework_with(settings(|s| {
        s.acknowledgement_working_days = 4;
        s.warning_working_days = 1;
    }))
    .given(vec![registered()])
    .when(cmd(
        local(2026, 3, 2, 10, 0),
        sec(),
        ItemCommand::Assign(assign_body()),
    ))
    .then_expect_events(vec![assigned]);
}

/// Given an item assigned under the defaults, when a relapse reopens it under 签收 in 1
/// working day and a warning 5 ahead, then the reopening records those.
#[test]
fn a_reopening_records_the_deadline_settings_in_force_at_the_relapse() {
    framework_with(settings(|s| {
        s.acknowledgement_working_days = 1;
        s.warning_working_days = 5;
    }))
    .given(closed())
    .when(cmd(
        local(2026, 6, 25, 10, 0),
        sec(),
        ItemCommand::RecordReinspection(ReinspectionOutcome::Relapsed {
            findings: text("回头看发现问题反弹"),
            new_deadline: deadline(2026, 7, 31),
        }),
    ))
    .then_expect_events(vec![ItemEvent::ItemReopened {
        findings: text("回头看发现问题反弹"),
        new_deadline: deadline(2026, 7, 31),
        // Thursday 06-25 + 1 working day = Friday 06-26, due 24:00.
        acknowledgement_due_at: local(2026, 6, 27, 0, 0),
        deadline_passes_at: local(2026, 8, 1, 0, 0),
        // Five working days before Friday 07-31: Thu 30, Wed 29, Tue 28, Mon 27, Fri 24.
        warning_at: local(2026, 7, 24, 0, 0),
        calendar_unknown: false,
        relapses: 1,
        settings: DeadlineSettings {
            acknowledgement_working_days: 1,
            warning_working_days: 5,
        },
        by: sec(),
        at: local(2026, 6, 25, 10, 0),
    }]);
}

/// The request records the limit it was checked against; the approval, decided after the
/// limit changed, records the new limit and the warning window of the new deadline.
#[test]
fn extension_request_and_approval_each_record_the_limit_they_were_checked_against() {
    let requested = ItemEvent::ExtensionRequested {
        reason: text("涉案人员外出，需延期核查"),
        current_deadline: deadline(2026, 3, 31),
        requested_deadline: deadline(2026, 4, 15),
        max_extensions: 3,
        by: zhang(),
        at: local(2026, 3, 20, 9, 0),
    };
    framework_with(settings(|s| s.max_extensions = 3))
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 20, 9, 0),
            zhang(),
            ItemCommand::RequestExtension {
                reason: text("涉案人员外出，需延期核查"),
                new_deadline: deadline(2026, 4, 15),
            },
        ))
        .then_expect_events(vec![requested.clone()]);
    let mut history = in_progress();
    history.push(requested);
    let at = local(2026, 3, 21, 9, 0);
    framework_with(settings(|s| {
        s.max_extensions = 1;
        s.warning_working_days = 1;
    }))
    .given(history)
    .when(cmd(at, sec(), ItemCommand::ApproveExtension { note: None }))
    .then_expect_events(vec![ItemEvent::ExtensionApproved {
        previous_deadline: deadline(2026, 3, 31),
        new_deadline: deadline(2026, 4, 15),
        deadline_passes_at: local(2026, 4, 16, 0, 0),
        // One working day before Wednesday 04-15: Tuesday 04-14.
        warning_at: local(2026, 4, 14, 0, 0),
        calendar_unknown: false,
        extensions_approved: 1,
        settings: ExtensionSettings {
            max_extensions: 1,
            warning_working_days: 1,
        },
        note: None,
        by: sec(),
        at,
    }]);
}

/// Verified under a 30-day re-inspection delay, the closure records 30 and is re-inspected
/// 30 days on.
#[test]
fn a_closure_records_the_reinspection_delay_it_used() {
    let at = local(2026, 3, 25, 10, 0);
    let expected = match closed_event(at, true, false) {
        ItemEvent::ItemClosed {
            deadline_in_force,
            original_deadline,
            on_time,
            after_original_deadline,
            sign_off_requested_at,
            note,
            outcome,
            by,
            at,
            ..
        } => ItemEvent::ItemClosed {
            deadline_in_force,
            original_deadline,
            on_time,
            after_original_deadline,
            sign_off_requested_at,
            reinspection_due_at: at + Duration::days(30),
            reinspection_days: 30,
            note,
            outcome,
            by,
            at,
        },
        other => panic!("expected a closure, got {other:?}"),
    };
    framework_with(settings(|s| s.reinspection_days = 30))
        .given(pending())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![expected]);
}

/// The recorded values are part of the event contract (docs/EVENTS.md): named as the settings
/// they come from.
#[test]
fn the_recorded_values_are_named_as_the_settings_on_the_wire() {
    let json = |event: ItemEvent| serde_json::to_value(event).expect("serialises");
    assert_eq!(
        json(assigned())["ItemAssigned"]["settings"],
        serde_json::json!({"acknowledgement_working_days": 2, "warning_working_days": 3})
    );
    assert_eq!(
        json(extension_approved())["ExtensionApproved"]["settings"],
        serde_json::json!({"max_extensions": 2, "warning_working_days": 3})
    );
    assert_eq!(
        json(extension_requested())["ExtensionRequested"]["max_extensions"],
        2
    );
    assert_eq!(
        json(closed_event(local(2026, 3, 25, 10, 0), true, false))["ItemClosed"]
            ["reinspection_days"],
        90
    );
}
