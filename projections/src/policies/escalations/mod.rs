//! The escalations policy (issue #10; DOMAIN.md, "Complaints and public supervision": a
//! substantiated complaint becomes a clue or an item, whose id the resolution names; "Data
//! alerts": an alert is escalated to a clue or an item; "Cases": a clue comes from a
//! complaint, a data alert, …).
//!
//! - A complaint `Resolved` as substantiated, or an alert `Triaged` as escalated, naming a
//!   clue on case stream `case` → `RegisterClue` on that case stream: its campaign, field and
//!   summary those of the complaint's or alert's receipt, its source the complaint or the
//!   alert (the medical-insurance platform's reference). Natural key: the case id (a case
//!   stream holds one clue).
//! - … naming an item `code` → the item is registered at that code: source `complaint` (with
//!   the complaint id) or `data_alert` (with the platform's reference), title the receipt's
//!   summary, description the finding (or the summary). Natural key: the item code. It is not
//!   assigned: the secretariat decides who answers for it and by when.

pub mod rule;
#[cfg(test)]
mod tests;

use rectiflow_domain::alert::Alert;
use rectiflow_domain::case::{Case, CaseCommand, ClueSource};
use rectiflow_domain::complaint::Complaint;
use rectiflow_domain::item::{Item, ItemCommand, ItemEvent, ItemSource, Severity};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::settings::Field;
use rectiflow_domain::values::{CampaignId, CaseId, ClueId, ItemCode, PersonId, Text};
use rectiflow_engine::consumer::{Handler, HandlerError};
use rectiflow_engine::{EventStore, Executor, LoggedEvent};

use super::acting::{log_refusal, policy_actor, registration_of, send, Acted};
use super::registering::{registration_in_force, ItemToRegister};
use rule::{Escalation, Origin, Target};

/// The system the data alerts come from (DOMAIN.md, "Data alerts": the medical-insurance
/// monitoring platform pushes them), as a clue's source names it.
pub const ALERT_SYSTEM: &str = "医保智能监控平台";

/// The severity of an item opened from a complaint or an alert: neither names one, and the
/// rules require one. (ours) The secretariat weighs it when it assigns the item.
pub const SEVERITY: Severity = Severity::Medium;

/// What the origin's receipt says about what it opens.
struct Opening {
    campaign: CampaignId,
    field: Field,
    summary: Text,
    description: Text,
    clue_source: ClueSource,
    item_source: ItemSource,
    source_ref: Option<Text>,
}

/// The consumer's name, under which its checkpoint is kept; also its actor id.
pub const NAME: &str = "policy:escalations";

/// The policy as a consumer: it acts in `react` and writes nothing in `handle`.
pub struct Escalations<S> {
    exec: Executor<S>,
    services: DomainServices,
    actor: PersonId,
}

impl<S: EventStore> Escalations<S> {
    pub fn new(exec: Executor<S>, services: DomainServices) -> Self {
        Self {
            exec,
            services,
            actor: policy_actor(NAME),
        }
    }

    async fn act(&self, logged: &LoggedEvent, escalation: Escalation) -> Result<(), HandlerError> {
        // Already there: nothing to read, nothing to send.
        if self.opened(&escalation.target).await?.is_some() {
            return Ok(());
        }
        let Some(opening) = self.opening(logged, &escalation.origin).await? else {
            return Ok(());
        };
        let (stream, acted) = match &escalation.target {
            Target::Clue { clue, case } => (
                case.as_str(),
                self.register_clue(logged, clue, case, opening).await?,
            ),
            Target::Item { code } => match self.register_item(logged, code, opening).await? {
                Some(acted) => (code.as_str(), acted),
                None => return Ok(()),
            },
        };
        if let Acted::Refused { code } = acted {
            // A twin may have opened it meanwhile: then it is done.
            if self.opened(&escalation.target).await?.is_none() {
                log_refusal(NAME, logged, stream, "register", &code);
            }
        }
        Ok(())
    }

    /// Whether the target stands opened: `Some(true)` as named (the case stream holds that
    /// clue; the item code is registered), `Some(false)` when its natural key is taken by
    /// something else (a case stream holding another clue: logged, and the policy does not act
    /// over it), `None` when it is not there yet.
    async fn opened(&self, target: &Target) -> Result<Option<bool>, HandlerError> {
        match target {
            Target::Clue { clue, case } => {
                let (loaded, _) = self.exec.load::<Case>(case.as_str()).await?;
                Ok(loaded.clue.map(|c| {
                    let same = c.clue == *clue;
                    if !same {
                        tracing::warn!(
                            policy = NAME,
                            case = case.as_str(),
                            named = clue.as_str(),
                            registered = c.clue.as_str(),
                            "the case stream holds another clue"
                        );
                    }
                    same
                }))
            }
            Target::Item { code } => {
                let first = registration_of(&self.exec, code.as_str()).await?;
                Ok(first.map(|first| {
                    let registered = matches!(first, ItemEvent::ItemRegistered { .. });
                    if !registered {
                        tracing::warn!(
                            policy = NAME,
                            item = code.as_str(),
                            "the item stream does not start with its registration"
                        );
                    }
                    registered
                }))
            }
        }
    }

    /// The receipt of the complaint or alert, as what it opens needs it; `None` (logged) if
    /// it has none.
    async fn opening(
        &self,
        logged: &LoggedEvent,
        origin: &Origin,
    ) -> Result<Option<Opening>, HandlerError> {
        match origin {
            Origin::Complaint { complaint, finding } => {
                let (loaded, _) = self.exec.load::<Complaint>(complaint).await?;
                let Some(receipt) = loaded.receipt else {
                    log_refusal(NAME, logged, complaint, "register", "complaint.not_found");
                    return Ok(None);
                };
                Ok(Some(Opening {
                    campaign: receipt.campaign,
                    field: receipt.field,
                    summary: receipt.summary,
                    description: finding.clone(),
                    clue_source: ClueSource::Complaint {
                        complaint: receipt.complaint.clone(),
                    },
                    item_source: ItemSource::Complaint,
                    source_ref: Text::parse(receipt.complaint.as_str()).ok(),
                }))
            }
            Origin::Alert { alert } => {
                let (loaded, _) = self.exec.load::<Alert>(alert).await?;
                let Some(receipt) = loaded.receipt else {
                    log_refusal(NAME, logged, alert, "register", "alert.not_found");
                    return Ok(None);
                };
                // The platform's own reference, so the clue or item traces back to it.
                let (Ok(system), Ok(reference)) = (
                    Text::parse(ALERT_SYSTEM),
                    Text::parse(receipt.reference.as_str()),
                ) else {
                    log_refusal(NAME, logged, alert, "register", "alert.reference");
                    return Ok(None);
                };
                Ok(Some(Opening {
                    campaign: receipt.campaign,
                    field: Field::MedicalInsurance,
                    description: receipt.summary.clone(),
                    summary: receipt.summary,
                    clue_source: ClueSource::DataAlert {
                        system,
                        alert_ref: reference.clone(),
                    },
                    item_source: ItemSource::DataAlert,
                    source_ref: Some(reference),
                }))
            }
        }
    }

    async fn register_clue(
        &self,
        logged: &LoggedEvent,
        clue: &ClueId,
        case: &CaseId,
        opening: Opening,
    ) -> Result<Acted, HandlerError> {
        let body = CaseCommand::RegisterClue {
            campaign: opening.campaign,
            case: case.clone(),
            clue: clue.clone(),
            source: opening.clue_source,
            field: opening.field,
            summary: opening.summary,
        };
        send::<S, Case, _>(
            &self.exec,
            &self.services,
            &self.actor,
            logged,
            case.as_str(),
            body,
        )
        .await
    }

    /// `None` (logged) when no registration can be made in the campaign.
    async fn register_item(
        &self,
        logged: &LoggedEvent,
        code: &ItemCode,
        opening: Opening,
    ) -> Result<Option<Acted>, HandlerError> {
        let item = ItemToRegister {
            campaign: opening.campaign,
            code: code.clone(),
            title: opening.summary,
            description: opening.description,
            source: opening.item_source,
            source_ref: opening.source_ref,
            severity: SEVERITY,
        };
        let body = match registration_in_force(&self.services, item).await? {
            Ok(body) => body,
            Err(why) => {
                log_refusal(NAME, logged, code.as_str(), "register", &why);
                return Ok(None);
            }
        };
        send::<S, Item, _>(
            &self.exec,
            &self.services,
            &self.actor,
            logged,
            code.as_str(),
            ItemCommand::Register(body),
        )
        .await
        .map(Some)
    }
}

impl<S: EventStore> Handler for Escalations<S> {
    async fn react(&mut self, batch: &[LoggedEvent]) -> Result<(), HandlerError> {
        for logged in batch {
            if let Some(escalation) = rule::escalation(logged)? {
                self.act(logged, escalation).await?;
            }
        }
        Ok(())
    }
}
