//! 结转 — an open item carried over to a later campaign keeps its code, its history and the
//! deadline in force; its campaign (and the scope of its events) is the new one from then on.

use std::sync::Arc;

use super::fixtures::*;
use crate::event::Scoped;
use crate::item::*;
use crate::services::SettingsSource;
use crate::settings::CampaignSettings;
use crate::testing::services;
use crate::values::{CampaignId, TaskForceId};

fn next_campaign() -> CampaignId {
    CampaignId::parse("qunfu-2027").expect("valid")
}

fn yibao() -> TaskForceId {
    TaskForceId::parse("yibao").expect("valid")
}

fn carry_over() -> ItemCommand {
    ItemCommand::CarryOver {
        to: next_campaign(),
        task_force: None,
        reason: text("2026 年度整治收官，未销号问题转入 2027 年度"),
    }
}

fn carried_over(at: chrono::DateTime<chrono::Utc>) -> ItemEvent {
    ItemEvent::ItemCarriedOver {
        from: campaign(),
        to: next_campaign(),
        task_force: yibao(),
        reason: text("2026 年度整治收官，未销号问题转入 2027 年度"),
        by: sec(),
        at,
    }
}

#[test]
fn an_open_item_moves_to_the_later_campaign_keeping_its_code_history_and_deadline() {
    let at = local(2026, 3, 20, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), carry_over()))
        .then_expect_events(vec![carried_over(at)]);
    let before = fold(&in_progress());
    let mut history = in_progress();
    history.push(carried_over(at));
    let item = fold(&history);
    assert_eq!(item.campaign(), Some(&next_campaign()));
    assert_eq!(item.scope().campaign, Some(next_campaign()));
    assert_eq!(item.code(), before.code());
    assert_eq!(item.state(), ItemState::InProgress);
    assert_eq!(item.deadlines(), before.deadlines());
    assert_eq!(item.acknowledged_at(), before.acknowledged_at());
    let carry_overs = item.carry_overs();
    assert_eq!(carry_overs.len(), 1);
    assert_eq!(
        (&carry_overs[0].from, &carry_overs[0].from_task_force),
        (&campaign(), &yibao())
    );
    // The item goes on in its new campaign.
    framework()
        .given(history)
        .when(cmd(local(2026, 3, 21, 9, 0), zhang(), progress_body()))
        .then_expect_events(vec![ItemEvent::ProgressReported {
            text: text("已核查病历 80 份"),
            percent: crate::values::Percent::parse(40).expect("valid"),
            evidence: vec![evidence()],
            by: zhang(),
            at: local(2026, 3, 21, 9, 0),
        }]);
}

#[test]
fn only_open_items_are_carried_over() {
    let at = local(2026, 6, 1, 9, 0);
    let mut withdrawn = in_progress();
    withdrawn.push(ItemEvent::ItemWithdrawn {
        ground: WithdrawalGround::Unfounded,
        reason: text("经核查不属实"),
        by: sec(),
        at: local(2026, 3, 10, 9, 0),
    });
    for (history, state) in [
        (closed(), ItemState::Closed),
        (withdrawn, ItemState::Withdrawn),
    ] {
        framework()
            .given(history)
            .when(cmd(at, sec(), carry_over()))
            .then_expect_error(ItemError::InvalidTransition {
                state,
                request: ItemRequest::CarryOver,
            });
    }
    framework()
        .given_no_previous_events()
        .when(cmd(at, sec(), carry_over()))
        .then_expect_error(ItemError::NotFound {
            request: ItemRequest::CarryOver,
        });
}

#[test]
fn the_target_is_another_campaign_never_one_the_item_left() {
    let at = local(2026, 3, 20, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::CarryOver {
                to: campaign(),
                task_force: None,
                reason: text("转入"),
            },
        ))
        .then_expect_error(ItemError::SameCampaign(campaign()));
    let mut history = in_progress();
    history.push(carried_over(at));
    framework()
        .given(history)
        .when(cmd(
            local(2026, 3, 21, 9, 0),
            sec(),
            ItemCommand::CarryOver {
                to: campaign(),
                task_force: None,
                reason: text("转回"),
            },
        ))
        .then_expect_error(ItemError::NotALaterCampaign(campaign()));
}

/// Knows the item's own campaign only.
struct OnlyTheItemsCampaign;

impl SettingsSource for OnlyTheItemsCampaign {
    fn campaign(&self, id: &CampaignId) -> Option<Arc<crate::campaign::Campaign>> {
        (id == &campaign()).then(|| {
            Arc::new(crate::testing::campaigns::test_campaign(
                id,
                CampaignSettings::default(),
            ))
        })
    }

    fn in_force<'a>(&'a self, _campaigns: &'a [CampaignId]) -> crate::services::SettingsFuture<'a> {
        let view: Arc<dyn SettingsSource> = Arc::new(OnlyTheItemsCampaign);
        Box::pin(async move { Ok(view) })
    }
}

#[test]
fn an_unknown_target_campaign_is_refused() {
    let services = crate::services::DomainServices {
        settings: Arc::new(OnlyTheItemsCampaign),
        ..services(directory()).0
    };
    cqrs_es::test::TestFramework::<Item>::with(services)
        .given(in_progress())
        .when(cmd(local(2026, 3, 20, 9, 0), sec(), carry_over()))
        .then_expect_error(ItemError::UnknownCampaign(next_campaign()));
}

#[test]
fn a_deadline_that_passed_in_the_old_campaign_is_recorded_before_the_item_moves_on() {
    let at = local(2026, 4, 2, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), carry_over()))
        .then_expect_events(vec![
            ItemEvent::ItemBecameOverdue {
                deadline: deadline(2026, 3, 31),
                effective_at: deadline_passes(),
                by: sec(),
                at,
            },
            carried_over(at),
        ]);
}
