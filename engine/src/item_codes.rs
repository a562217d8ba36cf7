//! Item codes allocated by the server (DOMAIN.md: "the next number of the task force's prefix
//! and year; a client never picks one").
//!
//! The next code is one past the greatest code of that prefix and year on the log
//! ([`EventStore::last_stream_id`]). Two secretariats registering at once both read the same
//! greatest code and both try its successor; the store lets one stream be created once, so the
//! loser's registration is refused as already registered — and it takes the next number and
//! tries again. No counter stream, no gap from a lost race, nothing to repair.

use cqrs_es::Aggregate;
use rectiflow_domain::item::{Item, ItemCommand, ItemError, ItemEvent, RegisterItem};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::values::ItemCode;

use crate::executor::{CommandContext, ExecuteError, Executor, Outcome};
use crate::store::EventStore;

/// How many times a registration takes the next number after losing a race for one.
const ATTEMPTS: usize = 8;

impl<S: EventStore + Clone + Send + Sync + 'static> Executor<S> {
    /// Registers `register` under the next code of its task force's prefix and the campaign's
    /// year, whatever code it came with. Refused as the registration itself would be: an
    /// unknown campaign or task force, a closed campaign, a category outside the vocabulary.
    pub async fn register_item(
        &self,
        context: &CommandContext,
        mut register: RegisterItem,
        services: &DomainServices,
    ) -> Result<Outcome<ItemEvent>, ExecuteError<ItemError>> {
        let campaigns = std::slice::from_ref(&register.campaign);
        let view = services
            .settings
            .in_force(campaigns)
            .await
            .map_err(ExecuteError::Unavailable)?;
        let campaign = view.campaign(&register.campaign).ok_or_else(|| {
            ExecuteError::Refused(ItemError::UnknownCampaign(register.campaign.clone()))
        })?;
        let task_force = campaign.task_force(&register.task_force).ok_or_else(|| {
            ExecuteError::Refused(ItemError::UnknownTaskForce(register.task_force.clone()))
        })?;
        let prefix = format!("{}-{}-", task_force.prefix.as_str(), campaign.year());
        let mut lost = None;
        for _ in 0..ATTEMPTS {
            let last = self.store().last_stream_id(Item::TYPE, &prefix).await?;
            register.code = next_code(&prefix, last.as_deref())?;
            let stream = register.code.as_str().to_owned();
            let body = ItemCommand::Register(register.clone());
            match self
                .execute::<Item, ItemCommand>(context, &stream, None, body, services)
                .await
            {
                Err(ExecuteError::Refused(ItemError::AlreadyRegistered)) => {
                    lost = Some(stream);
                }
                outcome => return outcome,
            }
        }
        tracing::warn!(
            ?lost,
            attempts = ATTEMPTS,
            "item code allocation kept losing races"
        );
        Err(ExecuteError::Refused(ItemError::AlreadyRegistered))
    }
}

/// `prefix` followed by one more than the serial of `last` (4 digits at least), or by `0001`.
fn next_code<E: std::error::Error>(
    prefix: &str,
    last: Option<&str>,
) -> Result<ItemCode, ExecuteError<E>> {
    let serial = match last.and_then(|id| id.strip_prefix(prefix)) {
        Some(serial) => serial.parse::<u64>().map_err(|_| corrupt(prefix, last))? + 1,
        None => 1,
    };
    ItemCode::parse(format!("{prefix}{serial:04}")).map_err(|_| corrupt(prefix, last))
}

fn corrupt<E: std::error::Error>(prefix: &str, last: Option<&str>) -> ExecuteError<E> {
    ExecuteError::Store(crate::error::StoreError::Corrupt {
        location: format!("item streams {prefix}*"),
        reason: format!("no next item code after {last:?}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_code_counts_on_from_the_last_and_starts_at_one() {
        let code = |last| next_code::<ItemError>("YB-2026-", last).map(|c| c.as_str().to_owned());
        assert_eq!(code(None).ok().as_deref(), Some("YB-2026-0001"));
        assert_eq!(
            code(Some("YB-2026-0041")).ok().as_deref(),
            Some("YB-2026-0042")
        );
        assert_eq!(
            code(Some("YB-2026-9999")).ok().as_deref(),
            Some("YB-2026-10000")
        );
        assert!(code(Some("YB-2026-00x1")).is_err());
    }
}
