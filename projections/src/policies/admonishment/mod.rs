//! 约谈提醒 — the admonishment policy: at each published county-wide bulletin and assessment
//! it admonishes every unit a rule fired for ([`findings`]), once per unit and publication —
//! on the stream [`admonishment_id`] derives from the two — listing every rule that fired, its
//! evidence, and the unit's overdue items at the publication's cut-off (whose responsible
//! persons a second admonishment within 182 days proposes for accountability).
//!
//! A correction (更正) admonishes no one: DOMAIN.md lets admonishments resting on the corrected
//! publication stand unless a secretariat withdraws them, and a correction is no new occasion.

mod findings;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Months;
use rectiflow_domain::admonishment::{
    admonishment_id, Admonishment, AdmonishmentCommand, Finding, PublicationRef,
};
use rectiflow_domain::publication::{
    publication_id, FigureRules, Figures, LogPoint, Period, Publication, PublicationEvent,
    PublicationKind, PublicationScope,
};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::values::{local_date, CampaignId, ItemCode, PersonId, PublicationId, Text};
use rectiflow_engine::consumer::{ConsumerStore, Handler, HandlerError};
use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_engine::{CancellationToken, Executor, LoggedEvent};

use super::once::act;
use crate::campaigns::campaign_in_force;
use crate::figures::{figure, read_figures, FigureInputs};
use crate::item_history::ItemHistory;
use crate::projector::RowProjection;
use crate::publishing::wait_for_models;

pub use findings::{findings, RankedBulletin};

/// The consumer's name, under which its checkpoint (its memory) is kept.
pub const NAME: &str = "policy-admonishment";
/// The system actor its commands are sent as.
pub const ACTOR: &str = "policy:admonishment";
const PUBLISHED: &str = "rectiflow.publication.published";

/// The admonishment policy over one store.
pub struct AdmonishmentPolicy<S> {
    exec: Executor<S>,
    services: DomainServices,
    actor: PersonId,
    /// How long to wait for the item histories to reach a publication's P.
    wait: Duration,
    stop: CancellationToken,
}

impl<S> AdmonishmentPolicy<S> {
    pub fn new(
        exec: Executor<S>,
        services: DomainServices,
        wait: Duration,
        stop: CancellationToken,
    ) -> Result<Self, HandlerError> {
        let actor = PersonId::parse(ACTOR).map_err(|e| HandlerError(e.to_string()))?;
        Ok(Self {
            exec,
            services,
            actor,
            wait,
            stop,
        })
    }
}

/// A publication as the policy reads it from its `Published` event.
struct Occasion {
    publication: PublicationId,
    kind: PublicationKind,
    campaign: CampaignId,
    scope: PublicationScope,
    period: Period,
    inputs: LogPoint,
    factor: f64,
    rules: FigureRules,
    figures: Figures,
}

impl Occasion {
    /// The original publication a `Published` event states; `None` for a correction, a
    /// skipped dispatch or another event.
    fn of(logged: &LoggedEvent) -> Result<Option<Self>, HandlerError> {
        if logged.event.event_type != PUBLISHED {
            return Ok(None);
        }
        let event: PublicationEvent = serde_json::from_value(logged.event.payload.clone())
            .map_err(|e| HandlerError(format!("position {}: {e}", logged.position)))?;
        Ok(match event {
            PublicationEvent::Published {
                publication,
                kind,
                campaign,
                scope,
                period,
                inputs,
                mitigation_factor,
                rules,
                figures,
                correction: None,
                ..
            } => Some(Self {
                publication,
                kind,
                campaign,
                scope,
                period,
                inputs,
                factor: mitigation_factor,
                rules,
                figures: *figures,
            }),
            _ => None,
        })
    }

    fn ranked(&self) -> RankedBulletin {
        RankedBulletin {
            publication: self.publication.clone(),
            cut_off: self.period.cut_off,
            ranking: self.figures.ranking.clone(),
        }
    }
}

impl<S> AdmonishmentPolicy<S>
where
    S: ConsumerStore + ReadModelStore + Clone,
{
    /// The county-wide bulletins of the `n` months before `occasion`'s, oldest first; fewer
    /// when one of them was not published.
    async fn earlier_bulletins(
        &self,
        occasion: &Occasion,
        n: u32,
        settings: &CampaignSettings,
    ) -> Result<Vec<RankedBulletin>, HandlerError> {
        let first_day = local_date(occasion.period.start, settings.time_zone);
        let mut earlier = Vec::new();
        for back in (1..=n).rev() {
            let Some(month) = first_day.checked_sub_months(Months::new(back)) else {
                return Ok(Vec::new());
            };
            let label = month.format("%Y-%m").to_string();
            let id = publication_id(
                PublicationKind::Bulletin,
                &occasion.campaign,
                &label,
                &PublicationScope::County,
            )
            .map_err(|e| HandlerError(e.to_string()))?;
            let (bulletin, _) = self
                .exec
                .load::<Publication>(id.as_str())
                .await
                .map_err(|e| HandlerError(format!("loading bulletin {id}: {e}")))?;
            match (bulletin.figures, bulletin.period) {
                (Some(figures), Some(period)) => earlier.push(RankedBulletin {
                    publication: id,
                    cut_off: period.cut_off,
                    ranking: figures.ranking,
                }),
                _ => return Ok(Vec::new()),
            }
        }
        Ok(earlier)
    }

    /// The overdue items (in full or mitigated) of each unit at the publication: its figures'
    /// drill-down, recomputed once at its P when the item histories have reached it.
    async fn overdue_items(
        &self,
        occasion: &Occasion,
    ) -> Result<BTreeMap<String, Vec<ItemCode>>, HandlerError> {
        let store = self.exec.store();
        wait_for_models(
            store,
            &[ItemHistory::NAME],
            occasion.inputs.position,
            self.wait,
            &self.stop,
        )
        .await
        .map_err(|e| HandlerError(e.to_string()))?;
        let inputs = FigureInputs {
            kind: occasion.kind,
            campaign: occasion.campaign.clone(),
            scope: occasion.scope.clone(),
            period: occasion.period,
            position: occasion.inputs.position,
            mitigation_factor: occasion.factor,
            rules: occasion.rules.clone(),
            stall_days: 0,
        };
        let computed = read_figures(store, &inputs, None)
            .await
            .map_err(|e| HandlerError(e.to_string()))?;
        Ok(computed
            .drill_down
            .units
            .into_iter()
            .map(|(unit, sources)| {
                let mut codes: Vec<ItemCode> = [figure::OVERDUE_FULL, figure::OVERDUE_MITIGATED]
                    .into_iter()
                    .filter_map(|name| sources.get(name))
                    .flatten()
                    .filter_map(|behind| ItemCode::parse(behind.code.as_str()).ok())
                    .collect();
                codes.sort();
                (unit, codes)
            })
            .collect())
    }

    async fn on_published(
        &self,
        occasion: Occasion,
        cause: &LoggedEvent,
    ) -> Result<(), HandlerError> {
        let campaign = campaign_in_force(&self.services, &occasion.campaign).await?;
        let settings = campaign.settings();
        let earlier = match occasion.kind {
            PublicationKind::Bulletin => {
                let back = settings
                    .admonishment
                    .consecutive_bulletins
                    .saturating_sub(1);
                self.earlier_bulletins(&occasion, back, settings).await?
            }
            _ => Vec::new(),
        };
        let fired = findings(
            occasion.kind,
            &occasion.scope,
            &occasion.figures,
            occasion.factor,
            &occasion.ranked(),
            &earlier,
            settings,
        );
        let publication = PublicationRef {
            publication: occasion.publication.clone(),
            kind: occasion.kind,
            scope: occasion.scope.clone(),
            cut_off: occasion.period.cut_off,
        };
        if fired.is_empty() {
            return Ok(());
        }
        let mut overdue = self.overdue_items(&occasion).await?;
        for (unit, findings) in fired {
            let admonishment = admonishment_id(&occasion.publication, &unit)
                .map_err(|e| HandlerError(e.to_string()))?;
            let items = overdue.remove(unit.as_str()).unwrap_or_default();
            let reasons = findings.iter().map(reason).collect::<Result<_, _>>()?;
            let trigger = AdmonishmentCommand::Trigger {
                admonishment: admonishment.clone(),
                campaign: occasion.campaign.clone(),
                unit,
                publication: publication.clone(),
                findings,
                items,
                reasons,
            };
            act::<S, Admonishment, _>(
                &self.exec,
                &self.services,
                &self.actor,
                cause,
                admonishment.as_str(),
                trigger,
            )
            .await?;
        }
        Ok(())
    }
}

/// The reason a finding gives, in the words of the bulletin.
fn reason(finding: &Finding) -> Result<Text, HandlerError> {
    let text = match finding {
        Finding::OverdueItems { overdue, .. } => format!(
            "逾期未整改事项 {}（含减轻 {} 项、免责 {} 项不计），达到约谈提醒标准",
            overdue.weighted, overdue.mitigated, overdue.exempted
        ),
        Finding::BottomOfRanking { positions } => {
            format!("连续 {} 期通报逾期排名位列后列", positions.len())
        }
        Finding::FailedAssessment { score, .. } => {
            format!("季度考核得分 {:.1}，等次为不合格", score.get())
        }
    };
    Text::parse(text).map_err(|e| HandlerError(e.to_string()))
}

impl<S> Handler for AdmonishmentPolicy<S>
where
    S: ConsumerStore + ReadModelStore + Clone,
{
    async fn react(&mut self, batch: &[LoggedEvent]) -> Result<(), HandlerError> {
        for logged in batch {
            if let Some(occasion) = Occasion::of(logged)? {
                self.on_published(occasion, logged).await?;
            }
        }
        Ok(())
    }
}
