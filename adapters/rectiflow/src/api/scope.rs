//! Whether a principal may read — and so change — one resource: its [`ReadRule`] applied to
//! the scope the aggregate's events carry ([`Scoped`]).

use std::sync::Arc;

use rectiflow_domain::event::Scope;
use rectiflow_domain::organisation::Acting;
use rectiflow_domain::services::SettingsSource;
use rectiflow_domain::settings::Field;
use rectiflow_store::Store;

use super::problem::Problem;
use super::resource::ReadRule;
use super::Api;
use crate::access::Principal;

/// Whether `principal` may read what `scope` describes under `rule`.
pub async fn may_read<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    rule: ReadRule,
    scope: &Scope,
) -> Result<bool, Problem> {
    Ok(match (&principal.acting, rule) {
        (_, ReadRule::Everyone) => true,
        (Acting::Leadership | Acting::DisciplineInspection, _) => true,
        (Acting::Secretariat { .. }, ReadRule::CountyWide) => true,
        (Acting::CivilAffairs, ReadRule::CareHomes) => true,
        (Acting::CivilAffairs, ReadRule::Work { .. }) => scope.field == Some(Field::ElderlyCare),
        (Acting::Unit { unit }, ReadRule::Work { units: true }) => scope.units.contains(unit),
        (Acting::Secretariat { task_forces }, ReadRule::Work { .. }) => {
            match task_force_of(api, scope).await? {
                Some(task_force) => task_forces.iter().any(|t| t.as_str() == task_force),
                None => false,
            }
        }
        _ => false,
    })
}

/// The task force `scope` belongs to: named, or the campaign's task force for its field (an
/// alert names its field, not a task force), read as the campaign stands now.
async fn task_force_of<S: Store>(api: &Api<S>, scope: &Scope) -> Result<Option<String>, Problem> {
    if let Some(task_force) = &scope.task_force {
        return Ok(Some(task_force.as_str().to_owned()));
    }
    let (Some(campaign), Some(field)) = (&scope.campaign, &scope.field) else {
        return Ok(None);
    };
    let campaigns = [campaign.clone()];
    let view: Arc<dyn SettingsSource> = api
        .services
        .settings
        .in_force(&campaigns)
        .await
        .map_err(|port| Problem::unavailable(port.to_string()))?;
    Ok(view
        .task_force(campaign, field)
        .map(|t| t.as_str().to_owned()))
}
