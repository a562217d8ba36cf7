//! Roles (DOMAIN.md, "Roles and permissions"): each request comes from the party it names,
//! checked against the organisation as the directory serves it.

use std::sync::Arc;

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::item::*;
use crate::organisation::Role;
use crate::permission::Party;
use crate::services::DomainServices;
use crate::values::{PersonId, TaskForceId};

fn framework_with_directory(directory: crate::directory::StaticDirectory) -> TestFramework<Item> {
    TestFramework::with(DomainServices {
        directory: Arc::new(directory),
        ..crate::testing::default_services()
    })
}

#[test]
fn only_the_secretariat_of_the_items_task_force_registers_it() {
    let at = local(2026, 3, 2, 9, 0);
    let other = person("sec-zhao");
    let directory = directory().with_role(
        other.clone(),
        Role::Secretariat {
            task_force: TaskForceId::parse("xiaoyuan").expect("valid"),
        },
    );
    framework_with_directory(directory)
        .given_no_previous_events()
        .when(cmd(
            at,
            other.clone(),
            ItemCommand::Register(register_body()),
        ))
        .then_expect_error(ItemError::Forbidden {
            actor: other,
            request: ItemRequest::Register,
            needs: Party::Policy.or(Party::secretariat(&yibao())),
        });
    framework()
        .given_no_previous_events()
        .when(cmd(at, sec(), ItemCommand::Register(register_body())))
        .then_expect_events(vec![registered()]);
}

#[test]
fn deadline_facts_come_only_from_a_schedule() {
    let at = local(2026, 4, 1, 0, 5);
    for actor in [sec(), zhang(), person("policy:overdue")] {
        framework()
            .given(in_progress())
            .when(cmd(at, actor.clone(), ItemCommand::RecordOverdue))
            .then_expect_error(ItemError::Forbidden {
                actor,
                request: ItemRequest::RecordOverdue,
                needs: Party::Schedule,
            });
    }
}

#[test]
fn the_head_of_the_unit_may_request_sign_off_and_a_plain_member_may_not() {
    let at = local(2026, 3, 20, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, li(), ItemCommand::RequestSignOff(sign_off_body())))
        .then_expect_error(ItemError::Forbidden {
            actor: li(),
            request: ItemRequest::RequestSignOff,
            needs: Party::SignatoryOf {
                unit: responsible_unit(),
                person: zhang(),
            },
        });
    let head = person("director-chen");
    let directory = directory().with_head(responsible_unit(), head.clone());
    let requested = {
        let mut events = Vec::new();
        framework_with_directory(directory.clone())
            .given(in_progress())
            .when(cmd(
                at,
                head.clone(),
                ItemCommand::RequestSignOff(sign_off_body()),
            ))
            .inspect_result()
            .map(|e| events = e)
            .expect("the head may request sign-off");
        events
    };
    assert!(matches!(
        requested.as_slice(),
        [ItemEvent::SignOffRequested { by, .. }] if *by == head
    ));
}

#[test]
fn a_person_who_left_the_unit_no_longer_acts_for_it() {
    let at = local(2026, 3, 3, 9, 0);
    // li-si has moved to the other unit: the directory no longer has them in the bureau.
    let moved = crate::directory::StaticDirectory::default()
        .with_member(responsible_unit(), zhang())
        .with_member(other_unit(), li());
    framework_with_directory(moved)
        .given(vec![registered(), assigned()])
        .when(cmd(at, li(), ItemCommand::Acknowledge))
        .then_expect_error(ItemError::Forbidden {
            actor: li(),
            request: ItemRequest::Acknowledge,
            needs: Party::MemberOf {
                unit: responsible_unit(),
            },
        });
}

#[test]
fn an_instruction_names_a_member_of_the_leadership_group() {
    let at = local(2026, 3, 12, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::RecordInstruction {
                text: text("加快整改"),
                by: zhang(),
            },
        ))
        .then_expect_error(ItemError::NotLeadership(zhang()));
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            zhang(),
            ItemCommand::RecordInstruction {
                text: text("加快整改"),
                by: leader(),
            },
        ))
        .then_expect_error(ItemError::Forbidden {
            actor: zhang(),
            request: ItemRequest::RecordInstruction,
            needs: Party::Leadership.or(Party::secretariat(&yibao())),
        });
}

#[test]
fn a_secretariat_officer_of_the_unit_records_no_outcome_for_it_nor_carries_it_over() {
    // li-si holds the secretariat role but belongs to the responsible bureau: the funds it
    // recovered and the campaign it answers in are not theirs to record.
    let at = local(2026, 3, 20, 9, 0);
    let outcome = ItemCommand::RecordOutcome {
        indicators: crate::values::OutcomeIndicators::new(
            crate::values::Yuan::parse("100").expect("an amount"),
            0,
            crate::values::Yuan::ZERO,
        )
        .expect("valid indicators"),
        evidence: vec![evidence()],
    };
    for (body, request) in [
        (outcome, ItemRequest::RecordOutcome),
        (
            ItemCommand::Urge {
                unit: responsible_unit(),
                text: text("加快整改"),
            },
            ItemRequest::Urge,
        ),
    ] {
        framework()
            .given(in_progress())
            .when(cmd(at, li(), body))
            .then_expect_error(ItemError::SegregationOfDuties {
                actor: li(),
                request,
            });
    }
}

/// `event` as `actor` sent it: the registration's or assignment's `by` replaced.
fn sent_by(mut event: ItemEvent, actor: &PersonId) -> ItemEvent {
    if let ItemEvent::ItemRegistered { by, .. } | ItemEvent::ItemAssigned { by, .. } = &mut event {
        *by = actor.clone();
    }
    event
}

/// The policies that follow cases, complaints and alerts register the item they name and assign
/// a case's repair item (DOMAIN.md, "Roles and permissions": a policy issues exactly the
/// commands its rule names); a policy takes no other decision on an item.
#[test]
fn a_policy_registers_and_assigns_but_decides_nothing_else() {
    let policy = person("policy:repair-items");
    framework()
        .given_no_previous_events()
        .when(cmd(
            local(2026, 3, 2, 9, 0),
            policy.clone(),
            ItemCommand::Register(register_body()),
        ))
        .then_expect_events(vec![sent_by(registered(), &policy)]);
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            policy.clone(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_events(vec![sent_by(assigned(), &policy)]);
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            local(2026, 3, 3, 9, 0),
            policy.clone(),
            ItemCommand::Withdraw {
                ground: WithdrawalGround::Unfounded,
                reason: text("不属实"),
            },
        ))
        .then_expect_error(ItemError::Forbidden {
            actor: policy.clone(),
            request: ItemRequest::Withdraw,
            needs: Party::secretariat(&yibao()),
        });
    let schedule = person("schedule:weekly");
    framework()
        .given_no_previous_events()
        .when(cmd(
            local(2026, 3, 2, 9, 0),
            schedule.clone(),
            ItemCommand::Register(register_body()),
        ))
        .then_expect_error(ItemError::Forbidden {
            actor: schedule,
            request: ItemRequest::Register,
            needs: Party::Policy.or(Party::secretariat(&yibao())),
        });
}

/// A person who is both the secretariat of the item's task force and a member of its
/// responsible unit (li, in the fixtures' directory) acts in one role at a time (DOMAIN.md: a
/// token "acts for one person and one of that person's roles").
mod acting_in_one_role {
    use super::*;
    use crate::directory::NarrowedDirectory;
    use crate::organisation::Acting;

    fn acting(person: PersonId, acting: Acting) -> TestFramework<Item> {
        TestFramework::with(DomainServices {
            directory: Arc::new(NarrowedDirectory::new(
                directory().as_organisation(),
                person,
                acting,
            )),
            ..crate::testing::default_services()
        })
    }

    fn secretariat_of(task_force: TaskForceId) -> Acting {
        Acting::Secretariat {
            task_forces: [task_force].into(),
        }
    }

    fn awaiting_sign_off() -> Vec<ItemEvent> {
        let mut events = in_progress();
        events.push(sign_off_requested(local(2026, 3, 20, 9, 0)));
        events
    }

    #[test]
    fn a_unit_token_acknowledges_but_does_not_verify() {
        let at = local(2026, 3, 2, 9, 0);
        acting(
            li(),
            Acting::Unit {
                unit: responsible_unit(),
            },
        )
        .given(vec![registered(), assigned()])
        .when(cmd(at, li(), ItemCommand::Acknowledge))
        .then_expect_events(vec![ItemEvent::ItemAcknowledged {
            late: false,
            by: li(),
            at,
        }]);
        let at = local(2026, 3, 21, 9, 0);
        acting(
            sec(),
            Acting::Unit {
                unit: responsible_unit(),
            },
        )
        .given(awaiting_sign_off())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_error(ItemError::Forbidden {
            actor: sec(),
            request: ItemRequest::VerifySignOff,
            needs: Party::secretariat(&yibao()),
        });
    }

    #[test]
    fn a_secretariat_token_does_not_acknowledge_for_its_holders_unit() {
        let at = local(2026, 3, 2, 9, 0);
        acting(li(), secretariat_of(yibao()))
            .given(vec![registered(), assigned()])
            .when(cmd(at, li(), ItemCommand::Acknowledge))
            .then_expect_error(ItemError::Forbidden {
                actor: li(),
                request: ItemRequest::Acknowledge,
                needs: Party::MemberOf {
                    unit: responsible_unit(),
                },
            });
    }

    #[test]
    fn a_secretariat_token_of_another_task_force_is_no_secretariat_here() {
        let at = local(2026, 3, 21, 9, 0);
        let other = TaskForceId::parse("xiaoyuan").expect("valid");
        acting(sec(), secretariat_of(other))
            .given(awaiting_sign_off())
            .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
            .then_expect_error(ItemError::Forbidden {
                actor: sec(),
                request: ItemRequest::VerifySignOff,
                needs: Party::secretariat(&yibao()),
            });
        // The same person with the secretariat of the item's task force verifies.
        let verified = acting(sec(), secretariat_of(yibao()))
            .given(awaiting_sign_off())
            .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
            .inspect_result();
        assert!(verified.is_ok(), "{verified:?}");
    }
}
