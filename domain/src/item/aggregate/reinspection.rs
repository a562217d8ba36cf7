//! Re-inspection (回头看) of a closed item, and withdrawal (撤销) of an open one.

use super::decide::{acknowledgement_due, deadline_instants, Context, DeadlineInstants, OPEN};
use super::Item;
use crate::item::commands::{ReinspectionOutcome, WithdrawalGround};
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::settings_used::DeadlineSettings;
use crate::item::state::ItemState;
use crate::values::Text;

impl Item {
    pub(super) fn record_reinspection(
        &self,
        outcome: ReinspectionOutcome,
        cx: Context<'_>,
        facts: &mut Vec<ItemEvent>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request,
            by,
            at,
            services,
            ..
        } = cx;
        self.require(request, &[ItemState::Closed])?;
        // Refused below if the new deadline already passed; the facts go with it.
        facts.extend(self.overdue_catch_up(&by, at));
        Ok(match outcome {
            ReinspectionOutcome::Passed { findings } => {
                ItemEvent::ReinspectionPassed { findings, by, at }
            }
            ReinspectionOutcome::Relapsed {
                findings,
                new_deadline,
            } => {
                let settings = self.settings(services)?;
                let tz = self.time_zone();
                let calendar = services.calendar.as_ref();
                let DeadlineInstants {
                    passes_at,
                    warning_at,
                    calendar_unknown,
                } = deadline_instants(
                    calendar,
                    tz,
                    new_deadline,
                    settings.warning_working_days,
                    at,
                );
                if at >= passes_at {
                    return Err(ItemError::DeadlinePassed {
                        deadline: new_deadline,
                        passed_at: passes_at,
                    });
                }
                let acknowledgement =
                    acknowledgement_due(calendar, tz, at, settings.acknowledgement_working_days);
                ItemEvent::ItemReopened {
                    findings,
                    new_deadline,
                    acknowledgement_due_at: acknowledgement.value,
                    deadline_passes_at: passes_at,
                    warning_at,
                    calendar_unknown: calendar_unknown || acknowledgement.calendar_unknown,
                    relapses: self.relapses + 1,
                    settings: DeadlineSettings::of(&settings),
                    by,
                    at,
                }
            }
        })
    }

    pub(super) fn withdraw(
        &self,
        ground: WithdrawalGround,
        reason: Text,
        cx: Context<'_>,
        facts: &mut Vec<ItemEvent>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, OPEN)?;
        facts.extend(self.overdue_catch_up(&by, at));
        Ok(ItemEvent::ItemWithdrawn {
            ground,
            reason,
            by,
            at,
        })
    }
}
