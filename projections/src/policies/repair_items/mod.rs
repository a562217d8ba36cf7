//! The repair-items policy (issue #10; DOMAIN.md, "Cases: … system repair"): a case spawns
//! repair items for its supervising department, and the case closes only when each is closed or
//! withdrawn; a repair item that relapses after closure reopens the case.
//!
//! - A case's `RepairItemSpawned` → the item is registered at the code the case names (source
//!   `case`, source reference the case id) and assigned to the unit the case names, its head
//!   as responsible person. Natural key: the item code.
//! - An item closed, reopened (回头看 relapse) or withdrawn, whose registration names a case as
//!   its source → `RecordRepairItemClosed` / `…Reopened` / `…Withdrawn` on that case; on a
//!   closed case the reopening reopens it (the case aggregate's rule). Natural key: the case
//!   id, and what the case already counts for that item (see [`rule::command`]).
//!
//! The case names only the unit and the title: the deadline, the severity and (see
//! [`registering`](super::registering)) the category are the policy's [`RepairTerms`].

pub mod rule;
#[cfg(test)]
mod tests;

use chrono::{Days, Utc};
use rectiflow_domain::case::{Case, CaseCommand};
use rectiflow_domain::item::{
    AssignItem, Item, ItemCommand, ItemEvent, ItemSource, ItemState, Severity,
};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::values::{Deadline, ItemCode, PersonId, Text, UnitId};
use rectiflow_engine::consumer::{Handler, HandlerError};
use rectiflow_engine::{EventStore, Executor, LoggedEvent};

use super::acting::{log_refusal, policy_actor, registration_of, send, stream_events, Acted};
use super::registering::{registration_in_force, ItemToRegister};
use rule::{Cause, Fate};

/// What the case leaves unsaid about a repair item, set by whoever runs the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepairTerms {
    /// The deadline: this many days after the local date the item was spawned on.
    pub deadline_days: u32,
    pub severity: Severity,
}

/// The consumer's name, under which its checkpoint is kept; also its actor id.
pub const NAME: &str = "policy:repair-items";

/// The policy as a consumer: it acts in `react` and writes nothing in `handle`.
pub struct RepairItems<S> {
    exec: Executor<S>,
    services: DomainServices,
    terms: RepairTerms,
    actor: PersonId,
}

impl<S: EventStore> RepairItems<S> {
    pub fn new(exec: Executor<S>, services: DomainServices, terms: RepairTerms) -> Self {
        Self {
            exec,
            services,
            terms,
            actor: policy_actor(NAME),
        }
    }

    async fn act(&self, logged: &LoggedEvent, cause: Cause) -> Result<(), HandlerError> {
        match cause {
            Cause::Spawned {
                case,
                code,
                unit,
                title,
                at,
            } => {
                if self.register(logged, &case, &code, &title).await? {
                    self.assign(logged, &case, &code, &unit, &title, at).await?;
                }
                Ok(())
            }
            Cause::Item { code, fate } => self.note(logged, &code, &fate).await,
        }
    }

    /// Registers the spawned item unless its code is taken; `true` when the item stands
    /// registered for this case (by this policy, now or before), so it may be assigned.
    async fn register(
        &self,
        logged: &LoggedEvent,
        case: &str,
        code: &ItemCode,
        title: &Text,
    ) -> Result<bool, HandlerError> {
        if let Some(first) = registration_of(&self.exec, code.as_str()).await? {
            return Ok(names_case(&first, case));
        }
        let (loaded, _) = self.exec.load::<Case>(case).await?;
        let Some(clue) = loaded.clue else {
            log_refusal(NAME, logged, code.as_str(), "register", "case.no_clue");
            return Ok(false);
        };
        let source_ref = Text::parse(case).ok();
        let item = ItemToRegister {
            campaign: clue.campaign.clone(),
            code: code.clone(),
            title: title.clone(),
            description: clue.summary.clone(),
            source: ItemSource::Case,
            source_ref,
            severity: self.terms.severity,
        };
        let body = match registration_in_force(&self.services, item).await? {
            Ok(body) => body,
            Err(why) => {
                log_refusal(NAME, logged, code.as_str(), "register", &why);
                return Ok(false);
            }
        };
        let acted = send::<S, Item, _>(
            &self.exec,
            &self.services,
            &self.actor,
            logged,
            code.as_str(),
            ItemCommand::Register(body),
        )
        .await?;
        if let Acted::Refused { code: refusal } = acted {
            // A twin may have registered it meanwhile: then it is done.
            if let Some(first) = registration_of(&self.exec, code.as_str()).await? {
                return Ok(names_case(&first, case));
            }
            log_refusal(NAME, logged, code.as_str(), "register", &refusal);
            return Ok(false);
        }
        Ok(true)
    }

    /// Assigns the registered item to `unit` and its head, unless it was assigned already.
    async fn assign(
        &self,
        logged: &LoggedEvent,
        case: &str,
        code: &ItemCode,
        unit: &UnitId,
        title: &Text,
        spawned_at: chrono::DateTime<Utc>,
    ) -> Result<(), HandlerError> {
        let (item, _) = self.exec.load::<Item>(code.as_str()).await?;
        if item.state() != ItemState::Registered {
            return Ok(());
        }
        let Some(registration) = item.registration() else {
            return Ok(());
        };
        let organisation = self
            .services
            .directory
            .organisation()
            .await
            .map_err(|e| HandlerError(e.to_string()))?;
        let Some(head) = organisation.head_of(unit).cloned() else {
            log_refusal(NAME, logged, code.as_str(), "assign", "unit.no_head");
            return Ok(());
        };
        let local = spawned_at
            .with_timezone(&registration.time_zone)
            .date_naive();
        let Some(date) = local.checked_add_days(Days::new(u64::from(self.terms.deadline_days)))
        else {
            log_refusal(
                NAME,
                logged,
                code.as_str(),
                "assign",
                "deadline.out_of_range",
            );
            return Ok(());
        };
        let body = ItemCommand::Assign(AssignItem {
            responsible_unit: unit.clone(),
            responsible_person: head,
            // The supervising department repairs its own supervision (一案双查): it is both
            // the unit that answers for the item and the one the case names as supervising.
            supervising_unit: unit.clone(),
            deadline: Deadline::new(date),
            measures: title.clone(),
            milestones: vec![],
        });
        let acted = send::<S, Item, _>(
            &self.exec,
            &self.services,
            &self.actor,
            logged,
            code.as_str(),
            body,
        )
        .await?;
        if let Acted::Refused { code: refusal } = acted {
            // A twin may have assigned it meanwhile: then it is done.
            let (item, _) = self.exec.load::<Item>(code.as_str()).await?;
            if item.state() == ItemState::Registered {
                log_refusal(NAME, logged, code.as_str(), "assign", &refusal);
            } else {
                tracing::debug!(
                    case,
                    item = code.as_str(),
                    "the repair item was assigned already"
                );
            }
        }
        Ok(())
    }

    /// Notes an item's fate on the case whose repair item it is, unless the case already says
    /// so.
    async fn note(
        &self,
        logged: &LoggedEvent,
        item: &str,
        fate: &Fate,
    ) -> Result<(), HandlerError> {
        let Some(first) = registration_of(&self.exec, item).await? else {
            return Ok(());
        };
        let ItemEvent::ItemRegistered {
            code,
            source: ItemSource::Case,
            source_ref: Some(case),
            ..
        } = first
        else {
            // Not a repair item registered for a case: another policy's, or nobody's.
            return Ok(());
        };
        let case = case.as_str();
        let relapses = match fate {
            Fate::Closed { version } => {
                let events = stream_events::<S, Item>(&self.exec, item, *version).await?;
                rule::relapses_before(&events, *version)
            }
            _ => 0,
        };
        let noted = self.noted(case, &code).await?;
        if !noted.spawned {
            log_refusal(
                NAME,
                logged,
                case,
                "record_repair_item",
                "case.unknown_repair_item",
            );
            return Ok(());
        }
        let Some(command) = rule::command(&code, fate, relapses, noted) else {
            return Ok(());
        };
        let name = command.name();
        let acted = send::<S, Case, CaseCommand>(
            &self.exec,
            &self.services,
            &self.actor,
            logged,
            case,
            command,
        )
        .await?;
        if let Acted::Refused { code: refusal } = acted {
            // A twin may have noted it meanwhile: then it is done.
            let noted = self.noted(case, &code).await?;
            if rule::command(&code, fate, relapses, noted).is_some() {
                log_refusal(NAME, logged, case, name, &refusal);
            }
        }
        Ok(())
    }

    async fn noted(&self, case: &str, code: &ItemCode) -> Result<rule::Noted, HandlerError> {
        let events = stream_events::<S, Case>(&self.exec, case, u64::MAX >> 1).await?;
        Ok(rule::noted(events.iter().map(|(_, e)| e), code))
    }
}

/// Whether an item's registration names `case` as its source.
fn names_case(first: &ItemEvent, case: &str) -> bool {
    matches!(
        first,
        ItemEvent::ItemRegistered {
            source: ItemSource::Case,
            source_ref: Some(source_ref),
            ..
        } if source_ref.as_str() == case
    )
}

impl<S: EventStore> Handler for RepairItems<S> {
    async fn react(&mut self, batch: &[LoggedEvent]) -> Result<(), HandlerError> {
        for logged in batch {
            if let Some(cause) = rule::cause(logged)? {
                self.act(logged, cause).await?;
            }
        }
        Ok(())
    }
}
