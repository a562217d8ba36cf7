//! Whether a principal may read — and so change — one resource: its [`ReadRule`] applied to
//! the scope the aggregate's events carry ([`Scoped`]); and the same check row by row over a
//! board ([`ScopeCheck`]), which asks the campaigns' settings once per campaign and field.

use std::collections::HashMap;
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
    ScopeCheck::new(api, principal, rule).admits(scope).await
}

/// [`may_read`] for many scopes under one rule, remembering each campaign's task force for a
/// field as it finds it (a board's rows share a handful).
pub struct ScopeCheck<'a, S: Store> {
    api: &'a Api<S>,
    principal: &'a Principal,
    rule: ReadRule,
    task_forces: HashMap<(String, Field), Option<String>>,
}

impl<'a, S: Store> ScopeCheck<'a, S> {
    pub fn new(api: &'a Api<S>, principal: &'a Principal, rule: ReadRule) -> Self {
        Self {
            api,
            principal,
            rule,
            task_forces: HashMap::new(),
        }
    }

    /// Whether the principal may read what `scope` describes.
    pub async fn admits(&mut self, scope: &Scope) -> Result<bool, Problem> {
        let (principal, rule) = (self.principal, self.rule);
        Ok(match (&principal.acting, rule) {
            (_, ReadRule::Everyone) => true,
            (Acting::Leadership | Acting::DisciplineInspection, _) => true,
            (Acting::Secretariat { .. }, ReadRule::CountyWide) => true,
            (Acting::CivilAffairs, ReadRule::CareHomes) => true,
            (Acting::CivilAffairs, ReadRule::Work { .. }) => {
                scope.field == Some(Field::ElderlyCare)
            }
            (Acting::Unit { unit }, ReadRule::Work { units: true }) => scope.units.contains(unit),
            (Acting::Secretariat { task_forces }, ReadRule::Work { .. }) => {
                match self.task_force_of(scope).await? {
                    Some(task_force) => task_forces.iter().any(|t| t.as_str() == task_force),
                    None => false,
                }
            }
            _ => false,
        })
    }

    /// The task force `scope` belongs to: named, or the campaign's task force for its field
    /// (an alert names its field, not a task force), read as the campaign stands now.
    async fn task_force_of(&mut self, scope: &Scope) -> Result<Option<String>, Problem> {
        if let Some(task_force) = &scope.task_force {
            return Ok(Some(task_force.as_str().to_owned()));
        }
        let (Some(campaign), Some(field)) = (&scope.campaign, &scope.field) else {
            return Ok(None);
        };
        let key = (campaign.as_str().to_owned(), field.clone());
        if let Some(known) = self.task_forces.get(&key) {
            return Ok(known.clone());
        }
        let campaigns = [campaign.clone()];
        let view: Arc<dyn SettingsSource> =
            self.api
                .services
                .settings
                .in_force(&campaigns)
                .await
                .map_err(|port| Problem::unavailable(port.to_string()))?;
        let found = view
            .task_force(campaign, field)
            .map(|t| t.as_str().to_owned());
        self.task_forces.insert(key, found.clone());
        Ok(found)
    }
}
