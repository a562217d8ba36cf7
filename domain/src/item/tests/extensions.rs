//! Extensions (延期): request, approval, denial.

use super::fixtures::*;
use crate::item::*;
use crate::permission::Party;
use crate::settings::CampaignSettings;
use crate::values::Deadline;

fn request_extension(to: Deadline) -> ItemCommand {
    ItemCommand::RequestExtension {
        reason: text("涉案人员外出，需延期核查"),
        new_deadline: to,
    }
}

#[test]
fn the_unit_requests_an_extension_before_the_deadline() {
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 20, 9, 0),
            zhang(),
            request_extension(deadline(2026, 4, 15)),
        ))
        .then_expect_events(vec![extension_requested()]);
}

#[test]
fn an_extension_request_after_the_deadline_is_refused() {
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 4, 1, 0, 0),
            zhang(),
            request_extension(deadline(2026, 4, 15)),
        ))
        .then_expect_error(ItemError::DeadlinePassed {
            deadline: deadline(2026, 3, 31),
            passed_at: local(2026, 4, 1, 0, 0),
        });
}

#[test]
fn an_extension_needs_a_later_date() {
    for to in [deadline(2026, 3, 31), deadline(2026, 3, 30)] {
        framework()
            .given(in_progress())
            .when(cmd(
                local(2026, 3, 20, 9, 0),
                zhang(),
                request_extension(to),
            ))
            .then_expect_error(ItemError::ExtensionNotLater {
                requested: to,
                in_force: deadline(2026, 3, 31),
            });
    }
}

#[test]
fn an_extension_request_is_refused_at_the_limit() {
    let settings = CampaignSettings {
        max_extensions: 1,
        ..CampaignSettings::default()
    };
    let mut history = in_progress();
    history.extend([extension_requested(), extension_approved()]);
    framework_with(settings)
        .given(history)
        .when(cmd(
            local(2026, 4, 1, 9, 0),
            zhang(),
            request_extension(deadline(2026, 4, 30)),
        ))
        .then_expect_error(ItemError::ExtensionLimitReached { limit: 1 });
}

#[test]
fn one_extension_request_at_a_time_from_the_unit_while_in_progress() {
    framework()
        .given(extension_pending())
        .when(cmd(
            local(2026, 3, 20, 10, 0),
            zhang(),
            request_extension(deadline(2026, 4, 20)),
        ))
        .then_expect_error(ItemError::ExtensionPending);
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 20, 9, 0),
            sec(),
            request_extension(deadline(2026, 4, 15)),
        ))
        .then_expect_error(ItemError::Forbidden {
            actor: sec(),
            request: ItemRequest::RequestExtension,
            needs: Party::MemberOf {
                unit: responsible_unit(),
            },
        });
    framework()
        .given(pending())
        .when(cmd(
            local(2026, 3, 21, 9, 0),
            zhang(),
            request_extension(deadline(2026, 4, 15)),
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::PendingSignOff,
            request: ItemRequest::RequestExtension,
        });
}

#[test]
fn approval_sets_a_new_deadline_in_force_and_keeps_the_original() {
    let mut history = extension_pending();
    framework()
        .given(history.clone())
        .when(cmd(
            local(2026, 3, 21, 9, 0),
            sec(),
            ItemCommand::ApproveExtension { note: None },
        ))
        .then_expect_events(vec![extension_approved()]);
    history.push(extension_approved());
    let item = fold(&history);
    assert_eq!(item.deadline_in_force(), Some(deadline(2026, 4, 15)));
    assert_eq!(item.original_deadline(), Some(deadline(2026, 3, 31)));
    assert_eq!(item.deadlines().len(), 2);
    assert_eq!(item.extensions_approved(), 1);
    assert!(item.pending_extension().is_none());
}

#[test]
fn approval_is_refused_without_a_request_to_the_unit_itself_and_at_the_limit() {
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 21, 9, 0),
            sec(),
            ItemCommand::ApproveExtension { note: None },
        ))
        .then_expect_error(ItemError::NoExtensionPending);
    let history = extension_pending();
    framework()
        .given(history.clone())
        .when(cmd(
            local(2026, 3, 21, 9, 0),
            li(),
            ItemCommand::ApproveExtension { note: None },
        ))
        .then_expect_error(ItemError::SegregationOfDuties {
            actor: li(),
            request: ItemRequest::ApproveExtension,
        });
    // The limit was lowered after the request: the settings in force decide.
    framework_with(CampaignSettings {
        max_extensions: 0,
        ..CampaignSettings::default()
    })
    .given(history)
    .when(cmd(
        local(2026, 3, 21, 9, 0),
        sec(),
        ItemCommand::ApproveExtension { note: None },
    ))
    .then_expect_error(ItemError::ExtensionLimitReached { limit: 0 });
}

#[test]
fn approval_after_the_old_deadline_passed_records_its_overdue_fact_first() {
    let mut history = extension_pending();
    let at = local(2026, 4, 2, 9, 0);
    let fact = ItemEvent::ItemBecameOverdue {
        deadline: deadline(2026, 3, 31),
        effective_at: local(2026, 4, 1, 0, 0),
        by: sec(),
        at,
    };
    let mut approved = extension_approved();
    if let ItemEvent::ExtensionApproved {
        at: approved_at, ..
    } = &mut approved
    {
        *approved_at = at;
    }
    framework()
        .given(history.clone())
        .when(cmd(at, sec(), ItemCommand::ApproveExtension { note: None }))
        .then_expect_events(vec![fact.clone(), approved.clone()]);
    let mut after = history.clone();
    after.extend([fact, approved.clone()]);
    let item = fold(&after);
    assert_eq!(item.overdue_count(), 1);
    assert_eq!(
        item.deadlines()
            .iter()
            .map(|d| d.overdue_recorded)
            .collect::<Vec<_>>(),
        vec![true, false]
    );
    assert!(!item.is_overdue());
    // The new deadline becomes overdue in its turn, once.
    let later = local(2026, 4, 16, 0, 0);
    framework()
        .given(after)
        .when(cmd(later, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_events(vec![ItemEvent::ItemBecameOverdue {
            deadline: deadline(2026, 4, 15),
            effective_at: local(2026, 4, 16, 0, 0),
            by: scheduler(),
            at: later,
        }]);
    // Already recorded by the scheduler: the approval adds nothing.
    history.push(overdue());
    framework()
        .given(history)
        .when(cmd(at, sec(), ItemCommand::ApproveExtension { note: None }))
        .then_expect_events(vec![approved]);
}

#[test]
fn approval_refuses_a_requested_date_that_has_passed_meanwhile() {
    framework()
        .given(extension_pending())
        .when(cmd(
            local(2026, 4, 16, 0, 0),
            sec(),
            ItemCommand::ApproveExtension { note: None },
        ))
        .then_expect_error(ItemError::DeadlinePassed {
            deadline: deadline(2026, 4, 15),
            passed_at: local(2026, 4, 16, 0, 0),
        });
}

#[test]
fn the_secretariat_denies_an_extension() {
    let history = extension_pending();
    let at = local(2026, 3, 21, 9, 0);
    framework()
        .given(history.clone())
        .when(cmd(
            at,
            sec(),
            ItemCommand::DenyExtension {
                reason: text("理由不充分"),
            },
        ))
        .then_expect_events(vec![ItemEvent::ExtensionDenied {
            requested_deadline: deadline(2026, 4, 15),
            reason: text("理由不充分"),
            by: sec(),
            at,
        }]);
    // Segregation of duties: the unit does not deny its own request.
    for actor in [zhang(), li()] {
        framework()
            .given(history.clone())
            .when(cmd(
                at,
                actor.clone(),
                ItemCommand::DenyExtension {
                    reason: text("理由不充分"),
                },
            ))
            .then_expect_error(refused_decision(actor, ItemRequest::DenyExtension));
    }
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::DenyExtension {
                reason: text("理由不充分"),
            },
        ))
        .then_expect_error(ItemError::NoExtensionPending);
    framework()
        .given(vec![registered()])
        .when(cmd(
            at,
            sec(),
            ItemCommand::DenyExtension {
                reason: text("理由不充分"),
            },
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Registered,
            request: ItemRequest::DenyExtension,
        });
}
