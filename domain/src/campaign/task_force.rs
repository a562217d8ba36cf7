//! Adding a task force (专班): one per field, each with its own item-code prefix.
//!
//! DOMAIN.md "Organisation": four task forces in the source, one per field (医保, 校园餐, 养老,
//! 国资国企). A second task force for a field already covered would split its items, its
//! vocabulary and its ranking between two secretariats, and a complaint or an alert of that
//! field could no longer be routed to one of them; a shared prefix would make two task forces
//! allocate the same item codes (`YB-2026-0001`), which the store refuses as one stream.

use chrono::{DateTime, Utc};

use super::aggregate::Campaign;
use super::commands::ItemPrefix;
use super::errors::CampaignError;
use super::events::CampaignEvent;
use crate::settings::Field;
use crate::values::{PersonId, TaskForceId, Text};

/// What an `AddTaskForce` command asks for.
pub(super) struct NewTaskForce {
    pub(super) task_force: TaskForceId,
    pub(super) field: Field,
    pub(super) name: Text,
    pub(super) lead: PersonId,
    pub(super) prefix: ItemPrefix,
    pub(super) categories: Vec<Text>,
}

impl Campaign {
    /// Refused when the id, the field or the prefix is already taken by another task force.
    pub(super) fn add_task_force(
        &self,
        new: NewTaskForce,
        by: PersonId,
        at: DateTime<Utc>,
    ) -> Result<CampaignEvent, CampaignError> {
        let NewTaskForce {
            task_force,
            field,
            name,
            lead,
            prefix,
            categories,
        } = new;
        check_vocabulary(&categories)?;
        if self.task_forces().contains_key(&task_force) {
            return Err(CampaignError::DuplicateTaskForce(task_force));
        }
        if let Some((covered_by, _)) = self.task_forces().iter().find(|(_, t)| t.field == field) {
            return Err(CampaignError::FieldAlreadyCovered {
                field,
                covered_by: covered_by.clone(),
            });
        }
        if let Some((used_by, _)) = self.task_forces().iter().find(|(_, t)| t.prefix == prefix) {
            return Err(CampaignError::DuplicatePrefix {
                prefix: prefix.to_string(),
                used_by: used_by.clone(),
            });
        }
        Ok(CampaignEvent::TaskForceAdded {
            task_force,
            field,
            name,
            lead,
            prefix,
            categories,
            by,
            at,
        })
    }

    /// Adds a category to a task force's vocabulary, once.
    pub(super) fn add_category(
        &self,
        task_force: TaskForceId,
        category: Text,
        by: PersonId,
        at: DateTime<Utc>,
    ) -> Result<CampaignEvent, CampaignError> {
        let tf = self
            .task_force(&task_force)
            .ok_or_else(|| CampaignError::UnknownTaskForce(task_force.clone()))?;
        if tf.categories.contains(&category) {
            return Err(CampaignError::DuplicateCategory(category));
        }
        Ok(CampaignEvent::CategoryAdded {
            task_force,
            category,
            by,
            at,
        })
    }
}

/// A vocabulary names at least one category, each once: an empty one would refuse every item
/// of the field, a repeated one says nothing twice.
fn check_vocabulary(categories: &[Text]) -> Result<(), CampaignError> {
    if categories.is_empty() {
        return Err(CampaignError::EmptyVocabulary);
    }
    let mut seen = std::collections::BTreeSet::new();
    match categories.iter().find(|c| !seen.insert(*c)) {
        Some(repeated) => Err(CampaignError::DuplicateCategory(repeated.clone())),
        None => Ok(()),
    }
}
