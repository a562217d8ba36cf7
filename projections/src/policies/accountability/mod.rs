//! 问责 on repeated admonishment — the policy that, at a unit's second admonishment within the
//! referral window (182 days by default) of an earlier one, proposes accountability of the
//! unit head and of the responsible persons of the overdue items in the later admonishment's
//! evidence (DOMAIN.md "Admonishment and accountability"): one case per person and occasion,
//! on the stream [`AccountabilityId::for_occasion`] derives from the person and the later
//! admonishment, and none for a person who already has a case open.
//!
//! Policy and manual admonishments both count; a withdrawn one counts for nothing. What it
//! judges on — every admonishment and every case — it keeps in tables of its own ([`memory`]),
//! written with its checkpoint: its memory, never rebuilt from zero.

mod memory;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use rectiflow_domain::accountability::{
    Accountability, AccountabilityCommand, AdmonishmentBasis, Ground, Proposal, Role,
};
use rectiflow_domain::item::Item;
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::values::{
    AccountabilityId, AdmonishmentId, CampaignId, ItemCode, PersonId, UnitId,
};
use rectiflow_engine::consumer::{ConsumerStore, Handler, HandlerError};
use rectiflow_engine::readmodel::sea_query::{Alias, Expr, Query};
use rectiflow_engine::readmodel::{ReadModelStore, ReadModels, Row, Statement};
use rectiflow_engine::{Executor, LoggedEvent};
use serde::Serialize;

use super::once::act;
use crate::campaigns::campaign_in_force;
use crate::table::TableSpec;

pub use memory::{Admonished, Case, Memory, Remembered, ADMONISHMENTS, CASES};

/// The consumer's name, under which its checkpoint (its memory) is kept.
pub const NAME: &str = "policy-repeated-admonishment";
/// The system actor its proposals are sent as.
pub const ACTOR: &str = "policy:repeated-admonishment";

/// The repeated-admonishment policy over one store.
pub struct AccountabilityPolicy<S> {
    exec: Executor<S>,
    services: DomainServices,
    actor: PersonId,
}

impl<S> AccountabilityPolicy<S> {
    pub fn new(exec: Executor<S>, services: DomainServices) -> Result<Self, HandlerError> {
        let actor = PersonId::parse(ACTOR).map_err(|e| HandlerError(e.to_string()))?;
        Ok(Self {
            exec,
            services,
            actor,
        })
    }
}

fn parse<T>(
    value: &str,
    parse: impl Fn(&str) -> Result<T, rectiflow_domain::values::ValueError>,
) -> Result<T, HandlerError> {
    parse(value).map_err(|e| HandlerError(format!("a remembered id {value:?}: {e}")))
}

impl<S> AccountabilityPolicy<S>
where
    S: ConsumerStore + ReadModelStore + Clone,
{
    async fn memory(&self) -> Result<Memory, HandlerError> {
        let store = self.exec.store();
        let admonishments: Vec<Admonished> = ADMONISHMENTS.read_all(store).await?;
        let cases: Vec<Case> = CASES.read_all(store).await?;
        Ok(Memory {
            admonishments: admonishments
                .into_iter()
                .map(|a| (a.admonishment.clone(), a))
                .collect(),
            cases: cases.into_iter().map(|c| (c.case.clone(), c)).collect(),
        })
    }

    /// The persons a repeated admonishment holds to account, each with their roles: the unit
    /// head now, and the responsible person of each of `later`'s items.
    async fn persons(
        &self,
        later: &Admonished,
        unit: &UnitId,
    ) -> Result<BTreeMap<PersonId, Vec<Role>>, HandlerError> {
        let mut persons: BTreeMap<PersonId, Vec<Role>> = BTreeMap::new();
        let organisation = self
            .services
            .directory
            .organisation()
            .await
            .map_err(|e| HandlerError(e.to_string()))?;
        if let Some(head) = organisation.head_of(unit) {
            persons
                .entry(head.clone())
                .or_default()
                .push(Role::UnitHead);
        }
        let mut items: BTreeMap<PersonId, Vec<ItemCode>> = BTreeMap::new();
        for code in &later.items {
            let (item, _) = self
                .exec
                .load::<Item>(code)
                .await
                .map_err(|e| HandlerError(format!("loading item {code}: {e}")))?;
            if let Some(person) = item.responsible_person() {
                items
                    .entry(person.clone())
                    .or_default()
                    .push(parse(code, |c| ItemCode::parse(c))?);
            }
        }
        for (person, items) in items {
            persons
                .entry(person)
                .or_default()
                .push(Role::ResponsiblePerson { items });
        }
        Ok(persons)
    }

    /// At `later`, the unit's admonishment: proposes the cases its repetition calls for.
    async fn on_admonished(
        &self,
        memory: &mut Memory,
        later: &Admonished,
        cause: &LoggedEvent,
    ) -> Result<(), HandlerError> {
        let campaign = parse(&later.campaign, |c| CampaignId::parse(c))?;
        let window_days = campaign_in_force(&self.services, &campaign)
            .await?
            .settings()
            .admonishment
            .referral_window_days;
        let Some(earlier) = memory.earlier_within(later, window_days).cloned() else {
            return Ok(());
        };
        let unit = parse(&later.unit, |u| UnitId::parse(u))?;
        let later_id = parse(&later.admonishment, |a| AdmonishmentId::parse(a))?;
        let basis = |a: &Admonished| -> Result<AdmonishmentBasis, HandlerError> {
            Ok(AdmonishmentBasis {
                admonishment: parse(&a.admonishment, |id| AdmonishmentId::parse(id))?,
                cut_off: a.rests_on,
            })
        };
        let (earlier_basis, later_basis) = (basis(&earlier)?, basis(later)?);
        for (person, roles) in self.persons(later, &unit).await? {
            if memory.has_open_case(person.as_str()) {
                continue;
            }
            let case = AccountabilityId::for_occasion(&person, &later_id);
            let grounds = roles
                .into_iter()
                .map(|role| Ground::RepeatedAdmonishment {
                    earlier: earlier_basis.clone(),
                    later: later_basis.clone(),
                    role,
                })
                .collect();
            let proposal = AccountabilityCommand::Propose(Proposal {
                case: case.clone(),
                campaign: campaign.clone(),
                person: person.clone(),
                unit: unit.clone(),
                grounds,
            });
            act::<S, Accountability, _>(
                &self.exec,
                &self.services,
                &self.actor,
                cause,
                case.as_str(),
                proposal,
            )
            .await?;
            // Open from now on, for the occasions later in this batch.
            memory.remember(Remembered::CaseProposed(Case {
                case: case.as_str().to_owned(),
                person: person.as_str().to_owned(),
                open: true,
            }));
        }
        Ok(())
    }
}

/// The statement that keeps `row` in `table`.
fn upsert(table: &TableSpec, row: &impl Serialize) -> Result<Statement, HandlerError> {
    match serde_json::to_value(row) {
        Ok(serde_json::Value::Object(fields)) => {
            Ok(Statement::Upsert(table.upsert(&Row::from_iter(fields))?))
        }
        Ok(other) => Err(HandlerError(format!("not a row: {other}"))),
        Err(e) => Err(HandlerError(e.to_string())),
    }
}

/// The statement that sets `column` to `value` in the row of `table` keyed `key`.
fn set(table: &TableSpec, key: &str, column: &str, value: bool) -> Statement {
    Statement::Update(
        Query::update()
            .table(Alias::new(table.name))
            .value(Alias::new(column), value)
            .and_where(Expr::col(Alias::new(table.key)).eq(key))
            .to_owned(),
    )
}

impl<S> Handler for AccountabilityPolicy<S>
where
    S: ConsumerStore + ReadModelStore + Clone,
{
    async fn prepare<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        tx.execute(ADMONISHMENTS.create().into()).await?;
        tx.execute(CASES.create().into()).await?;
        Ok(())
    }

    /// Walks the batch in log order over the memory as it stood before it, proposing at each
    /// admonishment that repeats an earlier one.
    async fn react(&mut self, batch: &[LoggedEvent]) -> Result<(), HandlerError> {
        let mut memory = self.memory().await?;
        for logged in batch {
            let Some(fact) = Remembered::of(logged)? else {
                continue;
            };
            if let Remembered::Admonished(later) = &fact {
                self.on_admonished(&mut memory, later, logged).await?;
            }
            memory.remember(fact);
        }
        Ok(())
    }

    /// Remembers the batch's admonishments and cases, with the checkpoint.
    async fn handle<T: ReadModels>(
        &mut self,
        tx: &mut T,
        batch: &[LoggedEvent],
    ) -> Result<(), HandlerError> {
        for logged in batch {
            let statement = match Remembered::of(logged)? {
                Some(Remembered::Admonished(admonished)) => upsert(&ADMONISHMENTS, &admonished)?,
                Some(Remembered::AdmonishmentWithdrawn(id)) => {
                    set(&ADMONISHMENTS, &id, "withdrawn", true)
                }
                Some(Remembered::CaseProposed(case)) => upsert(&CASES, &case)?,
                Some(Remembered::CaseEnded(id)) => set(&CASES, &id, "open", false),
                None => continue,
            };
            tx.execute(statement).await?;
        }
        Ok(())
    }
}
